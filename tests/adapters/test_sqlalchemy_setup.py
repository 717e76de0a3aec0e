"""Setting the SQLAlchemy adapter up: URLs, schema creation, table names, SQLite tuning, logging hygiene."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Column, MetaData, String, create_engine, inspect

from nextauth.adapters.sqlalchemy import (
    SchemaMissingError,
    SQLAlchemyAdapter,
    create_schema,
    database_url,
    define_tables,
    metadata,
)

NEXT_AUTH_COLUMNS = {
    "users": ["id", "name", "email", "emailVerified", "image"],
    "accounts": [
        "id", "userId", "type", "provider", "providerAccountId", "refresh_token", "access_token", "expires_at",
        "token_type", "scope", "id_token", "session_state",
    ],
    "sessions": ["id", "sessionToken", "userId", "expires"],
    "verification_tokens": ["identifier", "token", "expires"],
}  # fmt: skip


def later(hours: float = 1) -> datetime:
    return datetime.now(UTC) + timedelta(hours=hours)


@pytest.mark.parametrize(
    ("given", "driver"),
    [
        ("postgres://u:p@db.example:5432/app", "postgresql+psycopg"),
        ("postgresql://u:p@db.example/app", "postgresql+psycopg"),
        ("postgresql+psycopg://u@db.example/app", "postgresql+psycopg"),
        ("postgresql+psycopg_async://u@db.example/app", "postgresql+psycopg_async"),
        ("sqlite:///./nextauth.db", "sqlite"),
    ],
)
def test_database_url_maps_postgres_to_psycopg3(given: str, driver: str) -> None:
    assert database_url(given).drivername == driver


def test_a_malformed_url_says_what_is_expected() -> None:
    with pytest.raises(ValueError, match=r"sqlite:///\./nextauth\.db"):
        SQLAlchemyAdapter("not a url")


def test_an_unknown_driver_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no SQLAlchemy driver"):
        SQLAlchemyAdapter("nosuchdb://host/db")


def test_repr_masks_the_password() -> None:
    adapter = SQLAlchemyAdapter("postgres://app:hunter2@db.example/app")  # no connection is made
    assert "hunter2" not in repr(adapter)
    assert repr(adapter) == "SQLAlchemyAdapter('postgresql+psycopg://app:***@db.example/app')"


def test_the_default_database_is_a_sqlite_file_or_database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert str(SQLAlchemyAdapter()._runner.url) == "sqlite:///./nextauth.db"
    monkeypatch.setenv("DATABASE_URL", "postgres://a@db.example/x")
    assert str(SQLAlchemyAdapter()._runner.url) == "postgresql+psycopg://a@db.example/x"


def test_create_schema_is_idempotent_and_uses_next_auth_column_names(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nested' / 'auth.db'}"  # the directory is created
    create_schema(url)
    create_schema(url)
    engine = create_engine(url)
    try:
        inspector = inspect(engine)
        for table, columns in NEXT_AUTH_COLUMNS.items():
            assert [c["name"] for c in inspector.get_columns(table)] == columns
        fks = inspector.get_foreign_keys("accounts")
        assert fks[0]["referred_table"] == "users" and fks[0]["options"].get("ondelete") == "CASCADE"
    finally:
        engine.dispose()
    with sqlite3.connect(tmp_path / "nested" / "auth.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_metadata_is_exported_for_alembic() -> None:
    assert set(metadata.tables) == {*NEXT_AUTH_COLUMNS, "rate_limits"}  # rate_limits: nextauth's own (0003)


async def test_missing_tables_say_how_to_create_them(tmp_path: Path) -> None:
    adapter = SQLAlchemyAdapter(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(SchemaMissingError, match="nextauth db init"):
        await adapter.get_user("x")
    await adapter.aclose()


async def test_custom_table_names_and_extra_columns(tmp_path: Path) -> None:
    tables = define_tables(MetaData(), users="auth_users", verification_tokens="verification_token")
    tables.users.append_column(Column("role", String(20)))
    adapter = SQLAlchemyAdapter(f"sqlite:///{tmp_path / 'custom.db'}", tables=tables, create_tables=True)
    user = await adapter.create_user({"email": "a@example.com", "role": "admin"})
    assert (await adapter.get_user(user["id"]) or {})["role"] == "admin"
    await adapter.create_verification_token({"identifier": "a@example.com", "token": "t", "expires": later()})
    assert await adapter.use_verification_token("a@example.com", "t") is not None
    await adapter.aclose()
    with sqlite3.connect(tmp_path / "custom.db") as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert names == {"auth_users", "accounts", "sessions", "verification_token", "rate_limits"}


async def test_two_adapters_on_one_sqlite_file_write_concurrently(tmp_path: Path) -> None:
    """Two engines (as two worker processes would have) contend for the file: WAL + busy timeout cope."""
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    create_schema(url)
    first, second = SQLAlchemyAdapter(url), SQLAlchemyAdapter(url)
    created = await asyncio.gather(
        *((first if n % 2 else second).create_user({"email": f"user{n}@example.com"}) for n in range(40))
    )
    assert len({u["id"] for u in created}) == 40
    assert await second.get_user_by_email("user7@example.com") == created[7]
    await first.aclose()
    await second.aclose()


async def test_an_engine_you_pass_is_used_as_is_and_not_closed(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'mine.db'}")
    create_schema(engine)
    adapter = SQLAlchemyAdapter(engine)
    user = await adapter.create_user({"email": "a@example.com"})
    await adapter.aclose()
    with engine.connect() as conn:  # still usable
        assert conn.exec_driver_sql("SELECT count(*) FROM users").scalar_one() == 1
    assert user["email"] == "a@example.com"
    engine.dispose()


async def test_sql_echo_never_shows_parameters(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    adapter = SQLAlchemyAdapter(f"sqlite:///{tmp_path / 'echo.db'}", create_tables=True, echo=True)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    user = await adapter.create_user({"email": "leak@example.com"})
    secret = "SECRET-TOKEN-0xdeadbeef"
    await adapter.create_session({"session_token": secret, "user_id": user["id"], "expires": later()})
    await adapter.get_session_and_user(secret)
    await adapter.create_verification_token(
        {"identifier": "leak@example.com", "token": secret + "v", "expires": later()}
    )
    await adapter.use_verification_token("leak@example.com", secret + "v")
    await adapter.aclose()
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "INSERT INTO sessions" in text  # the log is on...
    assert secret not in text and "leak@example.com" not in text  # ...and holds no values


def test_echo_is_off_by_default(tmp_path: Path) -> None:
    assert SQLAlchemyAdapter(f"sqlite:///{tmp_path / 'q.db'}").engine.echo is False


# -- PostgreSQL ----------------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.slow
def test_postgres_schema_is_next_auths_with_timestamptz(postgres_cluster: object) -> None:
    from fixtures.postgres import PostgresCluster

    assert isinstance(postgres_cluster, PostgresCluster)
    url = postgres_cluster.create_database("nextauth_schema")
    create_schema(url.replace("postgresql+psycopg://", "postgres://", 1))
    create_schema(url)
    engine = create_engine(url)
    try:
        inspector = inspect(engine)
        for table, columns in NEXT_AUTH_COLUMNS.items():
            assert [c["name"] for c in inspector.get_columns(table)] == columns
        expires = {c["name"]: c for c in inspector.get_columns("sessions")}["expires"]
        assert expires["type"].timezone is True
        uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints("accounts")}
        assert ("provider", "providerAccountId") in uniques
    finally:
        engine.dispose()


@pytest.mark.postgres
@pytest.mark.slow
async def test_postgres_async_engine_and_missing_schema(postgres_cluster: object) -> None:
    from fixtures.postgres import PostgresCluster

    assert isinstance(postgres_cluster, PostgresCluster)
    url = postgres_cluster.create_database("nextauth_async").replace("+psycopg://", "+psycopg_async://", 1)
    adapter = SQLAlchemyAdapter(url)
    with pytest.raises(SchemaMissingError, match="nextauth db init"):
        await adapter.get_user_by_email("a@example.com")
    await adapter.create_tables()
    user = await adapter.create_user({"email": "a@example.com"})
    assert await adapter.get_user_by_email("a@example.com") == user
    await adapter.aclose()


# -- the first-sign-in transaction --------------------------------------------------------------------------
GITHUB = {"type": "oauth", "provider": "github", "access_token": "gho_x"}


async def test_create_user_and_link_account_writes_both_rows_or_neither(sql_adapter: SQLAlchemyAdapter) -> None:
    from nextauth.adapters.sqlalchemy import IntegrityViolationError

    user = await sql_adapter.create_user_and_link_account(
        {"name": "Ada", "email": "ada@example.org", "email_verified": None}, {**GITHUB, "provider_account_id": 1}
    )
    assert await sql_adapter.get_user_by_account("github", "1") == user
    assert await sql_adapter.get_user_by_email("ada@example.org") == user

    # The email is taken: the account is not linked to anyone.
    with pytest.raises(IntegrityViolationError) as taken:
        await sql_adapter.create_user_and_link_account(
            {"email": "ada@example.org"}, {**GITHUB, "provider_account_id": 2}
        )
    assert taken.value.kind == "unique"
    assert await sql_adapter.get_user_by_account("github", "2") is None

    # The account is taken: the user, whose row went in first, is rolled back with it.
    with pytest.raises(IntegrityViolationError):
        await sql_adapter.create_user_and_link_account(
            {"email": "bob@example.org"}, {**GITHUB, "provider_account_id": 1}
        )
    assert await sql_adapter.get_user_by_email("bob@example.org") is None
    assert await sql_adapter.get_user_by_account("github", "1") == user


async def test_create_tables_stamps_a_fresh_database_with_the_newest_revision(tmp_path: Path) -> None:
    from nextauth.adapters import migrations

    adapter = SQLAlchemyAdapter(f"sqlite:///{tmp_path / 'auth.db'}", create_tables=True)
    await adapter.get_user("x")  # the first call creates the tables
    await adapter.aclose()
    with sqlite3.connect(tmp_path / "auth.db") as conn:
        stamped = conn.execute(f"SELECT version_num FROM {migrations.VERSION_TABLE}").fetchall()
    assert stamped == [(migrations.head_revision(),)]
