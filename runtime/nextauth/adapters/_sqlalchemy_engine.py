"""Engines for the SQLAlchemy adapter: URL conventions, SQLite tuning, transactions and safe errors.

Why a synchronous engine in worker threads (the default) rather than an ``AsyncEngine``: an adapter
call is one short transaction, so running the whole transaction in one worker thread costs a single
thread hop per call, where an async driver hops per statement (aiosqlite is itself a thread per
connection; SQLite has no truly asynchronous driver). psycopg 3's synchronous driver is its most
mature, and no greenlet sits on the hot path. An ``AsyncEngine`` (or an async driver URL such as
``postgresql+psycopg_async://``) is accepted too and runs the same code through ``run_sync``.

SQLite survives concurrent writers thanks to three things: WAL journaling (readers never block the
writer), ``BEGIN IMMEDIATE`` for every write transaction (the write lock is taken up front, so a
transaction never fails half-way when upgrading a read lock), and a busy timeout for writers in other
processes. Within one process, writers also queue on a lock before ``BEGIN IMMEDIATE`` instead of
polling SQLite's busy handler.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal, TypeVar

from sqlalchemy import event, exc as sa_exc
from sqlalchemy.engine import URL, Connection, Engine, create_engine, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import QueuePool, StaticPool

T = TypeVar("T")
Mode = Literal["read", "atomic", "write"]
"""``read``: queries only; ``atomic``: one data-changing statement; ``write``: a multi-statement transaction."""

DEFAULT_URL = "sqlite:///./nextauth.db"
SQLITE_BUSY_TIMEOUT = 15.0  # seconds a writer in another process may hold the lock before we give up
_MODE_OPTION = "nextauth_mode"


class SQLAlchemyAdapterError(Exception):
    """A database operation of the SQLAlchemy adapter failed.

    Messages never contain SQL parameters or stored values (tokens, emails); the driver's exception is
    kept on ``original`` for debugging.
    """

    original: BaseException | None = None


class IntegrityViolationError(SQLAlchemyAdapterError):
    """A constraint refused the write. ``kind`` is ``unique``, ``foreign_key``, ``not_null`` or ``other``."""

    def __init__(self, message: str, *, kind: str, constraint: str | None) -> None:
        super().__init__(message)
        self.kind = kind
        self.constraint = constraint


class SchemaMissingError(SQLAlchemyAdapterError):
    """The tables do not exist yet."""


class RecordNotFoundError(SQLAlchemyAdapterError, LookupError):
    """An update addressed a row that does not exist."""


def database_url(url: str | URL) -> URL:
    """Parse ``url``, mapping ``postgres://`` and ``postgresql://`` to psycopg 3 (``postgresql+psycopg://``).

    SQLAlchemy's default PostgreSQL driver is psycopg2; hosting platforms hand out ``postgres://`` URLs.
    """
    text = str(url) if isinstance(url, URL) else url.strip()
    scheme, sep, rest = text.partition("://")
    if sep and scheme.lower() in ("postgres", "postgresql"):
        text = f"postgresql+psycopg://{rest}"
    try:
        return make_url(text)
    except sa_exc.ArgumentError:
        raise ValueError(
            "not a database URL: expected e.g. sqlite:///./nextauth.db or postgresql://user:pass@host/dbname"
        ) from None


def safe_url(url: URL) -> str:
    """The URL for messages: the password masked."""
    return url.render_as_string(hide_password=True)


def _is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def _sqlite_memory(url: URL) -> bool:
    database = url.database or ""
    return database in ("", ":memory:") or database.startswith("file::memory:") or "mode=memory" in str(url)


def _tune_sqlite(engine: Engine, *, memory: bool) -> None:
    """WAL and foreign keys on every connection; BEGIN IMMEDIATE for writes, autocommit for single reads."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (SQLAlchemy's pysqlite recipe)
        cursor = dbapi_connection.cursor()
        try:
            if not memory:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")  # durable in WAL mode up to the last checkpoint
            cursor.execute("PRAGMA foreign_keys=ON")  # ON DELETE CASCADE
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(_MODE_OPTION)
        if mode == "read":
            return  # a single SELECT: SQLite's autocommit gives it one consistent snapshot
        sql = "BEGIN IMMEDIATE" if mode in ("atomic", "write") else "BEGIN"
        dbapi_connection = conn.connection.dbapi_connection
        if conn.dialect.is_async or dbapi_connection is None:
            conn.exec_driver_sql(sql)
            return
        cursor = dbapi_connection.cursor()  # straight to the driver: BEGIN needs none of SQLAlchemy's machinery
        try:
            cursor.execute(sql)
        finally:
            cursor.close()


def make_engine(
    url: str | URL, *, echo: bool | Literal["debug"] = False, options: Mapping[str, Any] | None = None
) -> Engine | AsyncEngine:
    """An engine configured for the adapter (see the module docstring). ``options`` go to ``create_engine``."""
    parsed = database_url(url)
    kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
    sqlite = _is_sqlite(parsed)
    memory = sqlite and _sqlite_memory(parsed)
    if sqlite:
        connect_args: dict[str, Any] = {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT}
        if memory:
            kwargs["poolclass"] = StaticPool  # one shared connection, or every thread sees its own empty database
        elif parsed.database:
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = connect_args
    else:
        kwargs["pool_pre_ping"] = True
    kwargs.update(options or {})
    try:
        is_async = parsed.get_dialect().is_async
    except (sa_exc.NoSuchModuleError, ImportError) as exc:
        raise ValueError(f"no SQLAlchemy driver for {parsed.drivername!r}: {exc}") from None
    try:
        engine: Engine | AsyncEngine = (create_async_engine if is_async else create_engine)(parsed, **kwargs)
    except ModuleNotFoundError as exc:
        hint = (
            " (install it: pip install 'psycopg[binary]', or nextauth's postgres extra)"
            if parsed.get_backend_name() == "postgresql"
            else ""
        )
        raise ValueError(f"the database driver {exc.name!r} is not installed{hint}") from None
    if sqlite:
        _tune_sqlite(engine.sync_engine if isinstance(engine, AsyncEngine) else engine, memory=memory)
    return engine


_SQLITE_INTEGRITY = re.compile(r"^(UNIQUE|FOREIGN KEY|NOT NULL|CHECK) constraint failed(?::\s*(?P<what>[\w.,\s\"]+))?")
_PG_KINDS = {"23505": "unique", "23503": "foreign_key", "23502": "not_null"}
_MISSING_TABLE = re.compile(r"no such table|relation .* does not exist|doesn't exist|invalid object name", re.I)


def translate(method: str, error: sa_exc.StatementError, where: URL | None) -> SQLAlchemyAdapterError:
    """A driver error as an adapter error whose message holds no stored values (PostgreSQL's DETAIL line
    repeats the conflicting key, e.g. a session token)."""
    orig = error.orig
    first_line = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    result: SQLAlchemyAdapterError
    if isinstance(error, sa_exc.IntegrityError):
        kind, constraint = "other", None
        sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
        if sqlstate:
            kind = _PG_KINDS.get(str(sqlstate), "other")
            diag = getattr(orig, "diag", None)
            constraint = getattr(diag, "constraint_name", None)
        elif match := _SQLITE_INTEGRITY.match(first_line):
            kind = {"UNIQUE": "unique", "FOREIGN KEY": "foreign_key", "NOT NULL": "not_null"}.get(match[1], "other")
            constraint = (match["what"] or "").strip() or None
        described = f" ({constraint})" if constraint else ""
        result = IntegrityViolationError(
            f"{method}: {kind.replace('_', ' ')} constraint violated{described}", kind=kind, constraint=constraint
        )
    elif _MISSING_TABLE.search(first_line):
        place = f" in {safe_url(where)}" if where is not None else ""
        result = SchemaMissingError(
            f"{method}: the nextauth tables do not exist{place}. Create them with `nextauth db init`, "
            "nextauth.adapters.sqlalchemy.create_schema(url), or SQLAlchemyAdapter(url, create_tables=True)."
        )
    else:
        result = SQLAlchemyAdapterError(f"{method}: {type(orig).__name__}: {first_line}")
    result.original = error
    return result


class Runner:
    """Runs ``fn(connection)`` in a transaction suited to ``mode``, off the event loop, with safe errors."""

    def __init__(self, engine: Engine | AsyncEngine) -> None:
        self.engine = engine
        sync = engine.sync_engine if isinstance(engine, AsyncEngine) else engine
        self.url = sync.url
        self.sqlite = sync.dialect.name == "sqlite"
        self._memory = self.sqlite and isinstance(sync.pool, StaticPool)
        # SQLite writers queue on an in-process lock rather than poll the database lock; an in-memory
        # database is one shared connection, so everything queues.
        self._write_lock = threading.Lock() if self.sqlite and not isinstance(engine, AsyncEngine) else None
        # Worker threads beyond what can usefully run only queue on the pool and fight over the GIL:
        # SQLite work is CPU-bound in this process; a server database gets one thread per pooled connection.
        self.threads = 4 if self.sqlite else _pool_capacity(sync)
        self._limiter: Any = None
        self._limiter_loop: Any = None
        self._engines: dict[Mode, Engine | AsyncEngine] = {}
        for mode in ("read", "atomic", "write"):
            opts: dict[str, Any]
            if self.sqlite:
                opts = {_MODE_OPTION: mode}
            elif mode == "write":
                opts = {}
            else:
                opts = {"isolation_level": "AUTOCOMMIT"}  # a single statement is atomic on its own
            self._engines[mode] = engine.execution_options(**opts)

    def run_sync(self, method: str, fn: Callable[[Connection], T], mode: Mode) -> T:
        engine = self._engines[mode]
        if not isinstance(engine, Engine):
            raise TypeError("run_sync needs a synchronous engine")
        lock = self._write_lock if (mode != "read" or self._memory) else None
        try:
            if lock is None:
                with engine.begin() as conn:
                    return fn(conn)
            with lock, engine.begin() as conn:
                return fn(conn)
        except sa_exc.StatementError as error:  # DBAPI errors and bind-time errors
            raise translate(method, error, self.url) from None

    async def run(self, method: str, fn: Callable[[Connection], T], mode: Mode) -> T:
        engine = self._engines[mode]
        if isinstance(engine, AsyncEngine):
            try:
                async with engine.begin() as conn:
                    return await conn.run_sync(fn)
            except sa_exc.StatementError as error:  # DBAPI errors and bind-time errors
                raise translate(method, error, self.url) from None
        import anyio.lowlevel
        import anyio.to_thread

        loop = anyio.lowlevel.current_token()
        if self._limiter_loop != loop:  # a limiter belongs to one event loop
            self._limiter, self._limiter_loop = anyio.CapacityLimiter(self.threads), loop
        return await anyio.to_thread.run_sync(self.run_sync, method, fn, mode, limiter=self._limiter)


def _pool_capacity(engine: Engine) -> int:
    pool = engine.pool
    size = pool.size() if isinstance(pool, QueuePool) else 5
    overflow = max(getattr(pool, "_max_overflow", 0), 0) if isinstance(pool, QueuePool) else 0
    return max(1, min(size + overflow, 64))
