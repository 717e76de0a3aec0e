"""Brute-force limits (issue 17) in process, both layouts, with an injected clock (no sleeps)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from authkit import BASE, SECRET, Browser, Layout, MemoryAdapter, credentials_provider, log_messages, query_of
from security_figures import record

from nextauth import AuthOptions
from nextauth.options import RateLimitOptions
from nextauth.providers import EmailProvider

WINDOW = 900


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0  # the start of a window (divisible by 900)

    def __call__(self) -> float:
        return self.now


def limited_options(clock: Clock, calls: list[str] | None = None, **limits: Any) -> AuthOptions:
    from authkit import authorize_alice

    def authorize(credentials: dict[str, Any]) -> dict[str, Any] | None:
        if calls is not None:
            calls.append(str(credentials.get("username")))
        return authorize_alice(credentials)

    settings = {"credentials_per_identifier": 3, "credentials_window": WINDOW, "clock": clock, **limits}
    return AuthOptions(
        secret=SECRET,
        providers=[credentials_provider(authorize=authorize)],
        rate_limit=RateLimitOptions(**settings),
    )


async def attempt(browser: Browser, username: str, password: str, **headers: str) -> tuple[int, str]:
    csrf = await browser.csrf()
    form = {"csrfToken": csrf, "username": username, "password": password, "json": "true"}
    result = await browser.post("callback/credentials", form=form, headers=headers)
    return result.status, result.json()["url"]


async def test_n_plus_one_wrong_passwords_are_refused_then_the_window_passes(
    layout: Layout, logs: pytest.LogCaptureFixture
) -> None:
    clock, calls = Clock(), []
    browser = Browser.of(limited_options(clock, calls), layout)
    for _ in range(3):
        status, url = await attempt(browser, "alice", "guess")
        assert status == 401 and query_of(url)["error"] == "CredentialsSignin"
    refused = [await attempt(browser, " Alice ", password) for password in ("guess", "wonderland", "x")]
    for status, url in refused:  # the right password too, and the identifier trimmed and lower-cased
        assert status == 429 and url == f"{BASE}/signin?error=TooManyRequests"
    assert calls == ["alice"] * 3  # authorize never ran for a refused attempt
    record("rate limit: attempts past the limit", tried=3, accepted=0, what="credentials past 3 wrong passwords")
    warnings = [m for m in log_messages(logs, logging.WARNING) if "too many" in m]
    assert len(warnings) == 1 and "al…" in warnings[0] and "alice" not in warnings[0]  # once per window

    clock.now += WINDOW  # the window passes: the right password signs in
    status, url = await attempt(browser, "alice", "wonderland")
    assert status == 200 and "error" not in query_of(url)
    assert "next-auth.session-token" in browser.jar


async def test_a_right_password_clears_the_identifiers_counter(layout: Layout) -> None:
    browser = Browser.of(limited_options(Clock()), layout)
    for _ in range(2):
        await attempt(browser, "alice", "guess")
    assert (await attempt(browser, "alice", "wonderland"))[0] == 200
    for _ in range(3):  # three more wrong ones are answered as wrong, not as limited
        assert (await attempt(browser, "alice", "guess"))[0] == 401


async def test_the_client_limit_counts_across_identifiers_and_forwarded_for_only_in_trust_host_mode() -> None:
    clock = Clock()
    options = limited_options(clock, credentials_per_identifier=0, credentials_per_client=4)
    browser = Browser.of(options, "app")  # the app layout has a socket peer (127.0.0.1)
    spoofed = [await attempt(browser, f"user{i}", "x", **{"x-forwarded-for": f"10.0.0.{i}"}) for i in range(5)]
    assert [s for s, _ in spoofed] == [401, 401, 401, 401, 429]  # the header is not believed

    trusting = limited_options(clock, credentials_per_identifier=0, credentials_per_client=4)
    trusting.trust_host = True
    browser = Browser.of(trusting, "app")
    for i in range(6):  # one attempt from each of six clients behind the trusted proxy
        assert (await attempt(browser, "bob", "x", **{"x-forwarded-for": f"10.0.0.{i}, 127.0.0.1"}))[0] == 401
    for _ in range(4):
        await attempt(browser, "bob", "x", **{"x-forwarded-for": "10.9.9.9"})
    assert (await attempt(browser, "bob", "x", **{"x-forwarded-for": "10.9.9.9"}))[0] == 429


async def test_email_requests_are_limited_per_address(layout: Layout) -> None:
    clock, sent = Clock(), []

    async def send(identifier: str, url: str, **_: Any) -> None:
        sent.append(identifier)

    options = AuthOptions(
        secret=SECRET,
        adapter=MemoryAdapter(),
        providers=[EmailProvider(server="smtp://127.0.0.1:1", send_verification_request=send)],
        rate_limit={"email_per_address": 2, "email_window": WINDOW, "clock": clock},
    )
    browser = Browser.of(options, layout)

    async def request(email: str) -> str:
        csrf = await browser.csrf()
        result = await browser.post("signin/email", form={"csrfToken": csrf, "email": email, "json": "true"})
        url: str = result.json()["url"]
        return url

    assert [query_of(await request("Pat@Example.com")).get("error") for _ in range(2)] == [None, None]
    assert await request("pat@example.com") == f"{BASE}/signin?error=TooManyRequests"
    assert sent == ["pat@example.com"] * 2  # nothing sent past the limit
    assert query_of(await request("sam@example.com")).get("error") is None  # another address is not limited
    clock.now += WINDOW
    assert query_of(await request("pat@example.com")).get("error") is None


async def test_off_by_default(layout: Layout) -> None:
    browser = Browser.of(AuthOptions(secret=SECRET, providers=[credentials_provider()]), layout)
    for _ in range(10):
        assert (await attempt(browser, "alice", "guess"))[0] == 401
    assert (await attempt(browser, "alice", "wonderland"))[0] == 200


async def test_a_custom_sign_in_page_gets_the_error(layout: Layout) -> None:
    options = limited_options(Clock(), credentials_per_identifier=1)
    options.pages.sign_in = "/login"
    browser = Browser.of(options, layout)
    await attempt(browser, "alice", "guess")
    assert (await attempt(browser, "alice", "guess"))[1] == "/login?error=TooManyRequests"
