"""The same first OAuth sign-in in two browsers at once, with the interleavings forced rather than hoped for.

The concurrency test shows that 50 sign-ins at once come out right; whether a given run hits each race is up to
the scheduler. Here an adapter that pauses chosen calls makes each interleaving happen every time (in-process
handler, the real mock OpenID provider, the real database of each backend):

* both requests look the user up by email before either creates it: one first-sign-in write loses (unique email);
* one request looks the account up before the other's first sign-in is written, and the email after it;
* the provider gives no email, so both write a user and race on the account's unique key.

In the first two the winner is held right after its write until the loser has landed: the loser must resolve
from what the database shows at once, with nothing more from the winner (the runtime polled for the winner's
link once; held, that ended in OAuthAccountNotLinked). Every time both browsers end up signed in as one user
with one account, nothing is left behind, and once the winner has written, the account is looked up exactly once
more (by the loser): no polling.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from authkit import BASE, Browser
from e2ekit import SECRET, MockProvider, Stack

from nextauth import AuthOptions
from nextauth.adapters.sqlalchemy import SQLAlchemyAdapter

pytestmark = pytest.mark.slow

WAIT = 10.0  # seconds a paused call waits for the other request before the test fails


class PausingAdapter(SQLAlchemyAdapter):
    """A SQLAlchemy adapter whose calls can be made to wait for each other (set the attributes below)."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.after_get_by_account: asyncio.Barrier | None = None  # both first account lookups return first
        self.after_get_by_email: asyncio.Barrier | None = None  # both first email lookups return first
        self.second_email_lookup_after_create = False  # the second email lookup runs once a user was written
        self.before_create: asyncio.Barrier | None = None  # both first-sign-in writes start together
        self.hold_after_create: asyncio.Event | None = None  # the first write returns only once this is set
        self.before_link: asyncio.Barrier | None = None  # both link_account calls start together
        self.created = asyncio.Event()
        self.account_lookups = 0
        self.account_lookups_after_create = 0
        self.email_lookups = 0
        self.deleted_users = 0

    async def get_user_by_account(self, provider: str, provider_account_id: str) -> dict[str, Any] | None:
        found = await super().get_user_by_account(provider, provider_account_id)
        self.account_lookups += 1
        self.account_lookups_after_create += self.created.is_set()
        if self.after_get_by_account is not None and self.account_lookups <= 2:
            await asyncio.wait_for(self.after_get_by_account.wait(), WAIT)
        return found

    async def get_user_by_email(self, email: str) -> dict[str, Any] | None:
        self.email_lookups += 1
        if self.second_email_lookup_after_create and self.email_lookups == 2:
            await asyncio.wait_for(self.created.wait(), WAIT)
        found = await super().get_user_by_email(email)
        if self.after_get_by_email is not None and self.email_lookups <= 2:
            await asyncio.wait_for(self.after_get_by_email.wait(), WAIT)
        return found

    async def _created(self, result: dict[str, Any]) -> dict[str, Any]:
        first = not self.created.is_set()
        self.created.set()
        if first and self.hold_after_create is not None:
            await asyncio.wait_for(self.hold_after_create.wait(), WAIT)
        return result

    # The runtime writes a first sign-in with create_user_and_link_account; create_user is the path of adapters
    # without it (and of the runtime before the transaction), paused the same way.
    async def create_user_and_link_account(self, user: dict[str, Any], account: dict[str, Any]) -> dict[str, Any]:
        if self.before_create is not None:
            await asyncio.wait_for(self.before_create.wait(), WAIT)
        return await self._created(await super().create_user_and_link_account(user, account))

    async def create_user(self, user: dict[str, Any]) -> dict[str, Any]:
        if self.before_create is not None:
            await asyncio.wait_for(self.before_create.wait(), WAIT)
        return await self._created(await super().create_user(user))

    async def link_account(self, account: dict[str, Any]) -> dict[str, Any] | None:
        if self.before_link is not None:
            await asyncio.wait_for(self.before_link.wait(), WAIT)
        return await super().link_account(account)

    async def delete_user(self, user_id: str) -> None:
        self.deleted_users += 1
        await super().delete_user(user_id)


class WithoutTransaction(PausingAdapter):
    """An adapter with only next-auth's methods: the runtime falls back to create_user, then link_account."""

    create_user_and_link_account = None  # type: ignore[assignment]


def options(stack: Stack, adapter: PausingAdapter, new_users: list[str]) -> AuthOptions:
    def sign_in(user: dict[str, Any], is_new_user: Any = None) -> None:
        if is_new_user:
            new_users.append(user["id"])

    return AuthOptions(secret=SECRET, providers=[stack.mock.provider()], adapter=adapter, events={"sign_in": sign_in})


async def sign_in(browser: Browser, mock: MockProvider, sub: str) -> str | None:
    csrf = await browser.csrf()
    start = await browser.post("signin/mock", form={"csrfToken": csrf, "callbackUrl": "/after"})
    assert start.status == 302 and start.location is not None
    back = await mock.approve(start.location, sub=sub)
    result = await browser.get(back[len(BASE) + 1 :])
    return result.location


async def race(stack: Stack, adapter: PausingAdapter, sub: str) -> tuple[list[str | None], list[Browser], list[str]]:
    """Two browsers signing in as ``sub`` at once; the first to land releases ``adapter.hold_after_create``.
    Returns where each landed, the browsers, and the ids of the users reported new."""
    new_users: list[str] = []
    route_options = options(stack, adapter, new_users)
    left, right = Browser.of(route_options, "pages"), Browser.of(route_options, "pages")

    async def run(browser: Browser) -> str | None:
        try:
            return await sign_in(browser, stack.mock, sub)
        finally:
            if adapter.hold_after_create is not None:
                adapter.hold_after_create.set()

    landed = await asyncio.gather(run(left), run(right))
    return landed, [left, right], new_users


async def twins(stack: Stack, adapter: PausingAdapter, sub: str) -> list[Browser]:
    """:func:`race`, where both must land signed in and one of them as a new user."""
    landed, browsers, new_users = await race(stack, adapter, sub)
    assert landed == ["http://localhost:3000/after"] * 2
    assert len(new_users) == 1  # one of them was the first sign-in, the other was not
    return browsers


def sessions_of(stack: Stack, browsers: list[Browser]) -> list[dict[str, Any] | None]:
    return [stack.db.session(b.jar["next-auth.session-token"]) for b in browsers]


async def test_both_look_up_the_email_before_either_creates_the_user(stack: Stack) -> None:
    adapter = PausingAdapter(stack.db_url)
    adapter.after_get_by_email = asyncio.Barrier(2)
    adapter.hold_after_create = asyncio.Event()
    try:
        browsers = await twins(stack, adapter, "race-both@example.org")
    finally:
        await adapter.aclose()
    (user,) = stack.db.users("race-both@example.org")
    (account,) = stack.db.accounts(user_id=user["id"])
    assert account["provider_account_id"] == "race-both@example.org"
    rows = sessions_of(stack, browsers)
    assert [r["user_id"] if r else None for r in rows] == [user["id"]] * 2
    assert adapter.account_lookups_after_create == 1  # the loser's one look, no polling


async def test_the_email_is_found_after_the_first_sign_in_was_written(stack: Stack) -> None:
    adapter = PausingAdapter(stack.db_url)
    adapter.after_get_by_account = asyncio.Barrier(2)  # both see no account...
    adapter.second_email_lookup_after_create = True  # ...and one sees the other's user by email
    adapter.hold_after_create = asyncio.Event()
    try:
        browsers = await twins(stack, adapter, "race-midway@example.org")
    finally:
        await adapter.aclose()
    (user,) = stack.db.users("race-midway@example.org")
    assert len(stack.db.accounts(user_id=user["id"])) == 1
    rows = sessions_of(stack, browsers)
    assert [r["user_id"] if r else None for r in rows] == [user["id"]] * 2
    # No polling: at most one read of the account by each request after the write (a poll reads until the
    # winner's link shows). Usually only the loser reads; in the full suite in a fresh clone (.ci/run) a second
    # read after the write was seen twice, never when this file runs alone: see the closing note of issue 18.
    assert 1 <= adapter.account_lookups_after_create <= 2


async def test_without_email_both_create_a_user_and_race_to_link(stack: Stack) -> None:
    adapter = PausingAdapter(stack.db_url)
    adapter.before_create = asyncio.Barrier(2)
    try:
        browsers = await twins(stack, adapter, "ghost2")
    finally:
        await adapter.aclose()
    (user,) = [u for u in stack.db.users() if u["name"] == "Ghost 2"]  # the loser's user never stayed
    account = stack.db.account("mock", "ghost2")
    assert account is not None and account["user_id"] == user["id"]
    rows = sessions_of(stack, browsers)
    assert [r["user_id"] if r else None for r in rows] == [user["id"]] * 2
    assert adapter.deleted_users == 0  # the losing transaction wrote nothing, so nothing was cleaned up
    assert adapter.account_lookups_after_create == 1  # the loser's one look, no polling


# -- adapters without create_user_and_link_account: next-auth's sequence, decided at once -------------------------
async def test_without_the_transaction_a_loser_who_sees_the_email_first_is_told_at_once(stack: Stack) -> None:
    adapter = WithoutTransaction(stack.db_url)
    adapter.after_get_by_email = asyncio.Barrier(2)
    adapter.hold_after_create = asyncio.Event()  # the winner has created the user, not linked the account
    try:
        landed, _, new_users = await race(stack, adapter, "race-fallback@example.org")
    finally:
        await adapter.aclose()
    # The loser cannot tell a concurrent first sign-in from another person's account: next-auth's answer, at once.
    assert sorted(landed, key=str) == [
        "http://localhost:3000/after",
        "http://localhost:3000/api/auth/error?error=OAuthAccountNotLinked",
    ]
    assert adapter.account_lookups_after_create == 1
    (user,) = stack.db.users("race-fallback@example.org")
    assert len(stack.db.accounts(user_id=user["id"])) == 1 and len(new_users) == 1


async def test_without_the_transaction_both_create_a_user_and_the_loser_removes_its_own(stack: Stack) -> None:
    adapter = WithoutTransaction(stack.db_url)
    adapter.before_link = asyncio.Barrier(2)
    try:
        browsers = await twins(stack, adapter, "ghost3")
    finally:
        await adapter.aclose()
    (user,) = [u for u in stack.db.users() if u["name"] == "Ghost 3"]
    assert adapter.deleted_users == 1
    rows = sessions_of(stack, browsers)
    assert [r["user_id"] if r else None for r in rows] == [user["id"]] * 2
