"""The adapter contract suite runs against the in-memory adapter, SQLite (a file, and in memory) and PostgreSQL
(sync and async engines); the SQLAlchemy-only tests against the SQL backends."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from nextauth.adapters.memory import MemoryAdapter
from nextauth.adapters.sqlalchemy import SQLAlchemyAdapter, create_schema

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "runtime" / "core"))  # authkit

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
        conn.execute("TRUNCATE users, accounts, sessions, verification_tokens, rate_limits CASCADE")


@pytest.fixture(params=BACKENDS)
async def sql_adapter(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SQLAlchemyAdapter]:
    """A fresh, empty database behind a new SQLAlchemy adapter, for every test and SQL backend."""
    async with _sql_adapter(request, tmp_path, request.param) as instance:
        yield instance


@pytest.fixture(params=[pytest.param("memory", id="memory"), *BACKENDS])
async def adapter(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[MemoryAdapter | SQLAlchemyAdapter]:
    """A fresh, empty adapter of every kind that must pass the contract suite."""
    if request.param == "memory":
        yield MemoryAdapter()
        return
    async with _sql_adapter(request, tmp_path, request.param) as instance:
        yield instance


@contextlib.asynccontextmanager
async def _sql_adapter(
    request: pytest.FixtureRequest, tmp_path: Path, backend: str
) -> AsyncIterator[SQLAlchemyAdapter]:
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
