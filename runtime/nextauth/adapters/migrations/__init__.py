"""Alembic migrations of the SQLAlchemy adapter's tables, run from inside the package (no ``alembic.ini``).

``nextauth db upgrade`` (or :func:`nextauth.adapters.sqlalchemy.upgrade_schema`) brings a database to the
newest revision; the functions here do it on a connection you hold, inside its transaction. The revision is
kept in its own table, ``nextauth_alembic_version``, so an application's own Alembic history
(``alembic_version``) lives beside it untouched.

Revisions: ``0001`` is the schema of nextauth before migrations (what ``create_schema`` made then);
``0002`` indexes the expiry columns; ``0003`` adds ``rate_limits``, the brute-force limit counters
(``AuthOptions.rate_limit``). A database made by the old ``create_schema`` has the tables and no
version table: :func:`upgrade` recognises it and stamps ``0001`` first. A fresh ``create_schema`` stamps
the newest revision, so upgrading it afterwards does nothing.

The migrations address the default table names (``users``, ``accounts``, ``sessions``,
``verification_tokens``); tables renamed with ``define_tables`` are yours to migrate.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.engine import Connection

__all__ = ["BASELINE", "VERSION_TABLE", "MigrationError", "current_revision", "head_revision", "stamp_head", "upgrade"]

VERSION_TABLE = "nextauth_alembic_version"
BASELINE = "0001"
"""The revision of a database created before nextauth had migrations."""
TABLES = ("users", "accounts", "sessions", "verification_tokens")
_HERE = Path(__file__).resolve().parent


class MigrationError(Exception):
    """The database cannot be migrated as it is (the message says why and what to do)."""


def _script() -> Any:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(_HERE))


def head_revision() -> str:
    """The newest revision this version of nextauth knows."""
    head: str = _script().get_current_head()
    return head


def _context(conn: Connection, **opts: Any) -> Any:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE, **opts})


def current_revision(conn: Connection) -> str | None:
    """The revision stamped in the database (``None``: no version table, or an empty one)."""
    revision: str | None = _context(conn).get_current_revision()
    return revision


def stamp_head(conn: Connection) -> None:
    """Record the newest revision without running anything (the tables were just made from the metadata)."""
    _context(conn).stamp(_script(), "head")


def _present(conn: Connection, names: Iterable[str]) -> list[str]:
    existing = set(inspect(conn).get_table_names())
    return [name for name in names if name in existing]


def upgrade(conn: Connection, target: str = "head") -> tuple[str | None, str]:
    """Migrate to ``target`` inside ``conn``'s transaction; returns ``(revision before, revision after)``.

    Before is ``None`` for an empty database (every revision runs, creating the tables) and ``BASELINE``
    for tables made before migrations existed (stamped, then upgraded).
    """
    from alembic.runtime.environment import EnvironmentContext
    from alembic.script import ScriptDirectory
    from alembic.script.revision import RevisionError
    from alembic.util import CommandError

    script: ScriptDirectory = _script()
    before = current_revision(conn)
    if before is None:
        present = _present(conn, TABLES)
        if len(present) == len(TABLES):
            stamp = _context(conn)
            stamp.stamp(script, BASELINE)
            before = BASELINE
        elif present:
            missing = [name for name in TABLES if name not in present]
            raise MigrationError(
                f"some nextauth tables exist ({', '.join(present)}) and some do not ({', '.join(missing)}): "
                "this is not a schema nextauth made; restore the missing tables or drop the partial ones, "
                "then run the upgrade again"
            )
    try:
        script.get_revision(before) if before is not None else None
        destination = script.get_revision(target)
    except (CommandError, RevisionError):
        raise MigrationError(
            f"the database is at revision {before!r}, which this nextauth does not know (newest: "
            f"{head_revision()!r}): upgrade nextauth, or restore the database"
        ) from None
    target_rev = destination.revision if destination is not None else target

    def steps(revision: Any, _context: Any) -> Any:
        return script._upgrade_revs(target_rev, revision)

    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_HERE))
    with EnvironmentContext(config, script, fn=steps, destination_rev=target_rev) as env:
        env.configure(connection=conn, version_table=VERSION_TABLE)
        env.run_migrations()
    after = current_revision(conn)
    assert after is not None
    return before, after
