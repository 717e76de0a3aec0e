"""Access-token refresh (issue 17) against the real mock provider, behind a harness that rotates and revokes
refresh tokens (rotatingproxy.RotatingProxy). The clock is injected: no sleeps."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from authkit import SECRET, Browser, Layout, MemoryAdapter
from oidcmock import MockProvider
from rotatingproxy import RotatingProxy

from nextauth import AuthOptions
from nextauth._core.refresh import FLIGHTS
from nextauth.jwt import decode
from nextauth.options import RefreshTokensOptions
from nextauth.refresh import refresh_access_token

pytestmark = pytest.mark.slow

SESSION = "next-auth.session-token"


class Clock:
    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


@pytest.fixture
def harness(mock_provider: MockProvider) -> Iterator[RotatingProxy]:
    FLIGHTS.clear()
    with RotatingProxy(mock_provider, expires_in=60) as proxy:
        assert isinstance(proxy, RotatingProxy)
        yield proxy


def options(harness: RotatingProxy, clock: Clock, **overrides: Any) -> AuthOptions:
    def session(session: dict[str, Any], token: dict[str, Any] | None = None) -> dict[str, Any]:
        if token is not None:
            session["access_token"] = token.get("access_token")  # so the test can see which token is current
        return session

    return AuthOptions(
        secret=SECRET,
        providers=[harness.provider()],
        refresh_tokens=RefreshTokensOptions(clock=clock, skew=10),
        callbacks={"session": session},
        **overrides,
    )


def harness_url(browser: Browser) -> str:
    (provider,) = browser.route.options.providers
    return str(provider.well_known).split("/.well-known")[0]


async def sign_in(browser: Browser, mock: MockProvider) -> None:
    csrf = await browser.csrf()
    started = await browser.post("signin/mock", form={"csrfToken": csrf, "callbackUrl": "/after"})
    assert started.location is not None
    assert started.location.startswith(harness_url(browser))
    async with httpx.AsyncClient(timeout=10, trust_env=False) as client:  # the user approves at the provider
        approved = await client.post(started.location, data={"sub": "bob"})
    back = approved.headers["location"]
    base = "http://localhost:3000/api/auth/"
    assert back.startswith(base), back
    done = await browser.get(back[len(base) :])
    assert done.status == 302 and SESSION in browser.jar, done


async def claims(browser: Browser) -> dict[str, Any]:
    from urllib.parse import unquote

    decoded = await decode(token=unquote(browser.jar[SESSION]), secret=SECRET)
    assert decoded is not None
    return decoded


async def test_expired_access_token_is_refreshed_and_the_refresh_token_rotated(
    layout: Layout, harness: RotatingProxy, mock_provider: MockProvider
) -> None:
    clock = Clock()
    browser = Browser.of(options(harness, clock), layout)
    await sign_in(browser, mock_provider)
    first = await claims(browser)
    assert first["provider"] == "mock" and first["refresh_token"] and first["access_token"]
    assert first["expires_at"] <= int(time.time()) + 61  # the harness' short lifetime

    fresh = (await browser.get("session")).json()  # not due yet: no token request
    assert fresh["access_token"] == first["access_token"] and harness.refresh_requests == 0

    clock.offset = 55  # within the 10 s skew of expiry
    body = (await browser.get("session")).json()
    second = await claims(browser)
    assert harness.refresh_requests == 1
    assert "error" not in body
    assert second["access_token"] != first["access_token"] and body["access_token"] == second["access_token"]
    assert second["refresh_token"] != first["refresh_token"]  # the rotated one replaced the old
    assert second["expires_at"] > first["expires_at"]

    clock.offset = 55 + 60  # the second access token expires: refreshed with the rotated refresh token
    body = (await browser.get("session")).json()
    third = await claims(browser)
    assert harness.refresh_requests == 2 and harness.refused == [] and "error" not in body
    assert third["refresh_token"] not in (first["refresh_token"], second["refresh_token"])


async def test_revoked_refresh_token_gives_refresh_access_token_error(
    layout: Layout, harness: RotatingProxy, mock_provider: MockProvider
) -> None:
    clock = Clock()
    browser = Browser.of(options(harness, clock), layout)
    await sign_in(browser, mock_provider)
    harness.revoke_all()
    clock.offset = 3600
    body = (await browser.get("session")).json()
    assert body["error"] == "RefreshAccessTokenError"
    assert body["user"]["name"] == "Bob"  # still signed in; the app decides what to do (next-auth's recipe)
    assert (await claims(browser))["error"] == "RefreshAccessTokenError"
    assert len(harness.refused) == 1


async def test_twenty_concurrent_reads_after_expiry_make_one_token_request(
    harness: RotatingProxy, mock_provider: MockProvider
) -> None:
    clock = Clock()
    browser = Browser.of(options(harness, clock), "app")
    await sign_in(browser, mock_provider)
    old = await claims(browser)
    clock.offset = 3600
    cookie = browser.jar[SESSION]
    results = await asyncio.gather(
        *(browser.get("session", cookies={SESSION: cookie}, remember=False) for _ in range(20))
    )
    bodies = [r.json() for r in results]
    assert harness.refresh_requests == 1
    assert harness.refused == []
    assert all("error" not in b for b in bodies)
    assert len({b["access_token"] for b in bodies}) == 1 and bodies[0]["access_token"] != old["access_token"]


async def test_database_sessions_keep_the_tokens_on_the_account_row(
    layout: Layout, harness: RotatingProxy, mock_provider: MockProvider
) -> None:
    clock = Clock()
    adapter = MemoryAdapter()
    browser = Browser.of(options(harness, clock, adapter=adapter), layout)
    await sign_in(browser, mock_provider)
    (account,) = adapter.accounts.values()
    first = dict(account)
    clock.offset = 3600
    body = (await browser.get("session")).json()
    assert "error" not in body and harness.refresh_requests == 1
    assert account["refresh_token"] != first["refresh_token"] and account["access_token"] != first["access_token"]
    harness.revoke_all()
    clock.offset = 2 * 3600
    assert (await browser.get("session")).json()["error"] == "RefreshAccessTokenError"


async def test_off_by_default_nothing_is_stored(
    layout: Layout, harness: RotatingProxy, mock_provider: MockProvider
) -> None:
    browser = Browser.of(AuthOptions(secret=SECRET, providers=[harness.provider()]), layout)
    await sign_in(browser, mock_provider)
    assert not {"access_token", "refresh_token", "expires_at", "provider"} & set(await claims(browser))


async def test_public_helper(harness: RotatingProxy, mock_provider: MockProvider) -> None:
    clock = Clock()
    browser = Browser.of(options(harness, clock), "app")
    await sign_in(browser, mock_provider)
    token = await claims(browser)
    provider = harness.provider()
    out = await refresh_access_token(provider, token)
    assert out["refresh_token"] != token["refresh_token"] and "error" not in out
    again = await refresh_access_token(provider, {**token, "refresh_token": "never-issued"})
    assert again["error"] == "RefreshAccessTokenError"
