"""`nextauth secret`: a fresh NEXTAUTH_SECRET, printed or written into .env.local."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nextauth_cli.commands._common import DirAlias, ProjectDir, guard, pick_directory, secret_target

app = typer.Typer()


@app.command("secret")
def secret(
    directory: ProjectDir = Path(),
    write: Annotated[bool, typer.Option(help="Set NEXTAUTH_SECRET in .env.local instead of printing it.")] = False,
    rotate: Annotated[
        bool, typer.Option(help="With --write: put the new secret first and keep the old ones (sessions stay valid).")
    ] = False,
    force: Annotated[bool, typer.Option(help="With --write: replace an existing secret (signs everyone out).")] = False,
    dir_alias: DirAlias = None,
) -> None:
    """Make a new secret: 32 random bytes, url-safe base64 (256 bits).

    Printed alone on stdout, so it can be piped; --write puts it in .env.local (created and gitignored
    if needed). The runtime accepts several comma-separated secrets: the first encrypts, all decrypt.

    Examples:

      nextauth secret
      nextauth secret --write
      nextauth secret --write --rotate     # NEXTAUTH_SECRET=new,old
      nextauth secret myapp --write
    """
    from nextauth_cli import _console as console
    from nextauth_cli._envfile import new_secret
    from nextauth_cli.secret import write_secret

    with guard():
        if not write:
            if rotate or force:
                from nextauth_cli.errors import UsageError

                raise UsageError("--rotate and --force go with --write", fix="nextauth secret --write --rotate")
            typer.echo(new_secret())
            return
        outcome = write_secret(secret_target(pick_directory(directory, dir_alias)), rotate=rotate, force=force)
        console.success(outcome)
