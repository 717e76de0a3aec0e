"""The optional adapter methods access-token refresh uses with database sessions (issue 17):
``get_accounts_by_user`` and ``update_account``, on every adapter kind."""

from __future__ import annotations

from typing import Any

from nextauth.adapters import TokenRefreshAdapter


async def test_accounts_by_user_and_update_account(adapter: Any) -> None:
    assert isinstance(adapter, TokenRefreshAdapter)
    alice = await adapter.create_user({"email": "alice@example.com", "email_verified": None})
    bob = await adapter.create_user({"email": "bob@example.com", "email_verified": None})
    base = {"type": "oauth", "provider": "mock", "access_token": "a1", "refresh_token": "r1", "expires_at": 100}
    await adapter.link_account({**base, "user_id": alice["id"], "provider_account_id": "alice"})
    await adapter.link_account({**base, "user_id": bob["id"], "provider_account_id": "bob"})

    (mine,) = await adapter.get_accounts_by_user(alice["id"])
    assert (mine["provider_account_id"], mine["refresh_token"]) == ("alice", "r1")
    assert await adapter.get_accounts_by_user("nobody") == []

    updated = await adapter.update_account(
        {
            "provider": "mock",
            "provider_account_id": "alice",
            "access_token": "a2",
            "refresh_token": "r2",
            "expires_at": 200.0,
            "user_id": bob["id"],
        }
    )
    assert updated is not None
    assert (updated["access_token"], updated["refresh_token"], updated["expires_at"]) == ("a2", "r2", 200)
    assert updated["user_id"] == alice["id"]  # the owner is never moved by an update
    (theirs,) = await adapter.get_accounts_by_user(bob["id"])
    assert theirs["refresh_token"] == "r1"  # only the named account changed
    assert (
        await adapter.update_account({"provider": "mock", "provider_account_id": "ghost", "access_token": "x"}) is None
    )
