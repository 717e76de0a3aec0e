"""`nextauth db init` and `nextauth db upgrade`: create the adapter's tables, and migrate them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nextauth_cli.commands._common import database_project, guard

app = typer.Typer(help="The database of the SQLAlchemy adapter.", no_args_is_help=True)


@app.command("init")
def init(
    directory: Annotated[Path, typer.Argument(help="Project directory.")] = Path(),
    database_url: Annotated[
        str | None, typer.Option(help="Database URL (default: DATABASE_URL, then database.url in nextauth.toml).")
    ] = None,
) -> None:
    """Create the users, accounts, sessions and verification_tokens tables (existing tables are kept).

    Examples:

      nextauth db init
      nextauth db init --database-url postgresql://app@localhost/app
    """
    from nextauth_cli import _console as console
    from nextauth_cli.database import init_database

    with guard():
        shown = init_database(database_project(directory, database_url), database_url)
        console.success(f"the nextauth tables exist in {shown}")


@app.command("upgrade")
def upgrade(
    directory: Annotated[Path, typer.Argument(help="Project directory.")] = Path(),
    database_url: Annotated[
        str | None, typer.Option(help="Database URL (default: DATABASE_URL, then database.url in nextauth.toml).")
    ] = None,
) -> None:
    """Migrate the tables to the newest schema of this nextauth (run it after upgrading nextauth).

    A database made before nextauth had migrations is recognised and migrated; an empty one gets the
    tables. Running it again does nothing.

    Examples:

      nextauth db upgrade
      nextauth db upgrade --database-url postgresql://app@localhost/app
    """
    from nextauth_cli import _console as console
    from nextauth_cli.database import upgrade_database

    with guard():
        shown, before, after = upgrade_database(database_project(directory, database_url), database_url)
        if before == after:
            console.success(f"the nextauth tables in {shown} are at the newest revision ({after}): nothing to do")
        elif before is None:
            console.success(f"created the nextauth tables in {shown} (revision {after})")
        else:
            console.success(f"upgraded the nextauth tables in {shown} from revision {before} to {after}")
