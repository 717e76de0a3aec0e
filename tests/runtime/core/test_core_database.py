"""Database sessions through the handler (spec §6.3 database strategy, §6.9, §10) and get_server_session."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from authkit import SECRET, Browser, Layout, MemoryAdapter, credentials_provider, log_messages, make_options
from starlette.requests import Request
from starlette.responses import Response

from nextauth import ApiRequest, ApiResponse, AuthOptions, NextAuth, get_server_session
from nextauth.providers import OAuthProvider

SESSION = "next-auth.session-token"
DAY = 24 * 3600


def oauth_provider() -> OAuthProvider:
    return OAuthProvider(
        id="corp",
        name="Corp",
        client_id="c",
        client_secret="s",
        authorization="https://sso.example/authorize",
        token="https://sso.example/token",
    )


def seeded(expires_in: float, **options: Any) -> tuple[AuthOptions, MemoryAdapter]:
    adapter = MemoryAdapter()
    adapter.users["u1"] = {"id": "u1", "name": "Dora", "email": "dora@example.com", "image": None}
    adapter.sessions["tok-1"] = {
        "session_token": "tok-1",
        "user_id": "u1",
        "expires": datetime.now(UTC) + timedelta(seconds=expires_in),
    }
    return AuthOptions(secret=SECRET, providers=[oauth_provider()], adapter=adapter, **options), adapter


async def test_fresh_session_is_read_without_a_database_write(layout: Layout) -> None:
    options, adapter = seeded(30 * DAY - 60)
    stored = adapter.sessions["tok-1"]["expires"]
    browser = Browser.of(options, layout)
    result = await browser.get("session", cookies={SESSION: "tok-1"})
    body = result.json()
    assert body["user"] == {"name": "Dora", "email": "dora@example.com", "image": None}
    assert body["expires"] == stored.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stored.microsecond // 1000:03d}Z"
    assert "update_session" not in adapter.calls  # updateAge (24 h) not reached
    cookie = result.cookie(SESSION)
    assert cookie is not None and cookie.value == "tok-1"
    assert cookie.expires is not None and abs((cookie.expires - datetime.now(UTC)).total_seconds() - 30 * DAY) < 65


async def test_session_due_for_update_is_extended(layout: Layout) -> None:
    options, adapter = seeded(28 * DAY)  # last extended two days ago
    old = adapter.sessions["tok-1"]["expires"]
    result = await Browser.of(options, layout).get("session", cookies={SESSION: "tok-1"})
    assert "update_session" in adapter.calls
    assert adapter.sessions["tok-1"]["expires"] > old + timedelta(days=1)
    body_expires = datetime.fromisoformat(result.json()["expires"].replace("Z", "+00:00"))
    assert abs((body_expires - old).total_seconds()) < 1  # the body shows the stored (pre-update) value


async def test_expired_database_session(layout: Layout) -> None:
    options, adapter = seeded(-60)
    result = await Browser.of(options, layout).get("session", cookies={SESSION: "tok-1"})
    assert result.json() == {}
    assert "delete_session" in adapter.calls and "tok-1" not in adapter.sessions
    cookie = result.cookie(SESSION)
    assert cookie is not None and cookie.is_deletion


async def test_unknown_database_session(layout: Layout) -> None:
    options, _ = seeded(DAY)
    result = await Browser.of(options, layout).get("session", cookies={SESSION: "nope"})
    assert result.json() == {}
    cookie = result.cookie(SESSION)
    assert cookie is not None and cookie.is_deletion


async def test_adapter_failure_keeps_the_cookie(layout: Layout, logs: pytest.LogCaptureFixture) -> None:
    options, adapter = seeded(DAY)

    async def broken(session_token: str) -> None:
        raise ConnectionError("database is down")

    adapter.get_session_and_user = broken  # type: ignore[method-assign]
    result = await Browser.of(options, layout).get("session", cookies={SESSION: "tok-1"})
    assert result.status == 200 and result.json() == {}
    assert SESSION not in result.cookie_names  # not cleared: the session may be fine once the database is back
    errors = log_messages(logs, logging.ERROR)
    assert any("adapter_error_get_session_and_user" in m for m in errors)
    assert any("SESSION_ERROR" in m and "database is down" in m for m in errors)
    assert not any("tok-1" in m for m in log_messages(logs))


async def test_database_session_update(layout: Layout) -> None:
    seen: list[dict[str, Any]] = []

    def session(**kwargs: Any) -> dict[str, Any]:
        seen.append(kwargs)
        return {**kwargs["session"], "extra": kwargs.get("new_session")}

    options, _ = seeded(30 * DAY, callbacks={"session": session})
    browser = Browser.of(options, layout)
    browser.jar[SESSION] = "tok-1"
    result = await browser.post("session", json={"csrfToken": await browser.csrf(), "data": {"plan": "pro"}})
    assert result.json()["extra"] == {"plan": "pro"}
    assert seen[-1]["trigger"] == "update" and seen[-1]["new_session"] == {"plan": "pro"}
    assert seen[-1]["user"]["id"] == "u1"
    await browser.get("session")
    assert "trigger" not in seen[-1] and seen[-1]["new_session"] is None


async def test_database_sign_out(layout: Layout) -> None:
    events: list[dict[str, Any]] = []
    options, adapter = seeded(30 * DAY, events={"sign_out": lambda **kw: events.append(kw)})
    browser = Browser.of(options, layout)
    browser.jar[SESSION] = "tok-1"
    result = await browser.post("signout", form={"csrfToken": await browser.csrf()})
    assert result.status == 302
    assert "tok-1" not in adapter.sessions
    assert events == [
        {"session": {"session_token": "tok-1", "user_id": "u1", "expires": events[0]["session"]["expires"]}}
    ]
    cookie = result.cookie(SESSION)
    assert cookie is not None and cookie.is_deletion


async def test_credentials_with_an_adapter_and_jwt_sessions_never_touch_the_database(layout: Layout) -> None:
    adapter = MemoryAdapter()
    options = make_options(adapter=adapter, session={"strategy": "jwt"})
    browser = Browser.of(options, layout)
    await browser.sign_in_with_credentials(username="alice", password="wonderland")
    assert (await browser.get("session")).json()["user"]["name"] == "Alice"
    assert adapter.calls == []


# ------------------------------------------------------------------------------------------ get_server_session
def starlette_request(cookie: str | None) -> Request:
    headers = [(b"host", b"localhost:3000")] + ([(b"cookie", cookie.encode())] if cookie else [])
    return Request({"type": "http", "method": "GET", "path": "/dashboard", "query_string": b"", "headers": headers})


async def test_get_server_session_jwt() -> None:
    options = make_options()
    browser = Browser.of(options, "app")
    await browser.sign_in_with_credentials(username="alice", password="wonderland")
    cookie = f"{SESSION}={browser.jar[SESSION]}"
    session = await get_server_session(starlette_request(cookie), options)
    assert session is not None and session["user"] == {"name": "Alice", "email": "alice@example.com"}
    assert await get_server_session(starlette_request(None), options) is None
    assert await get_server_session(starlette_request(f"{SESSION}=garbage"), options) is None
    api = ApiRequest(method="GET", cookies={SESSION: browser.jar[SESSION]})
    via_handler = await get_server_session(api, NextAuth(options))
    assert via_handler is not None and via_handler["user"]["name"] == "Alice"


async def test_get_server_session_refreshes_the_cookie_on_a_response() -> None:
    options = make_options()
    browser = Browser.of(options, "pages")
    await browser.sign_in_with_credentials(username="alice", password="wonderland")
    response = Response("page")
    await get_server_session(starlette_request(f"{SESSION}={browser.jar[SESSION]}"), options, response=response)
    lines = [v.decode() for k, v in response.raw_headers if k == b"set-cookie"]
    assert any(line.startswith(f"{SESSION}=") for line in lines)
    api_response = ApiResponse()
    await get_server_session(
        ApiRequest(method="GET", cookies={SESSION: browser.jar[SESSION]}), options, response=api_response
    )
    header = api_response.get_header("set-cookie")
    assert header is not None and any(
        str(v).startswith(f"{SESSION}=") for v in ([header] if isinstance(header, str) else header)
    )


async def test_get_server_session_database() -> None:
    options, _ = seeded(30 * DAY)
    session = await get_server_session(starlette_request(f"{SESSION}=tok-1"), options)
    assert session is not None and session["user"]["email"] == "dora@example.com"


async def test_get_server_session_without_secret_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    options = AuthOptions(providers=[credentials_provider()])
    assert await get_server_session(starlette_request(f"{SESSION}=x"), options) is None
