"""The database behind `nextauth db init` and `nextauth db upgrade`: which URL, creating and migrating the tables."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from nextauth_cli import _envfile
from nextauth_cli.config import CONFIG_NAME, load_config
from nextauth_cli.errors import CliError

__all__ = ["database_url", "init_database", "mask_url", "upgrade_database"]


def mask_url(url: str) -> str:
    """``url`` with its password replaced by ``***`` (for messages)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<invalid URL>"
    if not parts.password:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def database_url(project: Path, explicit: str | None = None) -> str:
    """``explicit``, else ``DATABASE_URL`` (environment, then .env.local, then .env), else nextauth.toml's."""
    if explicit:
        return explicit
    if os.environ.get("DATABASE_URL", "").strip():
        return os.environ["DATABASE_URL"].strip()
    for name in (".env.local", ".env"):
        value = (_envfile.read_env(project / name).get("DATABASE_URL") or "").strip()
        if value:
            return value
    if (project / CONFIG_NAME).is_file():
        config = load_config(project)
        if config.database_url:
            return config.database_url
    raise CliError(
        "no database is configured",
        fix='pass --database-url, set DATABASE_URL, or add [database] url = "sqlite:///./nextauth.db" to nextauth.toml',
    )


def _project_url(project: Path, url: str) -> str:
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        # a relative SQLite path is relative to the project, as the server runs there
        return "sqlite:///" + str(project / url.removeprefix("sqlite:///").removeprefix("./"))
    return url


def _failed(action: str, exc: Exception, url: str, shown: str) -> CliError:
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return CliError(
        f"cannot {action} in {shown}: {reason.replace(url, shown)}",
        fix="check that the database server runs and the URL is right (and its driver installed: "
        "pip install 'psycopg[binary]' for PostgreSQL, as nextauth's postgres extra does)",
    )


def init_database(project: Path, explicit: str | None = None) -> str:
    """Create the tables (idempotent); returns the URL with its password masked.

    Fresh tables are stamped with the newest migration revision, so ``nextauth db upgrade`` has nothing to do.
    """
    url = database_url(project, explicit)
    shown = mask_url(url)
    from nextauth.adapters.sqlalchemy import create_schema

    url = _project_url(project, url)
    try:
        create_schema(url)
    except Exception as exc:  # SQLAlchemy and driver errors: report, never a traceback
        raise _failed("create the tables", exc, url, shown) from None
    return shown


def upgrade_database(project: Path, explicit: str | None = None) -> tuple[str, str | None, str]:
    """Migrate the tables to the newest revision (creating them in an empty database).

    Returns ``(masked URL, revision before, revision after)``; before is ``None`` for an empty database.
    """
    url = database_url(project, explicit)
    shown = mask_url(url)
    from nextauth.adapters.migrations import MigrationError
    from nextauth.adapters.sqlalchemy import upgrade_schema

    url = _project_url(project, url)
    try:
        before, after = upgrade_schema(url)
    except MigrationError as exc:
        raise CliError(f"cannot upgrade the tables in {shown}: {exc}") from None
    except Exception as exc:  # SQLAlchemy and driver errors: report, never a traceback
        raise _failed("upgrade the tables", exc, url, shown) from None
    return shown, before, after
