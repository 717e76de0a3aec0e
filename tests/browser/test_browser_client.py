"""The real next-auth/react 4.24.15 client (bundled by esbuild) against the Python server, in chromium.

Every value asserted here is what next-auth/react itself computed from the Python server's answers: the
shapes of ``getProviders()``, ``getCsrfToken()``, ``signIn(..., {redirect: false})`` (``error``/``status``/``ok``/
``url``), ``update()`` and ``signOut()``, and the statuses ``useSession()`` goes through.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from browserkit import Client, ProjectServer
from playwright.sync_api import BrowserContext

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ALICE = {"name": "Alice", "email": "alice@example.com", "id": "1"}
BOB = {"name": "Bob", "email": "bob@example.com", "image": "http://127.0.0.1/bob.png", "id": "bob"}
ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def session_cookies(context: BrowserContext) -> dict[str, str]:
    return {c["name"]: c["value"] for c in context.cookies() if c["name"].startswith("next-auth.session-token")}


def assert_session(session: Any, user: dict[str, Any]) -> None:
    assert isinstance(session, dict), session
    assert session["user"] == user
    assert ISO_MS.match(session["expires"]), session
    assert set(session) == {"user", "expires"}


def test_get_providers(client: Client, server: ProjectServer) -> None:
    client.open()
    base = server.base
    assert client.call("get-providers", "providers") == {
        "credentials": {
            "id": "credentials",
            "name": "Credentials",
            "type": "credentials",
            "signinUrl": f"{base}/signin/credentials",
            "callbackUrl": f"{base}/callback/credentials",
        },
        "mock": {
            "id": "mock",
            "name": "Mock OIDC",
            "type": "oauth",
            "signinUrl": f"{base}/signin/mock",
            "callbackUrl": f"{base}/callback/mock",
        },
    }


def test_get_csrf_token_is_the_double_submit_cookies_token(client: Client, context: BrowserContext) -> None:
    client.open()
    token = client.call("get-csrf", "csrf")
    assert re.fullmatch(r"[0-9a-f]{64}", token), token
    cookie = {c["name"]: c for c in context.cookies()}["next-auth.csrf-token"]
    assert cookie["value"].split("%7C")[0] == token
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
    assert client.call("get-csrf", "csrf") == token  # stable while the cookie is valid


def test_credentials_sign_in_update_and_sign_out(
    client: Client, context: BrowserContext, server: ProjectServer
) -> None:
    assert client.open().status() == "unauthenticated"
    assert client.history() == ["loading", "unauthenticated"]
    assert client.session() is None
    assert client.call("get-session", "session") is None

    # A wrong password: next-auth/react reads the error from the 401's {url: .../error?error=CredentialsSignin}.
    assert client.sign_in("alice", "not-the-password") == {
        "error": "CredentialsSignin",
        "status": 401,
        "ok": False,
        "url": None,
    }
    assert client.status() == "unauthenticated"
    assert session_cookies(context) == {}

    # The right one: the url is the callbackUrl the client sent (window.location.href by default).
    assert client.sign_in("alice", "wonderland") == {
        "error": None,
        "status": 200,
        "ok": True,
        "url": f"{server.url}/",
    }
    client.wait_for_status("authenticated")
    assert client.history() == ["loading", "unauthenticated", "authenticated"]
    assert_session(client.session(), ALICE)
    assert list(session_cookies(context)) == ["next-auth.session-token"]
    assert_session(client.call("get-session", "session"), ALICE)

    # update(): POST /session with the CSRF token; the jwt callback takes the new name (trigger "update").
    client.page.fill("#update-name", "Queen Alice")
    updated = client.call("update", "update")
    assert_session(updated, {**ALICE, "name": "Queen Alice"})
    client.page.wait_for_function(
        "JSON.parse(document.getElementById('session').textContent).user.name === 'Queen Alice'"
    )
    # The rewritten cookie carries it: a fresh load (a new SessionProvider) still shows the new name.
    client.page.reload()
    assert client.wait_until_settled() == "authenticated"
    assert_session(client.session(), {**ALICE, "name": "Queen Alice"})

    # signOut({redirect: false}) returns the server's {url}, clears the cookie, and the hook follows.
    assert client.call("signout", "signout") == {"url": f"{server.url}/"}
    client.wait_for_status("unauthenticated")
    assert session_cookies(context) == {}
    assert client.call("get-session", "session") is None


def test_big_session_is_chunked_and_read_back(client: Client, context: BrowserContext) -> None:
    client.open()
    assert client.sign_in("big", "wonderland")["ok"] is True
    client.wait_for_status("authenticated")
    assert sorted(session_cookies(context)) == [f"next-auth.session-token.{i}" for i in range(3)]
    assert all(len(value) <= 3933 for value in session_cookies(context).values())
    assert_session(client.session(), {"name": "Big", "email": "big@example.com", "id": "2"})
    client.page.reload()  # every GET /session re-chunks the re-encoded token
    assert client.wait_until_settled() == "authenticated"
    assert sorted(session_cookies(context)) == [f"next-auth.session-token.{i}" for i in range(3)]
    assert client.call("signout", "signout")["url"]
    client.wait_for_status("unauthenticated")
    assert session_cookies(context) == {}


def test_oauth_sign_in_through_the_mock_provider(
    client: Client, context: BrowserContext, server: ProjectServer
) -> None:
    page = client.page
    client.open()
    page.click("#signin-mock")  # POST /signin/mock (json) → {url: the authorize URL}: the browser goes there
    page.wait_for_url(re.compile(r"^http://127\.0\.0\.1:\d+/oauth2/authorize\?"))
    authorize = page.url
    assert "code_challenge_method=S256" in authorize and "state=" in authorize
    assert f"redirect_uri={server.base.replace(':', '%3A').replace('/', '%2F')}%2Fcallback%2Fmock" in authorize
    page.fill("input[name=sub]", "bob")
    page.click("button:has-text('Authorize')")
    # The provider redirects to /api/auth/callback/mock, which redirects to the callbackUrl (this page).
    page.wait_for_url(f"{server.url}/")
    assert client.wait_until_settled() == "authenticated"
    assert_session(client.session(), BOB)
    assert {c["name"] for c in context.cookies()} >= {"next-auth.session-token"}
    assert not {c["name"] for c in context.cookies()} & {"next-auth.state", "next-auth.pkce.code_verifier"}

    # signOut() with the default redirect: the browser goes to the callbackUrl and comes back signed out.
    page.click("#signout-redirect")
    page.wait_for_function("document.getElementById('status')?.textContent === 'unauthenticated'")
    assert session_cookies(context) == {}


def test_sign_in_without_a_provider_opens_the_built_in_page(
    client: Client, context: BrowserContext, server: ProjectServer
) -> None:
    page = client.page
    client.open()
    page.click("#signin-page")  # signIn(): to /api/auth/signin?callbackUrl=<this page>
    page.wait_for_url(re.compile(re.escape(f"{server.base}/signin?callbackUrl=")))
    page.fill("#input-username-for-credentials-provider", "alice")
    page.fill("#input-password-for-credentials-provider", "wonderland")
    page.click("button:has-text('Sign in with Credentials')")
    page.wait_for_url(f"{server.url}/")
    assert client.wait_until_settled() == "authenticated"
    assert_session(client.session(), ALICE)
