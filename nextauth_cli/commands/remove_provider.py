"""`nextauth remove-provider`: remove a provider from nextauth.toml and regenerate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nextauth_cli.commands._common import (
    DirAlias,
    ProjectDir,
    find_project,
    guard,
    pick_directory,
    print_changes,
    print_conflicts,
)

app = typer.Typer()


@app.command("remove-provider")
def remove_provider(
    provider_id: Annotated[str, typer.Argument(help="The id of a configured provider ([providers.<id>]).")],
    directory: ProjectDir = Path(),
    force: Annotated[bool, typer.Option(help="On a conflict with your edits, write conflict markers.")] = False,
    dir_alias: DirAlias = None,
) -> None:
    """Remove a provider from nextauth.toml and regenerate; its .env.local values and your code stay.

    Examples:

      nextauth remove-provider github
      nextauth remove-provider corp myapp
    """
    from nextauth_cli import _console as console
    from nextauth_cli.project import conflict_error, remove_provider as remove

    with guard():
        project = find_project(pick_directory(directory, dir_alias))
        result = remove(project, provider_id, force=force)
        if result.conflicts and not result.applied:
            print_conflicts(result)
            raise conflict_error(result)
        print_changes(result)
        console.success(f"removed provider `{provider_id}` (its .env.local values are kept)")
        if result.conflicts or result.markers:
            raise conflict_error(result)
