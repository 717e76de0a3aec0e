"""`nextauth generate`: re-render the generated files from nextauth.toml, keeping your edits."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nextauth_cli.commands._common import ProjectDir, find_project, guard, print_changes, print_conflicts

app = typer.Typer()


@app.command("generate")
def generate(
    directory: ProjectDir = Path(),
    check: Annotated[
        bool, typer.Option(help="Write nothing; exit 1 when a generated file is out of date (CI).")
    ] = False,
    diff: Annotated[bool, typer.Option(help="Show what would change as a diff; write nothing.")] = False,
    force: Annotated[bool, typer.Option(help="On a conflict, write the merge with conflict markers.")] = False,
) -> None:
    """Bring the route file, auth_options.py and .env.example in line with nextauth.toml.

    Your edits to those files are kept: each is merged three-way (the last render kept in .nextauth/,
    the new render, your file). When an edit overlaps a change, the conflict is shown and nothing is
    written (exit 1); --force writes conflict markers instead. Running it twice changes nothing.

    Examples:

      nextauth generate
      nextauth generate --diff
      nextauth generate --check      # in CI: exit 1 when out of date
      nextauth generate myapp --force
    """
    from nextauth_cli import _console as console
    from nextauth_cli.project import conflict_error, regenerate

    with guard():
        project = find_project(directory)
        result = regenerate(project, check=check, diff=diff, force=force)
        if check:
            stale = [c for c in result.changes if c.changed and c.path not in (".env.local", "nextauth.toml")]
            for change in stale:
                console.line(f"[yellow]out of date:[/yellow] {console.escape(change.path)} ({change.action})")
            if result.up_to_date:
                console.success("generated files are up to date with nextauth.toml")
                return
            if result.conflicts or result.markers:
                raise conflict_error(result)
            console.error("generated files are out of date", fix="run `nextauth generate` and commit the result")
            raise typer.Exit(1)
        if diff:
            for change in result.changes:
                if change.changed or change.action == "conflict":
                    console.diff(change.diff())
            if result.conflicts:
                raise conflict_error(result)
            if not result.changed:
                console.success("nothing would change")
            return
        if result.conflicts and not result.applied:
            print_conflicts(result)
            raise conflict_error(result)
        print_changes(result)
        if result.conflicts or result.markers:
            raise conflict_error(result)
