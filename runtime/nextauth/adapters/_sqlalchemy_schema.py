"""The four tables of next-auth's SQL adapters, as SQLAlchemy Core tables.

Column *names* are next-auth's (``"userId"``, ``"emailVerified"``, ``"providerAccountId"``, as in
@auth/pg-adapter and the Prisma schema), so a NextAuth.js app can share the database; column *keys* are
the snake_case record keys of :mod:`nextauth.adapters` (``users.c.email_verified``). Ids are strings
(uuid4 unless the caller supplies one).

A change here ships with a revision in :mod:`nextauth.adapters.migrations` that makes the same change
(tests/adapters/test_migrations.py compares the migrated database with these tables).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

__all__ = ["Tables", "UTCDateTime", "define_tables"]

# Backends whose ``DateTime(timezone=True)`` keeps the offset (TIMESTAMPTZ, DATETIMEOFFSET, ...).
_TZ_AWARE_DIALECTS = frozenset({"postgresql", "oracle", "mssql"})


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that goes in as any aware ``datetime`` and always comes out aware, in UTC.

    PostgreSQL stores ``timestamptz``; SQLite and MySQL have no zone, so the value is stored as naive UTC.
    A naive input is taken to be UTC already (the adapter contract asks for aware datetimes).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value if dialect.name in _TZ_AWARE_DIALECTS else value.replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:  # noqa: ARG002
        if value is None:
            return None
        if isinstance(value, str):  # a foreign writer stored text (SQLite has no real datetime type)
            value = datetime.fromisoformat(value)
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime from the database, got {type(value).__name__}")
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Tables:
    """The adapter's tables and the ``MetaData`` they belong to (add it to Alembic's ``target_metadata``)."""

    metadata: MetaData
    users: Table
    accounts: Table
    sessions: Table
    verification_tokens: Table
    rate_limits: Table | None = None
    """Brute-force limit counters (``AuthOptions.rate_limit``; migration 0003); not a next-auth table."""


def define_tables(
    metadata: MetaData | None = None,
    *,
    users: str = "users",
    accounts: str = "accounts",
    sessions: str = "sessions",
    verification_tokens: str = "verification_tokens",
    rate_limits: str = "rate_limits",
) -> Tables:
    """Define the four tables on ``metadata`` (a new one by default), optionally under other names.

    For example ``define_tables(verification_tokens="verification_token")`` matches @auth/pg-adapter's
    singular table name. Extra columns added to the returned tables (``users.append_column(...)``) are
    read and written by the adapter under their column keys.
    """
    md = metadata if metadata is not None else MetaData()
    users_t = Table(
        users,
        md,
        Column("id", String(255), primary_key=True),
        Column("name", String(255)),
        Column("email", String(255), unique=True),
        Column("emailVerified", UTCDateTime(), key="email_verified"),
        Column("image", Text),
    )
    accounts_t = Table(
        accounts,
        md,
        Column("id", String(255), primary_key=True),
        Column(
            "userId",
            String(255),
            ForeignKey(f"{users}.id", ondelete="CASCADE"),
            nullable=False,
            key="user_id",
        ),
        Column("type", String(255), nullable=False),
        Column("provider", String(255), nullable=False),
        Column("providerAccountId", String(255), nullable=False, key="provider_account_id"),
        Column("refresh_token", Text),
        Column("access_token", Text),
        Column("expires_at", BigInteger),
        Column("token_type", Text),
        Column("scope", Text),
        Column("id_token", Text),
        Column("session_state", Text),
        UniqueConstraint("provider", "provider_account_id", name=f"{accounts}_provider_providerAccountId_key"),
        Index(f"{accounts}_userId_idx", "user_id"),
    )
    sessions_t = Table(
        sessions,
        md,
        Column("id", String(255), primary_key=True),
        Column("sessionToken", String(255), nullable=False, unique=True, key="session_token"),
        Column(
            "userId",
            String(255),
            ForeignKey(f"{users}.id", ondelete="CASCADE"),
            nullable=False,
            key="user_id",
        ),
        Column("expires", UTCDateTime(), nullable=False),
        Index(f"{sessions}_userId_idx", "user_id"),
        Index(f"{sessions}_expires_idx", "expires"),  # delete_expired (migration 0002)
    )
    tokens_t = Table(
        verification_tokens,
        md,
        Column("identifier", String(255), nullable=False),
        Column("token", String(255), nullable=False),
        Column("expires", UTCDateTime(), nullable=False),
        PrimaryKeyConstraint("identifier", "token", name=f"{verification_tokens}_pkey"),
        Index(f"{verification_tokens}_expires_idx", "expires"),  # delete_expired (migration 0002)
    )
    limits_t = Table(
        rate_limits,
        md,
        Column("key", String(255), primary_key=True),  # a digest and its window, never an identifier
        Column("count", BigInteger, nullable=False),
        Column("expires", BigInteger, nullable=False),  # seconds since the epoch: the window's end
        Index(f"{rate_limits}_expires_idx", "expires"),
    )
    return Tables(md, users_t, accounts_t, sessions_t, tokens_t, limits_t)
