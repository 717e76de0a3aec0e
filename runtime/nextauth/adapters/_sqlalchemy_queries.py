"""The SQLAlchemy adapter's statements and row mapping: built once per adapter, shared by every method."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, Table, and_, bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection

from nextauth.adapters._sqlalchemy_schema import Tables


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


class Columns:
    """Maps record keys (snake_case, or next-auth's camelCase column names) to one table's column keys."""

    def __init__(self, table: Table, *, hidden: tuple[str, ...] = ()) -> None:
        self.table = table
        self.hidden = hidden
        self.lookup: dict[str, str] = {}
        for column in table.c:
            self.lookup[column.name] = column.key
            self.lookup[column.key] = column.key

    def values(self, data: Mapping[str, Any], *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
        """The known columns of ``data`` (unknown keys, e.g. a provider's extra token fields, are dropped)."""
        out: dict[str, Any] = {}
        for key, value in data.items():
            column = self.lookup.get(key)
            if column is not None and column not in skip:
                out[column] = value
        return out

    def record(self, row: Row[Any] | Mapping[str, Any]) -> dict[str, Any]:
        if isinstance(row, Row):
            mapping = row._mapping
            return {c.key: as_utc(mapping[c]) for c in self.table.c if c.key not in self.hidden}
        return {c.key: as_utc(row.get(c.key)) for c in self.table.c if c.key not in self.hidden}


class Queries:
    """Statements built once per adapter (SQLAlchemy then reuses their compiled form on every call)."""

    def __init__(self, t: Tables) -> None:
        u, a, s, v = t.users, t.accounts, t.sessions, t.verification_tokens
        self.insert_user = insert(u)
        self.insert_account = insert(a)
        self.insert_session = insert(s)
        self.insert_token = insert(v)
        self.user_by_id = select(u).where(u.c.id == bindparam("_id"))
        self.user_by_email = select(u).where(u.c.email == bindparam("_email"))
        account_key = (a.c.provider == bindparam("_provider")) & (a.c.provider_account_id == bindparam("_account"))
        self.user_by_account = select(u).join_from(a, u, a.c.user_id == u.c.id).where(account_key)
        self.account_by_key = select(a).where(account_key)
        self.delete_account = delete(a).where(account_key)
        self.session_and_user = (
            select(s, u).join_from(s, u, s.c.user_id == u.c.id).where(s.c.session_token == bindparam("_token"))
        )
        self._returning: dict[tuple[str, str, tuple[str, ...]], Any] = {}

    def _cached(self, kind: str, table: Table, keys: tuple[str, ...], build: Callable[[], Any]) -> Any:
        cache_key = (kind, table.name, keys)
        stmt = self._returning.get(cache_key)
        if stmt is None:
            stmt = self._returning.setdefault(cache_key, build())
        return stmt

    # RETURNING where the backend has it (PostgreSQL, SQLite >= 3.35, MariaDB), else two statements.
    def update_returning(
        self, conn: Connection, table: Table, keys: dict[str, Any], values: dict[str, Any]
    ) -> Row[Any] | None:
        where = and_(*(table.c[name] == bindparam(f"_k_{name}") for name in keys))
        params = {**values, **{f"_k_{name}": value for name, value in keys.items()}}
        if not values:
            return conn.execute(select(table).where(where), params).first()
        if conn.dialect.update_returning:
            build = lambda: update(table).where(where).returning(*table.c)  # noqa: E731
            stmt = self._cached("update", table, tuple(keys), build)
            return conn.execute(stmt, params).first()
        if conn.execute(update(table).where(where), params).rowcount == 0:
            return None
        return conn.execute(select(table).where(where), params).first()

    def delete_returning(self, conn: Connection, table: Table, keys: dict[str, Any]) -> Row[Any] | None:
        where = and_(*(table.c[name] == bindparam(f"_k_{name}") for name in keys))
        params = {f"_k_{name}": value for name, value in keys.items()}
        if conn.dialect.delete_returning:
            build = lambda: delete(table).where(where).returning(*table.c)  # noqa: E731
            stmt = self._cached("delete", table, tuple(keys), build)
            return conn.execute(stmt, params).first()
        row = conn.execute(select(table).where(where), params).first()
        if row is None or conn.execute(delete(table).where(where), params).rowcount == 0:
            return None  # another request deleted it between our read and our delete: it won
        return row
