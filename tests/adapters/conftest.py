"""The adapter contract suite runs against SQLite (a file, and in memory) and PostgreSQL (sync and async engines)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from nextauth.adapters.sqlalchemy import SQLAlchemyAdapter, create_schema

_pg = [pytest.mark.postgres, pytest.mark.slow]

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("sqlite-memory", id="sqlite-memory"),
    pytest.param("postgres", id="postgres", marks=_pg),
    pytest.param("postgres-async", id="postgres-async", marks=_pg),
]


@pytest.fixture(scope="session")
def pg_schema_url(request: pytest.FixtureRequest) -> str:
    """The session database with the adapter's tables."""
    url: str = request.getfixturevalue("postgres_url")
    create_schema(url)
    return url


def _truncate(url: str) -> None:
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("TRUNCATE users, accounts, sessions, verification_tokens CASCADE")


@pytest.fixture(params=BACKENDS)
async def adapter(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SQLAlchemyAdapter]:
    """A fresh, empty database behind a new adapter, for every test and backend."""
    backend: str = request.param
    if backend == "sqlite":
        instance = SQLAlchemyAdapter(f"sqlite:///{tmp_path / 'auth.db'}", create_tables=True)
    elif backend == "sqlite-memory":
        instance = SQLAlchemyAdapter("sqlite://", create_tables=True)
    else:
        url: str = request.getfixturevalue("pg_schema_url")
        _truncate(url)
        if backend == "postgres-async":
            url = url.replace("postgresql+psycopg://", "postgresql+psycopg_async://", 1)
        instance = SQLAlchemyAdapter(url)
    try:
        yield instance
    finally:
        await instance.aclose()
