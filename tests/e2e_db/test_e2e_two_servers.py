"""Two server processes sharing one PostgreSQL database, as behind a load balancer: a database session made through
one is valid through the other, and signing out through either ends it on both."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from e2ekit import Browser, MockProvider, Server, Stack, session_cookie

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture
def pair(stack: Stack) -> Iterator[tuple[Server, Server]]:
    second = stack.start("second")
    try:
        yield stack.servers[0], second
    finally:
        second.stop()
        assert second.errors() == []


@pytest.mark.parametrize("stack", ["postgres"], indirect=True)
async def test_a_session_is_shared_by_both_servers(
    stack: Stack, pair: tuple[Server, Server], mock_oidc: MockProvider
) -> None:
    one, two = pair
    async with Browser(one) as browser, Browser(two) as bystander:
        await browser.oauth_sign_in(mock_oidc, "walter")  # through the first server
        token = browser.session_token
        assert token is not None
        await bystander.oauth_sign_in(mock_oidc, "xavier")  # another person, through the second

        via_one, via_two = await browser.session(server=one), await browser.session(server=two)
        assert via_one == via_two and via_two["user"]["email"] == "walter@example.org"
        assert (await bystander.session(server=one))["user"]["email"] == "xavier@example.org"

        out = await browser.sign_out(server=two)  # through the other server
        assert out.status_code == 302 and stack.db.session(token) is None
        assert browser.session_token is None
        browser.set_session_token(token)  # even a copy of the cookie is refused by the first server now
        response = await browser.get("session", server=one)
        assert response.json() == {}
        cookie = session_cookie(response)
        assert cookie is not None and cookie.is_deletion
        for server in (one, two):  # the other person's session is untouched
            assert (await bystander.session(server=server))["user"]["email"] == "xavier@example.org"

        # And the other way round: signed in through the second, signed out through the first.
        await browser.oauth_sign_in(mock_oidc, "walter", server=two)
        assert (await browser.session(server=one))["user"]["email"] == "walter@example.org"
        await browser.sign_out(server=one)
        assert await browser.session(server=two) == {}


@pytest.mark.parametrize("stack", ["postgres"], indirect=True)
async def test_the_same_first_sign_in_through_both_servers_at_once(
    stack: Stack, pair: tuple[Server, Server], mock_oidc: MockProvider
) -> None:
    one, two = pair
    async with Browser(one) as left, Browser(two) as right:
        done = await asyncio.gather(
            left.oauth_sign_in(mock_oidc, "zoe", server=one), right.oauth_sign_in(mock_oidc, "zoe", server=two)
        )
        assert [d.headers["location"] for d in done] == [f"{one.url}/done", f"{two.url}/done"]
        ids = {(await b.session(server=s))["user"]["id"] for b in (left, right) for s in (one, two)}
    (user,) = stack.db.users("zoe@example.org")
    assert ids == {user["id"]}
    assert len(stack.db.accounts(user_id=user["id"])) == 1 and len(stack.db.sessions(user_id=user["id"])) == 2
