"""Sessions across languages: a cookie the Python server issued to a browser is read by the real next-auth in Node,
and a cookie the real next-auth issued (through its own Next.js API route handler) is accepted by the Python server
and by ``get_server_session``, whole and in chunks.

Both sides run the same auth options (``project/auth_options.py`` and ``app/nextauth-rpc.cjs``): ``big`` signs in
with a 6000-character claim, so its cookie is split into ``next-auth.session-token.0`` … ``.2``.
"""

from __future__ import annotations

import asyncio
import importlib.util
import re
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar
from urllib.parse import unquote

import pytest
from browserkit import PROJECT_DIR, SECRET, Client, NextAuthNode, ProjectServer, set_cookies
from playwright.sync_api import BrowserContext
from starlette.requests import Request
from starlette.responses import Response

from nextauth import get_server_session, get_token

pytestmark = [pytest.mark.slow, pytest.mark.node]

USERS = {
    "alice": {"name": "Alice", "email": "alice@example.com", "id": "1"},
    "big": {"name": "Big", "email": "big@example.com", "id": "2"},
}
CHUNKS = {"alice": ["next-auth.session-token"], "big": [f"next-auth.session-token.{i}" for i in range(3)]}
T = TypeVar("T")
ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def session_cookies(context: BrowserContext) -> dict[str, str]:
    return {c["name"]: c["value"] for c in context.cookies() if c["name"].startswith("next-auth.session-token")}


def expected_claims(username: str) -> dict[str, Any]:
    user = USERS[username]
    claims: dict[str, Any] = {"name": user["name"], "email": user["email"], "sub": user["id"]}
    if username == "big":
        claims["blob"] = "b" * 6000
    return claims


def without_times(token: dict[str, Any]) -> dict[str, Any]:
    assert isinstance(token["iat"], int) and isinstance(token["exp"], int) and token["exp"] > token["iat"]
    assert re.fullmatch(r"[0-9a-f-]{36}", token["jti"]), token["jti"]
    return {k: v for k, v in token.items() if k not in ("iat", "exp", "jti")}


def node_sign_in(node: NextAuthNode, url: str, username: str) -> list[str]:
    """Sign in through next-auth's own API route handler, as next-auth/react would; its Set-Cookie lines."""
    csrf = node.call("handle", url=url, secret=SECRET, method="GET", nextauth=["csrf"])
    cookies = set_cookies(csrf["setCookies"])
    answer = node.call(
        "handle",
        url=url,
        secret=SECRET,
        method="POST",
        nextauth=["callback", "credentials"],
        cookies={name: unquote(value) for name, value in cookies.items()},  # as Next.js parses them
        headers={"content-type": "application/x-www-form-urlencoded"},
        body={
            "username": username,
            "password": "wonderland",
            "csrfToken": csrf["body"]["csrfToken"],
            "callbackUrl": f"{url}/",
            "json": "true",
        },
    )
    assert answer["status"] == 200 and answer["body"] == {"url": f"{url}/"}, answer
    lines: list[str] = answer["setCookies"]
    return lines


# ------------------------------------------------------------------------------------------- Python → Node
@pytest.mark.browser
@pytest.mark.parametrize("username", ["alice", "big"])
def test_python_issued_cookie_is_read_by_nextauth_in_node(
    username: str, client: Client, context: BrowserContext, server: ProjectServer, nextauth_node: NextAuthNode
) -> None:
    client.open()
    assert client.sign_in(username, "wonderland")["ok"] is True
    client.wait_for_status("authenticated")
    cookies = session_cookies(context)
    assert sorted(cookies) == CHUNKS[username]

    # getToken: the same claims the Python server decodes from the same cookie (iat, exp and jti included).
    token = nextauth_node.call("getToken", secret=SECRET, cookies=cookies)
    assert without_times(token) == expected_claims(username)
    me = context.request.get(f"{server.url}/api/me").json()
    assert me["token"] == token
    assert nextauth_node.call("getToken", secret="another-secret-0123456789", cookies=cookies) is None

    # getServerSession: next-auth's session action (jwt → session callbacks) answers what Python answers.
    answer = nextauth_node.call("getServerSession", url=server.url, secret=SECRET, cookies=cookies)
    session = answer["session"]
    assert session["user"] == USERS[username] == me["session"]["user"]
    assert ISO_MS.match(session["expires"]) and set(session) == set(me["session"]) == {"user", "expires"}
    # ... and re-issues the cookie with its own rolling expiry, in as many chunks.
    reissued = [name for name in set_cookies(answer["setCookies"]) if name.startswith("next-auth.session-token")]
    assert sorted(reissued) == CHUNKS[username]


# ------------------------------------------------------------------------------------------- Node → Python
@pytest.mark.browser
@pytest.mark.parametrize("username", ["alice", "big"])
def test_nextauth_issued_cookie_is_accepted_by_the_python_server(
    username: str, client: Client, context: BrowserContext, server: ProjectServer, nextauth_node: NextAuthNode
) -> None:
    issued = {
        name: value
        for name, value in set_cookies(node_sign_in(nextauth_node, server.url, username)).items()
        if name.startswith("next-auth.session-token")
    }
    assert sorted(issued) == CHUNKS[username]
    context.add_cookies(
        [
            {"name": name, "value": value, "url": server.url, "httpOnly": True, "sameSite": "Lax"}
            for name, value in issued.items()
        ]
    )

    # next-auth/react in the browser, the Python server behind it: signed in with the cookie next-auth made.
    client.open()
    assert client.status() == "authenticated"
    assert client.history() == ["loading", "authenticated"]
    assert client.session()["user"] == USERS[username]

    # A Python API route reads it with get_server_session and get_token.
    me = context.request.get(f"{server.url}/api/me").json()
    assert me["session"]["user"] == USERS[username]
    assert without_times(me["token"]) == expected_claims(username)

    # Python's sign-out deletes every chunk next-auth wrote.
    assert client.call("signout", "signout") == {"url": f"{server.url}/"}
    client.wait_for_status("unauthenticated")
    assert session_cookies(context) == {}


@pytest.fixture
def project_options(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """``project/auth_options.py`` imported in this process (under a name no other test uses)."""
    monkeypatch.setenv("MOCK_WELL_KNOWN", "http://127.0.0.1:9/.well-known/openid-configuration")  # never fetched
    path = Path(PROJECT_DIR) / "auth_options.py"
    spec = importlib.util.spec_from_file_location("browser_project_auth_options", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module


def starlette_request(cookies: dict[str, str]) -> Request:
    header = "; ".join(f"{name}={value}" for name, value in cookies.items())
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/api/me",
        "headers": [(b"host", b"127.0.0.1:3000"), (b"cookie", header.encode("latin-1"))],
    }
    return Request(scope)


def run_async(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """``asyncio.run(main())`` in a thread of its own: this module's chromium (Playwright's sync API) holds an
    asyncio loop in the test thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(main())).result()


@pytest.mark.parametrize("username", ["alice", "big"])
def test_get_server_session_accepts_a_nextauth_cookie(
    username: str, nextauth_node: NextAuthNode, project_options: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "http://127.0.0.1:3000"
    monkeypatch.setenv("NEXTAUTH_URL", url)
    monkeypatch.setenv("NEXTAUTH_SECRET", SECRET)
    issued = set_cookies(node_sign_in(nextauth_node, url, username))
    request = starlette_request(issued)
    response = Response()

    async def read() -> tuple[Any, Any, Any]:
        session = await get_server_session(request, project_options.auth_options, response=response)
        return session, await get_token(request), await get_token(request, secret="another-secret-0123456789")

    session, token, wrong_secret = run_async(read)
    assert session is not None
    assert session["user"] == USERS[username] and ISO_MS.match(session["expires"])
    # The refreshed cookie goes out in the same chunks next-auth would write.
    refreshed = [v.decode() for k, v in response.raw_headers if k == b"set-cookie"]
    assert sorted(name for name in set_cookies(refreshed) if name.startswith("next-auth.session")) == CHUNKS[username]

    assert isinstance(token, dict) and without_times(token) == expected_claims(username)
    assert token == nextauth_node.call("getToken", secret=SECRET, cookies=issued)  # the very token next-auth decodes
    assert wrong_secret is None
