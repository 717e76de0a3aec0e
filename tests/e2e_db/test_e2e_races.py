"""The same first OAuth sign-in in two browsers at once, with the interleavings forced rather than hoped for.

The concurrency test shows that 50 sign-ins at once come out right; whether a given run hits each race is up to
the scheduler. Here an adapter that pauses chosen calls makes each interleaving happen every time (in-process
handler, the real mock OpenID provider, the real database of each backend):

* both requests look the user up by email before either creates it: one ``create_user`` fails (unique email);
* one request has created the user but not linked the account when the other looks the email up;
* the provider gives no email, so both create a user and race to link the account.

Every time, both browsers end up signed in as one user with one account, and nothing is left behind.
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
        self.after_get_by_email: asyncio.Barrier | None = None  # both first lookups return before either goes on
        self._lookups = 0
        self.before_link: asyncio.Barrier | None = None  # both links start together
        self.created = asyncio.Event()
        self.link_waits_for: asyncio.Event | None = None  # link_account holds until this is set
        self.email_seen_after_create = asyncio.Event()

    async def get_user_by_email(self, email: str) -> dict[str, Any] | None:
        found = await super().get_user_by_email(email)
        self._lookups += 1
        if self.after_get_by_email is not None and self._lookups <= 2:
            await asyncio.wait_for(self.after_get_by_email.wait(), WAIT)
        if found and self.created.is_set():
            self.email_seen_after_create.set()
        return found

    async def create_user(self, user: dict[str, Any]) -> dict[str, Any]:
        created = await super().create_user(user)
        self.created.set()
        return created

    async def link_account(self, account: dict[str, Any]) -> dict[str, Any] | None:
        if self.before_link is not None:
            await asyncio.wait_for(self.before_link.wait(), WAIT)
        if self.link_waits_for is not None:
            await asyncio.wait_for(self.link_waits_for.wait(), WAIT)
        return await super().link_account(account)


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


async def twins(stack: Stack, adapter: PausingAdapter, sub: str, *, stagger: bool = False) -> list[Browser]:
    """Two browsers signing in as ``sub``; with ``stagger`` the second starts once the first created the user."""
    new_users: list[str] = []
    route_options = options(stack, adapter, new_users)
    left, right = Browser.of(route_options, "pages"), Browser.of(route_options, "pages")

    async def second() -> str | None:
        if stagger:
            await asyncio.wait_for(adapter.created.wait(), WAIT)
        return await sign_in(right, stack.mock, sub)

    landed = await asyncio.gather(sign_in(left, stack.mock, sub), second())
    assert landed == ["http://localhost:3000/after"] * 2
    assert len(new_users) == 1  # one of them was the first sign-in, the other was not
    return [left, right]


def sessions_of(stack: Stack, browsers: list[Browser]) -> list[dict[str, Any] | None]:
    return [stack.db.session(b.jar["next-auth.session-token"]) for b in browsers]


async def test_both_look_up_the_email_before_either_creates_the_user(stack: Stack) -> None:
    adapter = PausingAdapter(stack.db_url)
    adapter.after_get_by_email = asyncio.Barrier(2)
    try:
        browsers = await twins(stack, adapter, "race-both@example.org")
    finally:
        await adapter.aclose()
    (user,) = stack.db.users("race-both@example.org")
    (account,) = stack.db.accounts(user_id=user["id"])
    assert account["provider_account_id"] == "race-both@example.org"
    rows = sessions_of(stack, browsers)
    assert [r["user_id"] if r else None for r in rows] == [user["id"]] * 2


async def test_the_email_is_found_before_the_account_is_linked(stack: Stack) -> None:
    adapter = PausingAdapter(stack.db_url)
    adapter.link_waits_for = adapter.email_seen_after_create
    try:
        browsers = await twins(stack, adapter, "race-midway@example.org", stagger=True)
    finally:
        await adapter.aclose()
    assert adapter.email_seen_after_create.is_set()  # the interleaving did happen
    (user,) = stack.db.users("race-midway@example.org")
    assert len(stack.db.accounts(user_id=user["id"])) == 1
    rows = sessions_of(stack, browsers)
    assert [r["user_id"] if r else None for r in rows] == [user["id"]] * 2


async def test_without_email_both_create_a_user_and_race_to_link(stack: Stack) -> None:
    adapter = PausingAdapter(stack.db_url)
    adapter.before_link = asyncio.Barrier(2)
    try:
        browsers = await twins(stack, adapter, "ghost2")
    finally:
        await adapter.aclose()
    (user,) = [u for u in stack.db.users() if u["name"] == "Ghost 2"]  # the loser's user was removed
    account = stack.db.account("mock", "ghost2")
    assert account is not None and account["user_id"] == user["id"]
    rows = sessions_of(stack, browsers)
    assert [r["user_id"] if r else None for r in rows] == [user["id"]] * 2
