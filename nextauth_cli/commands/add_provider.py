"""`nextauth add-provider`: add a provider to nextauth.toml and regenerate."""

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
    print_provider_setup,
)

app = typer.Typer()


@app.command("add-provider")
def add_provider(
    provider: Annotated[
        str, typer.Argument(help="Catalog id: github, google, keycloak, oidc, ... (`nextauth providers`).")
    ],
    directory: ProjectDir = Path(),
    id: Annotated[
        str | None, typer.Option("--id", help="A different id (two providers of one kind, or a generic oauth/oidc).")
    ] = None,
    option: Annotated[
        list[str] | None,
        typer.Option("--option", "-o", help='key=value for the provider (TOML value: true, 10, ["a"], {k="v"}).'),
    ] = None,
    force: Annotated[bool, typer.Option(help="On a conflict with your edits, write conflict markers.")] = False,
    dir_alias: DirAlias = None,
) -> None:
    """Add a provider: a providers.<id> table in nextauth.toml, its .env.local placeholders, regenerated code.

    Prints the redirect URI to register at the provider (development and production) and the variables
    to fill in. Options are passed to the provider's factory (see docs/providers.md).

    Examples:

      nextauth add-provider github
      nextauth add-provider keycloak myapp
      nextauth add-provider google -o 'authorization={params={prompt="consent"}}'
      nextauth add-provider oidc --id corp --option name="Corp SSO"
      nextauth add-provider oauth --id mock -o well_known=http://127.0.0.1:9400/.well-known/openid-configuration
    """
    from nextauth_cli import _console as console
    from nextauth_cli.config import load_config, merge_options, parse_option
    from nextauth_cli.project import add_provider as add, conflict_error

    with guard():
        project = find_project(pick_directory(directory, dir_alias))
        options = merge_options(parse_option(raw) for raw in option or [])
        result = add(project, provider, provider_id=id, options=options, force=force)
        if result.conflicts and not result.applied:
            print_conflicts(result)
            raise conflict_error(result)
        print_changes(result)
        config = load_config(project)
        added = config.provider((id or provider).lower()) or config.providers[-1]
        console.success(f"added provider `{added.id}` ({added.name})")
        print_provider_setup(config, [added])
        if result.conflicts or result.markers:
            raise conflict_error(result)
