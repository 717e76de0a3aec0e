"""The adapter contract (spec §10): every method, edge cases and concurrency — one suite that the in-memory
adapter and the SQLAlchemy adapter (every SQL backend) must both pass."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from nextauth.adapters import Adapter
from nextauth.adapters.memory import MemoryAdapter, MemoryIntegrityError
from nextauth.adapters.sqlalchemy import IntegrityViolationError, SQLAlchemyAdapter

AnyAdapter = MemoryAdapter | SQLAlchemyAdapter
INTEGRITY = (IntegrityViolationError, MemoryIntegrityError)
"""What each adapter raises when a constraint refuses a write; both carry ``kind`` (``unique``, ``foreign_key``)."""

NOW = datetime(2026, 5, 4, 12, 30, 15, 123456, tzinfo=UTC)


def later(**delta: float) -> datetime:
    return datetime.now(UTC) + timedelta(**delta)


async def new_user(adapter: AnyAdapter, email: str = "dora@example.com", **extra: Any) -> dict[str, Any]:
    return await adapter.create_user({"name": "Dora", "email": email, "email_verified": None, "image": None, **extra})


def account(user_id: str, provider_account_id: str = "4242", **extra: Any) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "type": "oauth",
        "provider": "github",
        "provider_account_id": provider_account_id,
        "access_token": "gho_access",
        "token_type": "bearer",
        "scope": "read:user user:email",
        **extra,
    }


# -- users ---------------------------------------------------------------------------------------------------


async def test_adapter_satisfies_the_protocol(adapter: AnyAdapter) -> None:
    assert isinstance(adapter, Adapter)


async def test_create_user_assigns_a_uuid_and_returns_the_record(adapter: AnyAdapter) -> None:
    user = await new_user(adapter, image="https://example.com/d.png")
    assert str(uuid.UUID(user["id"], version=4)) == user["id"]
    assert user == {
        "id": user["id"],
        "name": "Dora",
        "email": "dora@example.com",
        "email_verified": None,
        "image": "https://example.com/d.png",
    }
    assert await adapter.get_user(user["id"]) == user
    assert await adapter.get_user_by_email("dora@example.com") == user


async def test_create_user_keeps_a_given_id_and_ignores_unknown_fields(adapter: AnyAdapter) -> None:
    user = await adapter.create_user({"id": "u-1", "email": "x@example.com", "locale": "fr", "emailVerified": NOW})
    assert user["id"] == "u-1"
    assert "locale" not in user
    assert (await adapter.get_user("u-1")) == {**user, "email_verified": NOW}


async def test_unknown_users_are_none(adapter: AnyAdapter) -> None:
    await new_user(adapter)
    assert await adapter.get_user("nope") is None
    assert await adapter.get_user_by_email("DORA@example.com") is None  # exact match; the core lowercases
    assert await adapter.get_user_by_email("") is None
    assert await adapter.get_user_by_account("github", "4242") is None


async def test_duplicate_email_is_refused_without_revealing_it(adapter: AnyAdapter) -> None:
    await new_user(adapter)
    with pytest.raises(INTEGRITY) as caught:
        await new_user(adapter, name="Mallory")
    assert caught.value.kind == "unique"
    assert "dora@example.com" not in str(caught.value)
    assert len([u for u in [await adapter.get_user_by_email("dora@example.com")] if u]) == 1


async def test_update_user_changes_only_the_given_fields(adapter: AnyAdapter) -> None:
    user = await new_user(adapter)
    updated = await adapter.update_user({"id": user["id"], "email_verified": NOW})
    assert updated == {**user, "email_verified": NOW}
    assert updated["email_verified"].tzinfo is UTC
    renamed = await adapter.update_user({"id": user["id"], "name": "Dora M."})
    assert renamed == {**user, "email_verified": NOW, "name": "Dora M."}
    assert await adapter.update_user({"id": user["id"]}) == renamed  # nothing to change: the current record
    assert await adapter.get_user(user["id"]) == renamed


async def test_update_user_of_an_unknown_id_raises(adapter: AnyAdapter) -> None:
    with pytest.raises(LookupError):
        await adapter.update_user({"id": "ghost", "name": "x"})
    with pytest.raises(ValueError, match="missing id"):
        await adapter.update_user({"name": "x"})


async def test_delete_user_cascades_to_accounts_and_sessions(adapter: AnyAdapter) -> None:
    user = await new_user(adapter)
    other = await new_user(adapter, email="eve@example.com")
    await adapter.link_account(account(user["id"]))
    await adapter.link_account(account(other["id"], "777"))
    await adapter.create_session({"session_token": "s-dora", "user_id": user["id"], "expires": later(days=1)})
    await adapter.create_session({"session_token": "s-eve", "user_id": other["id"], "expires": later(days=1)})

    await adapter.delete_user(user["id"])

    assert await adapter.get_user(user["id"]) is None
    assert await adapter.get_user_by_account("github", "4242") is None
    assert await adapter.get_session_and_user("s-dora") is None
    assert await adapter.get_user_by_account("github", "777") == other
    assert await adapter.get_session_and_user("s-eve") is not None
    await adapter.delete_user("ghost")  # unknown: nothing happens


# -- accounts ------------------------------------------------------------------------------------------------


async def test_link_account_and_find_the_user_by_it(adapter: AnyAdapter) -> None:
    user = await new_user(adapter)
    linked = await adapter.link_account(
        account(user["id"], expires_at=1_900_000_000.0, expires_in=3600, refresh_token_expires_in=99)
    )
    assert linked == {
        "user_id": user["id"],
        "type": "oauth",
        "provider": "github",
        "provider_account_id": "4242",
        "refresh_token": None,
        "access_token": "gho_access",
        "expires_at": 1_900_000_000,
        "token_type": "bearer",
        "scope": "read:user user:email",
        "id_token": None,
        "session_state": None,
    }
    assert await adapter.get_user_by_account("github", "4242") == user
    assert await adapter.get_user_by_account("google", "4242") is None


async def test_link_account_accepts_next_auth_camel_case_keys(adapter: AnyAdapter) -> None:
    user = await new_user(adapter)
    await adapter.link_account({"userId": user["id"], "type": "oauth", "provider": "gh", "providerAccountId": 99})
    assert await adapter.get_user_by_account("gh", "99") == user


async def test_an_account_links_to_one_user_only(adapter: AnyAdapter) -> None:
    dora = await new_user(adapter)
    eve = await new_user(adapter, email="eve@example.com")
    await adapter.link_account(account(dora["id"]))
    again = await adapter.link_account(account(dora["id"], access_token="newer"))  # a double-submitted sign-in
    assert again is not None and again["user_id"] == dora["id"]
    with pytest.raises(INTEGRITY) as caught:
        await adapter.link_account(account(eve["id"]))
    assert caught.value.kind == "unique"
    assert await adapter.get_user_by_account("github", "4242") == dora


async def test_link_account_for_an_unknown_user_is_a_foreign_key_violation(adapter: AnyAdapter) -> None:
    with pytest.raises(INTEGRITY) as caught:
        await adapter.link_account(account("ghost"))
    assert caught.value.kind == "foreign_key"


async def test_link_account_requires_the_identifying_fields(adapter: AnyAdapter) -> None:
    with pytest.raises(ValueError, match="provider_account_id"):
        await adapter.link_account({"user_id": "u", "type": "oauth", "provider": "github"})


async def test_unlink_account(adapter: AnyAdapter) -> None:
    user = await new_user(adapter)
    await adapter.link_account(account(user["id"]))
    await adapter.link_account(account(user["id"], "5", provider="google"))
    await adapter.unlink_account("github", "4242")
    assert await adapter.get_user_by_account("github", "4242") is None
    assert await adapter.get_user_by_account("google", "5") == user
    await adapter.unlink_account("github", "4242")  # already gone: nothing happens


async def test_create_user_and_link_account_writes_both_or_neither(adapter: AnyAdapter) -> None:
    """The optional first-sign-in method (the runtime prefers it when an adapter has it)."""
    github = {"type": "oauth", "provider": "github", "access_token": "gho_x", "expires_in": 3600}
    user = await adapter.create_user_and_link_account(
        {"name": "Ada", "email": "ada@example.org", "email_verified": None, "locale": "en"},
        {**github, "provider_account_id": 1},
    )
    assert set(user) == {"id", "name", "email", "email_verified", "image"}
    assert await adapter.get_user_by_account("github", "1") == user
    assert await adapter.get_user_by_email("ada@example.org") == user
    with pytest.raises(INTEGRITY) as taken:  # the email is taken: no account is linked to anyone
        await adapter.create_user_and_link_account({"email": "ada@example.org"}, {**github, "provider_account_id": 2})
    assert taken.value.kind == "unique" and "ada@example.org" not in str(taken.value)
    assert await adapter.get_user_by_account("github", "2") is None
    with pytest.raises(INTEGRITY):  # the account is taken: no user is left behind
        await adapter.create_user_and_link_account({"email": "bob@example.org"}, {**github, "provider_account_id": 1})
    assert await adapter.get_user_by_email("bob@example.org") is None
    assert await count_rows(adapter) == (1, 1)


async def test_concurrent_first_sign_ins_in_one_step_have_one_winner(adapter: AnyAdapter) -> None:
    results = await asyncio.gather(
        *(
            adapter.create_user_and_link_account(
                {"email": "dora@example.com"}, {"type": "oauth", "provider": "github", "provider_account_id": "4242"}
            )
            for _ in range(20)
        ),
        return_exceptions=True,
    )
    winners = [r for r in results if isinstance(r, dict)]
    assert len(winners) == 1 and all(isinstance(r, INTEGRITY) for r in results if not isinstance(r, dict))
    assert await adapter.get_user_by_account("github", "4242") == winners[0]
    assert await count_rows(adapter) == (1, 1)


# -- sessions ------------------------------------------------------------------------------------------------


async def test_session_lifecycle_returns_rows_like_next_auth(adapter: AnyAdapter) -> None:
    user = await new_user(adapter)
    expires = later(days=30)
    created = await adapter.create_session({"session_token": "tok", "user_id": user["id"], "expires": expires})
    assert created == {"session_token": "tok", "user_id": user["id"], "expires": expires}

    found = await adapter.get_session_and_user("tok")
    assert found == (created, user)

    extended = later(days=60)
    updated = await adapter.update_session({"session_token": "tok", "expires": extended})
    assert updated == {"session_token": "tok", "user_id": user["id"], "expires": extended}

    deleted = await adapter.delete_session("tok")
    assert deleted == updated
    assert await adapter.delete_session("tok") is None
    assert await adapter.get_session_and_user("tok") is None


async def test_unknown_sessions(adapter: AnyAdapter) -> None:
    assert await adapter.get_session_and_user("nope") is None
    assert await adapter.update_session({"session_token": "nope", "expires": later(days=1)}) is None
    assert await adapter.delete_session("nope") is None


async def test_expired_sessions_are_returned_for_the_core_to_judge(adapter: AnyAdapter) -> None:
    user = await new_user(adapter)
    past = later(hours=-1)
    await adapter.create_session({"session_token": "old", "user_id": user["id"], "expires": past})
    found = await adapter.get_session_and_user("old")
    assert found is not None
    assert found[0]["expires"] == past and found[0]["expires"] < datetime.now(UTC)


async def test_session_tokens_are_unique_and_never_in_error_messages(adapter: AnyAdapter) -> None:
    user = await new_user(adapter)
    token = "sess-" + uuid.uuid4().hex
    await adapter.create_session({"session_token": token, "user_id": user["id"], "expires": later(days=1)})
    with pytest.raises(INTEGRITY) as caught:
        await adapter.create_session({"session_token": token, "user_id": user["id"], "expires": later(days=2)})
    assert caught.value.kind == "unique"
    assert token not in str(caught.value)
    assert token not in repr(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


async def test_a_session_needs_an_existing_user(adapter: AnyAdapter) -> None:
    with pytest.raises(INTEGRITY) as caught:
        await adapter.create_session({"session_token": "t", "user_id": "ghost", "expires": later(days=1)})
    assert caught.value.kind == "foreign_key"


# -- verification tokens -------------------------------------------------------------------------------------


async def test_verification_token_is_single_use(adapter: AnyAdapter) -> None:
    record = {"identifier": "dora@example.com", "token": "hashed-1", "expires": later(hours=24)}
    assert await adapter.create_verification_token(record) == record
    assert await adapter.use_verification_token("eve@example.com", "hashed-1") is None  # wrong identifier
    assert await adapter.use_verification_token("dora@example.com", "hashed-2") is None  # wrong token
    assert await adapter.use_verification_token("dora@example.com", "hashed-1") == record
    assert await adapter.use_verification_token("dora@example.com", "hashed-1") is None


async def test_expired_verification_token_is_returned_and_deleted(adapter: AnyAdapter) -> None:
    record = {"identifier": "dora@example.com", "token": "h", "expires": later(hours=-1)}
    await adapter.create_verification_token(record)
    used = await adapter.use_verification_token("dora@example.com", "h")
    assert used == record  # the core compares `expires` with now and answers error=Verification
    assert await adapter.use_verification_token("dora@example.com", "h") is None


async def test_concurrent_uses_of_one_verification_token_have_exactly_one_winner(adapter: AnyAdapter) -> None:
    for round_ in range(3):
        token = f"hashed-{round_}"
        await adapter.create_verification_token(
            {"identifier": "d@example.com", "token": token, "expires": later(hours=1)}
        )
        results = await asyncio.gather(*(adapter.use_verification_token("d@example.com", token) for _ in range(20)))
        winners = [r for r in results if r is not None]
        assert len(winners) == 1, f"round {round_}: {len(winners)} winners"
        assert winners[0]["token"] == token


async def test_several_tokens_per_identifier(adapter: AnyAdapter) -> None:
    for token in ("a", "b"):
        await adapter.create_verification_token(
            {"identifier": "d@example.com", "token": token, "expires": later(hours=1)}
        )
    assert (await adapter.use_verification_token("d@example.com", "b") or {}).get("token") == "b"
    assert (await adapter.use_verification_token("d@example.com", "a") or {}).get("token") == "a"


# -- time zones ----------------------------------------------------------------------------------------------


async def test_datetimes_come_back_aware_in_utc(adapter: AnyAdapter) -> None:
    user = await new_user(adapter)
    paris = timezone(timedelta(hours=2))
    in_paris = datetime(2030, 7, 1, 14, 0, 0, 250000, tzinfo=paris)
    session = await adapter.create_session({"session_token": "tz", "user_id": user["id"], "expires": in_paris})
    stored = await adapter.get_session_and_user("tz")
    assert stored is not None
    for value in (session["expires"], stored[0]["expires"]):
        assert value.tzinfo is UTC
        assert value == in_paris
        assert value.hour == 12 and value.microsecond == 250000

    naive = datetime(2030, 1, 1, 8, 0, 0)  # taken as UTC
    updated = await adapter.update_user({"id": user["id"], "email_verified": naive})
    assert updated["email_verified"] == naive.replace(tzinfo=UTC)
    assert (await adapter.get_user(user["id"]) or {})["email_verified"] == naive.replace(tzinfo=UTC)


async def test_a_non_datetime_expiry_is_refused(adapter: AnyAdapter) -> None:
    user = await new_user(adapter)
    with pytest.raises(Exception, match="expected a datetime"):
        await adapter.create_session({"session_token": "t", "user_id": user["id"], "expires": "tomorrow"})


# -- concurrency: the sign-in races of spec §10 ---------------------------------------------------------------


async def oauth_first_sign_in(adapter: AnyAdapter, provider_account_id: str, email: str) -> str:
    """What the core does for an OAuth callback with nobody signed in; returns the signed-in user's id."""
    user = await adapter.get_user_by_account("github", provider_account_id)
    if user is not None:
        return str(user["id"])
    if await adapter.get_user_by_email(email) is not None:
        raise LookupError("OAuthAccountNotLinked")
    created = await adapter.create_user({"name": None, "email": email, "email_verified": None})
    await adapter.link_account(account(created["id"], provider_account_id))
    await adapter.create_session(
        {"session_token": uuid.uuid4().hex, "user_id": created["id"], "expires": later(days=1)}
    )
    return str(created["id"])


async def count_rows(adapter: AnyAdapter) -> tuple[int, int]:
    """(users, accounts) as stored."""
    if isinstance(adapter, MemoryAdapter):
        return len(adapter.users), len(adapter.accounts)
    from sqlalchemy import func, select

    t = adapter.tables

    def op(conn: Any) -> tuple[int, int]:
        return (
            conn.execute(select(func.count()).select_from(t.users)).scalar_one(),
            conn.execute(select(func.count()).select_from(t.accounts)).scalar_one(),
        )

    return await adapter._runner.run("count", op, "read")


async def test_fifty_concurrent_sign_ins_of_different_people(adapter: AnyAdapter) -> None:
    ids = await asyncio.gather(*(oauth_first_sign_in(adapter, str(n), f"user{n}@example.com") for n in range(50)))
    assert len(set(ids)) == 50
    assert await count_rows(adapter) == (50, 50)


async def test_fifty_concurrent_first_sign_ins_of_one_person_create_one_user(adapter: AnyAdapter) -> None:
    results = await asyncio.gather(
        *(oauth_first_sign_in(adapter, "4242", "dora@example.com") for _ in range(50)), return_exceptions=True
    )
    assert await count_rows(adapter) == (1, 1)
    winners = {r for r in results if isinstance(r, str)}
    assert len(winners) == 1
    losers = [r for r in results if isinstance(r, BaseException)]
    assert all(isinstance(e, (*INTEGRITY, LookupError)) for e in losers), losers


async def test_concurrent_links_of_one_account_to_its_user_all_succeed(adapter: AnyAdapter) -> None:
    user = await new_user(adapter)
    links = await asyncio.gather(*(adapter.link_account(account(user["id"])) for _ in range(20)))
    assert all(link is not None and link["user_id"] == user["id"] for link in links)
    assert await count_rows(adapter) == (1, 1)


# -- maintenance, errors, logging -------------------------------------------------------------------------------


async def test_delete_expired(adapter: AnyAdapter) -> None:
    user = await new_user(adapter)
    await adapter.create_session({"session_token": "old", "user_id": user["id"], "expires": later(hours=-1)})
    await adapter.create_session({"session_token": "new", "user_id": user["id"], "expires": later(hours=1)})
    await adapter.create_verification_token({"identifier": "a@b.co", "token": "old", "expires": later(hours=-1)})
    await adapter.create_verification_token({"identifier": "a@b.co", "token": "new", "expires": later(hours=1)})
    assert await adapter.delete_expired() == {"sessions": 1, "verification_tokens": 1}
    assert await adapter.get_session_and_user("old") is None
    assert await adapter.get_session_and_user("new") is not None
    assert await adapter.use_verification_token("a@b.co", "new") is not None
