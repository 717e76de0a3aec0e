"""Root of the ``nextauth`` command: composes one module per command (heavy imports stay inside them)."""

from __future__ import annotations

from typing import Annotated

import typer

from nextauth_cli.commands import (
    add_provider,
    db,
    dev,
    doctor,
    generate,
    init,
    providers,
    remove_provider,
    secret,
    start,
)

app = typer.Typer(
    name="nextauth",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals hold client secrets
    context_settings={"help_option_names": ["-h", "--help"]},
)
for command in (init, add_provider, remove_provider, providers, generate, secret, doctor, dev, start):
    app.add_typer(command.app)
app.add_typer(db.app, name="db")


def _version(value: bool) -> None:
    if value:
        from nextauth_cli import __version__

        typer.echo(f"nextauth {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Scaffold, serve and maintain a NextAuth.js-compatible auth setup in Python.

    Start with `nextauth init`; nextauth.toml is the source of truth, `nextauth generate` keeps the code
    in step with it, `nextauth doctor` checks everything. Every command takes the project directory as DIR
    (default: here). Exit codes: 0 ok, 1 error, 2 usage, 3 port in use (dev, start), 130 interrupted.
    """


def main() -> None:
    app()
