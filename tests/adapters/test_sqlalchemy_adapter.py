"""What only the SQLAlchemy adapter does: cascades inside the database and ``delete_expired`` in SQL. The adapter
contract itself (every method, on every backend and on the in-memory adapter) is test_adapter_contract.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from nextauth.adapters.sqlalchemy import SQLAlchemyAdapter


def later(**delta: float) -> datetime:
    return datetime.now(UTC) + timedelta(**delta)


async def new_user(adapter: SQLAlchemyAdapter, email: str = "dora@example.com", **extra: Any) -> dict[str, Any]:
    return await adapter.create_user({"name": "Dora", "email": email, "email_verified": None, "image": None, **extra})


def account(user_id: str, provider_account_id: str = "4242", **extra: Any) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "type": "oauth",
        "provider": "github",
        "provider_account_id": provider_account_id,
        **extra,
    }


async def test_cascade_also_happens_in_the_database(sql_adapter: SQLAlchemyAdapter) -> None:
    """ON DELETE CASCADE (foreign keys are on for SQLite), for rows deleted by other tools."""
    adapter = sql_adapter
    from sqlalchemy import delete

    user = await new_user(adapter)
    await adapter.link_account(account(user["id"]))
    await adapter.create_session({"session_token": "s1", "user_id": user["id"], "expires": later(days=1)})
    users = adapter.tables.users
    await adapter._runner.run("test", lambda c: c.execute(delete(users).where(users.c.id == user["id"])), "write")
    assert await adapter.get_session_and_user("s1") is None
    assert await adapter.get_user_by_account("github", "4242") is None
