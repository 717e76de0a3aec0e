"""The SQLAlchemy adapter: users, accounts, sessions and verification tokens in any SQL database.

    from nextauth.adapters.sqlalchemy import SQLAlchemyAdapter

    adapter = SQLAlchemyAdapter("sqlite:///./nextauth.db")            # embedded, the default
    adapter = SQLAlchemyAdapter(os.environ["DATABASE_URL"])          # postgresql://... (psycopg 3)

The tables are next-auth's (spec §10; the column names of @auth/pg-adapter and the Prisma schema), so a
NextAuth.js app can share the database. Create them once with ``nextauth db init`` /
:func:`create_schema`, with Alembic (``target_metadata = nextauth.adapters.sqlalchemy.metadata``), or
with ``create_tables=True``; bring an existing database up to date with ``nextauth db upgrade`` /
:func:`upgrade_schema` (the migrations are in :mod:`nextauth.adapters.migrations`).

Concurrency: unique constraints guard users' emails, accounts' ``(provider, providerAccountId)`` and
session tokens; ``use_verification_token`` is a single ``DELETE ... RETURNING`` (one winner however many
requests race); ``link_account`` of an account already linked to the same user returns the existing
link, so a double-submitted sign-in does not fail; ``create_user_and_link_account`` writes a first
sign-in's user and account in one transaction, so nobody ever sees one without the other. SQLite runs in
WAL mode with ``BEGIN IMMEDIATE`` write transactions (see ``_sqlalchemy_engine``).

``echo=True`` logs every SQL statement (parameters stay hidden); ``echo="debug"`` also logs result
rows, which include session and OAuth tokens: use it only against a throwaway database.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from sqlalchemy import Row, Table, delete, insert, inspect, select, update
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from nextauth.adapters._checks import required
from nextauth.adapters._sqlalchemy_engine import (
    DEFAULT_URL,
    IntegrityViolationError,
    Mode,
    RecordNotFoundError,
    Runner,
    SchemaMissingError,
    SQLAlchemyAdapterError,
    database_url,
    make_engine,
    safe_url,
)
from nextauth.adapters._sqlalchemy_queries import Columns, Queries, utcnow
from nextauth.adapters._sqlalchemy_schema import Tables, UTCDateTime, define_tables

if TYPE_CHECKING:
    from nextauth.adapters import Adapter

__all__ = [
    "DEFAULT_URL",
    "IntegrityViolationError",
    "RecordNotFoundError",
    "SQLAlchemyAdapter",
    "SQLAlchemyAdapterError",
    "SchemaMissingError",
    "Tables",
    "UTCDateTime",
    "accounts",
    "create_schema",
    "database_url",
    "define_tables",
    "metadata",
    "sessions",
    "tables",
    "upgrade_schema",
    "users",
    "verification_tokens",
]

T = TypeVar("T")

tables = define_tables()
"""The default tables; ``metadata`` is what Alembic's ``env.py`` needs."""
metadata = tables.metadata
users = tables.users
accounts = tables.accounts
sessions = tables.sessions
verification_tokens = tables.verification_tokens

_SCHEMA_LOCK_KEY = 0x6E657874  # pg_advisory_xact_lock key: two processes creating the schema queue up


def _lock_schema(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_SCHEMA_LOCK_KEY})")


def _create_all(conn: Connection, t: Tables) -> None:
    from nextauth.adapters import migrations

    _lock_schema(conn)
    ours = [t.users, t.accounts, t.sessions, t.verification_tokens]
    existing = set(inspect(conn).get_table_names())
    fresh = not any(table.name in existing for table in ours)
    extra = [t.rate_limits] if t.rate_limits is not None else []
    t.metadata.create_all(conn, tables=ours + extra, checkfirst=True)
    if fresh and tuple(table.name for table in ours) == migrations.TABLES:
        # Made from the newest metadata: record the newest revision, so `nextauth db upgrade` has nothing to do.
        # Tables that existed already are left unstamped: upgrade_schema recognises them and migrates them.
        migrations.stamp_head(conn)


def _upgrade(conn: Connection) -> tuple[str | None, str]:
    from nextauth.adapters import migrations

    _lock_schema(conn)
    return migrations.upgrade(conn)


def create_schema(url_or_engine: str | URL | Engine | AsyncEngine | None = None, *, tables: Tables = tables) -> None:
    """Create the adapter's tables if they do not exist (idempotent). Synchronous: for CLIs and startup code.

    ``url_or_engine`` defaults to ``DATABASE_URL``, then ``sqlite:///./nextauth.db``. For SQLite this also
    switches the file to WAL mode.
    """
    owned = not isinstance(url_or_engine, Engine | AsyncEngine)
    engine = _resolve_engine(url_or_engine, echo=False, options=None)
    try:
        if isinstance(engine, AsyncEngine):
            import asyncio

            async def _run_async() -> None:
                async with engine.begin() as conn:
                    await conn.run_sync(_create_all, tables)
                if owned:
                    await engine.dispose()

            asyncio.run(_run_async())
            return
        Runner(engine).run_sync("create_schema", lambda conn: _create_all(conn, tables), "write")
    finally:
        if owned and isinstance(engine, Engine):
            engine.dispose()


def upgrade_schema(url_or_engine: str | URL | Engine | AsyncEngine | None = None) -> tuple[str | None, str]:
    """Migrate the tables to the newest revision (:mod:`nextauth.adapters.migrations`), in one transaction.

    Returns ``(revision before, revision after)``; before is ``None`` when the database was empty (the
    tables are created). A database made before nextauth had migrations (no version table) is
    recognised and upgraded from the baseline. Synchronous, like :func:`create_schema`; raises
    :class:`~nextauth.adapters.migrations.MigrationError` when the database cannot be migrated as it is.
    """
    owned = not isinstance(url_or_engine, Engine | AsyncEngine)
    engine = _resolve_engine(url_or_engine, echo=False, options=None)
    try:
        if isinstance(engine, AsyncEngine):
            import asyncio

            async def _run_async() -> tuple[str | None, str]:
                try:
                    async with engine.begin() as conn:
                        return await conn.run_sync(_upgrade)
                finally:
                    if owned:
                        await engine.dispose()

            return asyncio.run(_run_async())
        return Runner(engine).run_sync("upgrade_schema", _upgrade, "write")
    finally:
        if owned and isinstance(engine, Engine):
            engine.dispose()


def _resolve_engine(
    url_or_engine: str | URL | Engine | AsyncEngine | None, *, echo: bool | Literal["debug"], options: Any
) -> Engine | AsyncEngine:
    if isinstance(url_or_engine, Engine | AsyncEngine):
        return url_or_engine
    if url_or_engine is None:
        url_or_engine = os.environ.get("DATABASE_URL", "").strip() or DEFAULT_URL
    if not isinstance(url_or_engine, str | URL):
        raise TypeError(
            f"expected a database URL or a SQLAlchemy Engine/AsyncEngine, got {type(url_or_engine).__name__}"
        )
    return make_engine(url_or_engine, echo=echo, options=options)


class SQLAlchemyAdapter:
    """next-auth's adapter contract on SQLAlchemy 2 (every method is a coroutine; records are dicts).

    ``url_or_engine``: a database URL (default ``DATABASE_URL``, then ``sqlite:///./nextauth.db``;
    ``postgres://``/``postgresql://`` use psycopg 3), or an ``Engine``/``AsyncEngine`` you configured (used
    as is). ``create_tables``: create missing tables on first use. ``echo``: SQLAlchemy's statement log;
    off by default, and ``"debug"`` logs result rows, tokens included. ``tables``: other table names
    (:func:`define_tables`). ``engine_options``: extra ``create_engine`` arguments (``pool_size``, ...).
    """

    def __init__(
        self,
        url_or_engine: str | URL | Engine | AsyncEngine | None = None,
        *,
        create_tables: bool = False,
        echo: bool | Literal["debug"] = False,
        tables: Tables = tables,
        engine_options: Mapping[str, Any] | None = None,
    ) -> None:
        self._owns_engine = not isinstance(url_or_engine, Engine | AsyncEngine)
        self.engine: Engine | AsyncEngine = _resolve_engine(url_or_engine, echo=echo, options=engine_options)
        self.tables = tables
        self._runner = Runner(self.engine)
        self._users = Columns(tables.users)
        self._accounts = Columns(tables.accounts, hidden=("id",))
        self._sessions = Columns(tables.sessions, hidden=("id",))
        self._tokens = Columns(tables.verification_tokens)
        self._q = Queries(tables)
        self._schema_ready = not create_tables

    def __repr__(self) -> str:
        return f"SQLAlchemyAdapter({safe_url(self._runner.url)!r})"

    # -- plumbing ------------------------------------------------------------------------------------
    async def _run(self, method: str, fn: Callable[[Connection], T], mode: Mode) -> T:
        if not self._schema_ready:
            await self.create_tables()
        return await self._runner.run(method, fn, mode)

    async def create_tables(self) -> None:
        """Create the tables if they do not exist yet (what ``create_tables=True`` does on first use)."""

        try:
            await self._runner.run("create_tables", lambda conn: _create_all(conn, self.tables), "write")
        except SQLAlchemyAdapterError:
            # Another process created them between our check and our CREATE (backends without a schema lock).
            await self._runner.run("create_tables", lambda conn: _create_all(conn, self.tables), "write")
        self._schema_ready = True

    async def aclose(self) -> None:
        """Close the connection pool (only of an engine the adapter created itself)."""
        if not self._owns_engine:
            return
        if isinstance(self.engine, AsyncEngine):
            await self.engine.dispose()
        else:
            import anyio.to_thread

            await anyio.to_thread.run_sync(self.engine.dispose)

    # -- users ---------------------------------------------------------------------------------------
    async def create_user(self, user: dict[str, Any]) -> dict[str, Any]:
        values = self._users.values(user)
        values["id"] = str(values.get("id") or uuid.uuid4())
        stmt = self._q.insert_user
        await self._run("create_user", lambda conn: conn.execute(stmt, values), "atomic")
        return self._users.record(values)

    async def get_user(self, id: str) -> dict[str, Any] | None:  # the protocol's name
        return await self._one("get_user", self._q.user_by_id, {"_id": str(id)}, self._users)

    async def get_user_by_email(self, email: str) -> dict[str, Any] | None:
        if not email:
            return None
        return await self._one("get_user_by_email", self._q.user_by_email, {"_email": email}, self._users)

    async def get_user_by_account(self, provider: str, provider_account_id: str) -> dict[str, Any] | None:
        params = {"_provider": provider, "_account": str(provider_account_id)}
        return await self._one("get_user_by_account", self._q.user_by_account, params, self._users)

    async def update_user(self, user: dict[str, Any]) -> dict[str, Any]:
        required("update_user", user, "id")
        values = self._users.values(user, skip=("id",))
        table = self.tables.users
        row = await self._run(
            "update_user",
            lambda conn: self._q.update_returning(conn, table, {"id": str(user["id"])}, values),
            "atomic" if values else "read",
        )
        if row is None:
            raise RecordNotFoundError("update_user: no user with this id")
        return self._users.record(row)

    async def delete_user(self, user_id: str) -> None:
        t = self.tables

        def op(conn: Connection) -> None:
            # ON DELETE CASCADE does this too; explicit deletes also cover engines without foreign keys.
            conn.execute(delete(t.sessions).where(t.sessions.c.user_id == str(user_id)))
            conn.execute(delete(t.accounts).where(t.accounts.c.user_id == str(user_id)))
            conn.execute(delete(t.users).where(t.users.c.id == str(user_id)))

        await self._run("delete_user", op, "write")

    # -- accounts ------------------------------------------------------------------------------------
    async def link_account(self, account: dict[str, Any]) -> dict[str, Any] | None:
        values = self._accounts.values(account, skip=("id",))
        required("link_account", values, "user_id", "type", "provider", "provider_account_id")
        values["user_id"] = str(values["user_id"])
        values["provider_account_id"] = str(values["provider_account_id"])
        if values.get("expires_at") is not None:
            values["expires_at"] = int(values["expires_at"])
        row = {**values, "id": str(uuid.uuid4())}
        stmt = self._q.insert_account
        try:
            await self._run("link_account", lambda conn: conn.execute(stmt, row), "atomic")
        except IntegrityViolationError as exc:
            if exc.kind != "unique":
                raise
            # Two requests linking the same account: the loser returns the winner's link if it is the same user.
            params = {"_provider": values["provider"], "_account": values["provider_account_id"]}
            existing = await self._one("link_account", self._q.account_by_key, params, self._accounts)
            if existing is not None and existing["user_id"] == values["user_id"]:
                return existing
            raise
        return self._accounts.record(row)

    async def create_user_and_link_account(self, user: dict[str, Any], account: dict[str, Any]) -> dict[str, Any]:
        """``create_user`` and ``link_account`` in one transaction: both rows are written, or neither.

        The runtime uses this for a first OAuth sign-in, so a user never exists without the account that
        made them, not even for a moment: a concurrent first sign-in of the same account either sees both
        rows or none. When a unique constraint refuses (the email is taken, the account is linked
        already; a concurrent first sign-in won) it raises :class:`IntegrityViolationError` and has
        written nothing. ``account`` needs no ``user_id``.
        """
        user_values = self._users.values(user)
        user_values["id"] = str(user_values.get("id") or uuid.uuid4())
        account_values = self._accounts.values({**account, "user_id": user_values["id"]}, skip=("id",))
        required("create_user_and_link_account", account_values, "type", "provider", "provider_account_id")
        account_values["provider_account_id"] = str(account_values["provider_account_id"])
        if account_values.get("expires_at") is not None:
            account_values["expires_at"] = int(account_values["expires_at"])
        account_row = {**account_values, "id": str(uuid.uuid4())}
        insert_user, insert_account = self._q.insert_user, self._q.insert_account

        def op(conn: Connection) -> None:
            conn.execute(insert_user, user_values)
            conn.execute(insert_account, account_row)

        await self._run("create_user_and_link_account", op, "write")
        return self._users.record(user_values)

    async def get_accounts_by_user(self, user_id: str) -> list[dict[str, Any]]:
        """The user's linked accounts (optional method: access-token refresh with database sessions)."""
        a = self.tables.accounts
        stmt = select(a).where(a.c.user_id == str(user_id))
        rows = await self._run("get_accounts_by_user", lambda conn: conn.execute(stmt).all(), "read")
        return [self._accounts.record(row) for row in rows]

    async def update_account(self, account: dict[str, Any]) -> dict[str, Any] | None:
        """Update the account ``provider`` + ``provider_account_id`` names with the other fields given
        (optional method: access-token refresh stores new tokens); ``None`` when there is no such account."""
        required("update_account", account, "provider", "provider_account_id")
        values = self._accounts.values(account, skip=("id", "provider", "provider_account_id", "user_id"))
        if values.get("expires_at") is not None:
            values["expires_at"] = int(values["expires_at"])
        table = self.tables.accounts
        keys = {"provider": str(account["provider"]), "provider_account_id": str(account["provider_account_id"])}
        row = await self._run(
            "update_account",
            lambda conn: self._q.update_returning(conn, table, keys, values),
            "atomic" if values else "read",
        )
        return None if row is None else self._accounts.record(row)

    async def unlink_account(self, provider: str, provider_account_id: str) -> None:
        stmt = self._q.delete_account
        params = {"_provider": provider, "_account": str(provider_account_id)}
        await self._run("unlink_account", lambda conn: conn.execute(stmt, params), "atomic")

    # -- sessions ------------------------------------------------------------------------------------
    async def create_session(self, session: dict[str, Any]) -> dict[str, Any]:
        values = self._sessions.values(session, skip=("id",))
        required("create_session", values, "session_token", "user_id", "expires")
        values["user_id"] = str(values["user_id"])
        row = {**values, "id": str(uuid.uuid4())}
        stmt = self._q.insert_session
        await self._run("create_session", lambda conn: conn.execute(stmt, row), "atomic")
        return self._sessions.record(row)

    async def get_session_and_user(self, session_token: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        stmt = self._q.session_and_user

        def op(conn: Connection) -> Row[Any] | None:
            return conn.execute(stmt, {"_token": session_token}).first()

        row = await self._run("get_session_and_user", op, "read")
        if row is None:
            return None
        return self._sessions.record(row), self._users.record(row)

    async def update_session(self, session: dict[str, Any]) -> dict[str, Any] | None:
        required("update_session", session, "session_token")
        values = self._sessions.values(session, skip=("id", "session_token"))
        if "user_id" in values:
            values["user_id"] = str(values["user_id"])
        table = self.tables.sessions
        row = await self._run(
            "update_session",
            lambda conn: self._q.update_returning(conn, table, {"session_token": session["session_token"]}, values),
            "atomic" if values else "read",
        )
        return None if row is None else self._sessions.record(row)

    async def delete_session(self, session_token: str) -> dict[str, Any] | None:
        table = self.tables.sessions
        row = await self._run(
            "delete_session",
            lambda conn: self._q.delete_returning(conn, table, {"session_token": session_token}),
            "atomic",
        )
        return None if row is None else self._sessions.record(row)

    # -- verification tokens ---------------------------------------------------------------------------
    async def create_verification_token(self, token: dict[str, Any]) -> dict[str, Any] | None:
        values = self._tokens.values(token)
        required("create_verification_token", values, "identifier", "token", "expires")
        stmt = self._q.insert_token
        await self._run("create_verification_token", lambda conn: conn.execute(stmt, values), "atomic")
        return self._tokens.record(values)

    async def use_verification_token(self, identifier: str, token: str) -> dict[str, Any] | None:
        """Delete and return the token; of concurrent uses exactly one gets it, the others ``None``."""
        table = self.tables.verification_tokens
        keys = {"identifier": identifier, "token": token}
        row = await self._run(
            "use_verification_token", lambda conn: self._q.delete_returning(conn, table, keys), "atomic"
        )
        return None if row is None else self._tokens.record(row)

    # -- brute-force limit counters (optional: AuthOptions.rate_limit shares them between processes) --------
    async def hit_rate_limit(self, key: str, window: int, now: float) -> int:
        """Add one to ``key``'s counter for the ``window``-second window holding ``now``; the new count.
        Atomic across processes: the row is updated, or inserted by exactly one of concurrent first hits."""
        from nextauth._lib.rate_limit import bucket_of

        t = self.tables.rate_limits
        if t is None:
            raise SchemaMissingError("the tables have no rate_limits table (define_tables makes one)")
        row, ends = bucket_of(key, window, now)
        table: Table = t

        def op(conn: Connection) -> int:
            bump = update(table).where(table.c["key"] == row).values(count=table.c["count"] + 1)
            if conn.execute(bump).rowcount == 0:
                try:
                    with conn.begin_nested():
                        conn.execute(insert(table).values(key=row, count=1, expires=int(ends)))
                except IntegrityError:  # another process inserted it first: count on its row
                    conn.execute(bump)
            conn.execute(delete(table).where(table.c.expires < int(now) - window))  # old windows (indexed)
            count = conn.execute(select(table.c["count"]).where(table.c["key"] == row)).scalar_one()
            return int(count)

        return await self._run("hit_rate_limit", op, "write")

    async def reset_rate_limit(self, key: str, window: int, now: float) -> None:
        """Forget ``key``'s counter for the current window (a right password clears its identifier's)."""
        from nextauth._lib.rate_limit import bucket_of

        t = self.tables.rate_limits
        if t is None:
            return
        row, _ = bucket_of(key, window, now)
        stmt = delete(t).where(t.c["key"] == row)
        await self._run("reset_rate_limit", lambda conn: conn.execute(stmt), "atomic")

    # -- maintenance ---------------------------------------------------------------------------------
    async def delete_expired(self, now: datetime | None = None) -> dict[str, int]:
        """Delete expired sessions and verification tokens; returns how many of each (run it from a cron job)."""
        cutoff = now or utcnow()
        s, v = self.tables.sessions, self.tables.verification_tokens

        def op(conn: Connection) -> dict[str, int]:
            gone_sessions = conn.execute(delete(s).where(s.c.expires < cutoff)).rowcount
            gone_tokens = conn.execute(delete(v).where(v.c.expires < cutoff)).rowcount
            return {"sessions": gone_sessions, "verification_tokens": gone_tokens}

        return await self._run("delete_expired", op, "write")

    async def _one(self, method: str, stmt: Any, params: dict[str, Any], columns: Columns) -> dict[str, Any] | None:
        def op(conn: Connection) -> Row[Any] | None:
            return conn.execute(stmt, params).first()

        row = await self._run(method, op, "read")
        return None if row is None else columns.record(row)


if TYPE_CHECKING:
    _conforms: type[Adapter] = SQLAlchemyAdapter
