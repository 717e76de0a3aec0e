"""`nextauth db init`: create the adapter's tables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nextauth_cli.commands._common import guard, project_dir

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
        shown = init_database(project_dir(directory), database_url)
        console.success(f"the nextauth tables exist in {shown}")
