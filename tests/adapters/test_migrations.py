"""Migrations of the SQLAlchemy adapter's tables: from the schema nextauth made before it had them (commit
4586d69's ``create_schema``, replayed from a DDL snapshot taken from that commit, not from the baseline revision),
through ``nextauth db upgrade``, on SQLite and PostgreSQL.

What must hold: the data survives, the new schema objects exist, the migrated database equals a fresh one made
from today's tables, a fresh database is stamped so upgrading it does nothing, an application's own Alembic
history is left alone, and a database that cannot be migrated gets a clear message, not a traceback.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from nextauth.adapters import migrations
from nextauth.adapters.migrations import MigrationError
from nextauth.adapters.sqlalchemy import (
    IntegrityViolationError,
    SQLAlchemyAdapter,
    create_schema,
    upgrade_schema,
)
from nextauth_cli.cli import app

# The DDL that create_schema() of commit 4586d69 emitted ({ts}: DATETIME on SQLite, TIMESTAMP WITH TIME ZONE on
# PostgreSQL), captured from that commit with a mock engine.
OLD_SCHEMA = """
CREATE TABLE users (
    id VARCHAR(255) NOT NULL, name VARCHAR(255), email VARCHAR(255), "emailVerified" {ts}, image TEXT,
    PRIMARY KEY (id), UNIQUE (email)
);
CREATE TABLE verification_tokens (
    identifier VARCHAR(255) NOT NULL, token VARCHAR(255) NOT NULL, expires {ts} NOT NULL,
    CONSTRAINT verification_tokens_pkey PRIMARY KEY (identifier, token)
);
CREATE TABLE accounts (
    id VARCHAR(255) NOT NULL, "userId" VARCHAR(255) NOT NULL, type VARCHAR(255) NOT NULL,
    provider VARCHAR(255) NOT NULL, "providerAccountId" VARCHAR(255) NOT NULL, refresh_token TEXT,
    access_token TEXT, expires_at BIGINT, token_type TEXT, scope TEXT, id_token TEXT, session_state TEXT,
    PRIMARY KEY (id),
    CONSTRAINT "accounts_provider_providerAccountId_key" UNIQUE (provider, "providerAccountId"),
    FOREIGN KEY("userId") REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX "accounts_userId_idx" ON accounts ("userId");
CREATE TABLE sessions (
    id VARCHAR(255) NOT NULL, "sessionToken" VARCHAR(255) NOT NULL, "userId" VARCHAR(255) NOT NULL,
    expires {ts} NOT NULL,
    PRIMARY KEY (id), UNIQUE ("sessionToken"),
    FOREIGN KEY("userId") REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX "sessions_userId_idx" ON sessions ("userId");
"""

NEW_INDEXES = {"sessions": "sessions_expires_idx", "verification_tokens": "verification_tokens_expires_idx"}

_pg = [pytest.mark.postgres, pytest.mark.slow]
BACKENDS = [pytest.param("sqlite", id="sqlite"), pytest.param("postgres", id="postgres", marks=_pg)]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each backend (a new PostgreSQL database per test)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'auth.db'}"
        return
    import psycopg
    from psycopg import sql

    cluster = request.getfixturevalue("postgres_cluster")
    name = f"migrations_{uuid.uuid4().hex[:12]}"
    url: str = cluster.create_database(name)
    try:
        yield url
    finally:
        admin = cluster.url("postgres").replace("postgresql+psycopg://", "postgresql://", 1)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def execute(url: str, *statements: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def create_old_schema(url: str) -> None:
    ts = "DATETIME" if url.startswith("sqlite") else "TIMESTAMP WITH TIME ZONE"
    execute(url, *(s for s in OLD_SCHEMA.format(ts=ts).split(";") if s.strip()))


def shape(url: str) -> dict[str, Any]:
    """Tables, columns, keys and indexes as the database reports them (the version table left out)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            out: dict[str, Any] = {}
            for table in sorted(inspector.get_table_names()):
                if table == migrations.VERSION_TABLE:
                    continue
                out[table] = {
                    "columns": [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
                    "pk": inspector.get_pk_constraint(table)["constrained_columns"],
                    "unique": sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)),
                    "fks": sorted(
                        (tuple(f["constrained_columns"]), f["referred_table"], f["options"].get("ondelete"))
                        for f in inspector.get_foreign_keys(table)
                    ),
                    "indexes": sorted(
                        (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                        for i in inspector.get_indexes(table)
                        if not (i["name"] or "").startswith("sqlite_autoindex")
                    ),
                }
            return out
    finally:
        engine.dispose()


def table_names(url: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


def version_rows(url: str, table: str = migrations.VERSION_TABLE) -> list[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [row[0] for row in conn.exec_driver_sql(f"SELECT version_num FROM {table}")]
    finally:
        engine.dispose()


def db_upgrade(url: str, project: Path) -> Any:
    project.mkdir(exist_ok=True)
    return CliRunner().invoke(app, ["db", "upgrade", str(project), "--database-url", url], catch_exceptions=False)


NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


async def fill(url: str) -> dict[str, Any]:
    """One of every record, written by the adapter into the old tables; returns what it wrote."""
    adapter = SQLAlchemyAdapter(url)
    try:
        user = await adapter.create_user({"name": "Ada", "email": "ada@example.org", "email_verified": NOW})
        account = await adapter.link_account(
            {
                "user_id": user["id"],
                "type": "oauth",
                "provider": "github",
                "provider_account_id": "4242",
                "access_token": "gho_secret",
                "expires_at": 1_900_000_000,
                "scope": "read:user",
            }
        )
        session = await adapter.create_session(
            {"session_token": "tok-1", "user_id": user["id"], "expires": NOW + timedelta(days=30)}
        )
        token = await adapter.create_verification_token(
            {"identifier": "ada@example.org", "token": "hashed", "expires": NOW + timedelta(hours=1)}
        )
        return {"user": user, "account": account, "session": session, "token": token}
    finally:
        await adapter.aclose()


async def test_upgrade_migrates_a_database_made_before_migrations_and_keeps_its_data(
    db_url: str, tmp_path: Path
) -> None:
    create_old_schema(db_url)
    written = await fill(db_url)

    result = db_upgrade(db_url, tmp_path / "project")
    assert result.exit_code == 0, result.output
    assert f"from revision {migrations.BASELINE} to {migrations.head_revision()}" in result.output
    assert version_rows(db_url) == [migrations.head_revision()]

    after = shape(db_url)
    for table, index in NEW_INDEXES.items():
        assert (index, ("expires",), False) in after[table]["indexes"]
    adapter = SQLAlchemyAdapter(db_url)
    try:
        user = written["user"]
        assert await adapter.get_user(user["id"]) == user
        assert await adapter.get_user_by_account("github", "4242") == user
        found = await adapter.get_session_and_user("tok-1")
        assert found == (written["session"], user)
        assert await adapter.use_verification_token("ada@example.org", "hashed") == written["token"]
        # The constraints the first-sign-in transaction relies on came through: a second user with the same
        # email, or the same account again, is refused and writes nothing.
        for new_user, key in (({"email": "ada@example.org"}, "9"), ({"email": "other@example.org"}, "4242")):
            with pytest.raises(IntegrityViolationError):
                await adapter.create_user_and_link_account(
                    new_user, {"type": "oauth", "provider": "github", "provider_account_id": key}
                )
        assert await adapter.get_user_by_email("other@example.org") is None
    finally:
        await adapter.aclose()

    again = db_upgrade(db_url, tmp_path / "project")
    assert again.exit_code == 0 and "nothing to do" in again.output


def test_the_migrated_database_equals_the_tables_of_today(db_url: str) -> None:
    create_old_schema(db_url)
    assert upgrade_schema(db_url) == (migrations.BASELINE, migrations.head_revision())
    # Alembic's autogenerate compares the database with nextauth's metadata: a difference means a schema change
    # shipped without its migration (or a migration that does something else).
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from nextauth.adapters.sqlalchemy import metadata

    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        engine.dispose()
    assert [d for d in diffs if not _is_version_table(d)] == []


def _is_version_table(diff: Any) -> bool:
    return isinstance(diff, tuple) and diff[0] == "remove_table" and diff[1].name == migrations.VERSION_TABLE


def test_migrating_and_creating_give_the_same_database(tmp_path: Path) -> None:
    migrated, fresh = f"sqlite:///{tmp_path / 'migrated.db'}", f"sqlite:///{tmp_path / 'fresh.db'}"
    create_old_schema(migrated)
    upgrade_schema(migrated)
    create_schema(fresh)
    assert shape(migrated) == shape(fresh)


def test_a_fresh_database_is_stamped_so_upgrade_has_nothing_to_do(db_url: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["db", "init", str(tmp_path), "--database-url", db_url], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert version_rows(db_url) == [migrations.head_revision()]
    before = shape(db_url)
    again = db_upgrade(db_url, tmp_path)
    assert again.exit_code == 0 and "nothing to do" in again.output
    assert shape(db_url) == before


def test_upgrading_an_empty_database_creates_the_tables(db_url: str, tmp_path: Path) -> None:
    result = db_upgrade(db_url, tmp_path)
    assert result.exit_code == 0 and "created the nextauth tables" in result.output
    assert set(shape(db_url)) == {*migrations.TABLES, "rate_limits"}  # rate_limits: revision 0003
    assert upgrade_schema(db_url) == (migrations.head_revision(), migrations.head_revision())


def test_an_applications_own_alembic_history_is_left_alone(db_url: str) -> None:
    create_old_schema(db_url)
    execute(
        db_url,
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
        "INSERT INTO alembic_version VALUES ('app_rev_7')",
    )
    upgrade_schema(db_url)
    assert version_rows(db_url, "alembic_version") == ["app_rev_7"]
    assert version_rows(db_url) == [migrations.head_revision()]


def test_a_partial_schema_is_refused_with_a_clear_message(db_url: str, tmp_path: Path) -> None:
    create_old_schema(db_url)
    execute(db_url, "DROP TABLE sessions")
    result = db_upgrade(db_url, tmp_path)
    assert result.exit_code != 0
    assert "some nextauth tables exist" in result.output and "sessions" in result.output
    assert "Traceback" not in result.output
    with pytest.raises(MigrationError):
        upgrade_schema(db_url)
    assert table_names(db_url) == ["accounts", "users", "verification_tokens"]  # nothing created or stamped


def test_a_revision_from_a_newer_nextauth_is_refused_with_a_clear_message(db_url: str, tmp_path: Path) -> None:
    create_schema(db_url)
    execute(db_url, f"UPDATE {migrations.VERSION_TABLE} SET version_num = '9999'")
    result = db_upgrade(db_url, tmp_path)
    assert result.exit_code != 0
    assert "'9999'" in result.output and "upgrade nextauth" in result.output
    assert "Traceback" not in result.output
