"""The three "advanced initialization" examples of the seed (NextAuth.js's Initialization page), both layouts.

Each route is written as a user would write ``pages/api/auth/[...nextauth].py`` or
``app/api/auth/[...nextauth]/route.py``, calling ``NextAuth(req, res, options)`` /
``NextAuth(request, context, options)`` per request.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from authkit import BASE, ORIGIN, SECRET, Browser, Layout, credentials_provider, form_actions, log_messages, query_of
from starlette.requests import Request

from nextauth import ApiRequest, ApiResponse, NextAuth
from nextauth.providers import OAuthProvider


def segments_of(layout: Layout, req: Any, ctx: Any) -> list[str]:
    segments = req.query["nextauth"] if layout == "pages" else ctx["params"]["nextauth"]
    assert isinstance(segments, list)
    return segments


# ------------------------------------------------------------------------------------------ example 1
def logging_route(layout: Layout, logged: list[tuple[str, Any]]) -> Any:
    options = {"secret": SECRET, "providers": [credentials_provider()]}

    if layout == "pages":

        async def pages_auth(req: ApiRequest, res: ApiResponse) -> None:
            if "callback" in req.query["nextauth"] and req.method == "POST":
                logged.append(("Handling callback request from my Identity Provider", req.body))
            return await NextAuth(req, res, options)

        return pages_auth

    async def app_auth(request: Request, context: dict[str, Any]) -> Any:
        if "callback" in context["params"]["nextauth"] and request.method == "POST":
            body = await request.body()  # cached by Starlette: NextAuth can still read it
            logged.append(("Handling callback request from my Identity Provider", body.decode()))
        return await NextAuth(request, context, options)

    return app_auth


async def test_logging_callback_posts_from_the_catch_all_route(layout: Layout) -> None:
    logged: list[tuple[str, Any]] = []
    browser = Browser(logging_route(layout, logged), layout)
    csrf = await browser.csrf()
    await browser.get("session")
    assert logged == []  # GETs and other actions are not logged
    result = await browser.post(
        "callback/credentials", form={"username": "alice", "password": "wonderland", "csrfToken": csrf, "json": "true"}
    )
    assert result.status == 200 and result.json() == {"url": ORIGIN}  # NextAuth still got the whole body
    assert len(logged) == 1
    message, body = logged[0]
    assert message == "Handling callback request from my Identity Provider"
    if layout == "pages":
        assert body == {"username": "alice", "password": "wonderland", "csrfToken": csrf, "json": "true"}
    else:
        assert "username=alice" in body and f"csrfToken={csrf}" in body
    assert (await browser.get("session")).json()["user"]["name"] == "Alice"


# ------------------------------------------------------------------------------------------ example 2
def cookie_route(layout: Layout) -> Any:
    async def auth(req: Any, ctx: Any) -> Any:
        some_cookie = req.cookies.get("some-custom-cookie")  # read per request, before NextAuth

        def session(session: dict[str, Any], token: dict[str, Any]) -> dict[str, Any]:
            session["someCookie"] = some_cookie
            return session

        return await NextAuth(
            req, ctx, {"secret": SECRET, "providers": [credentials_provider()], "callbacks": {"session": session}}
        )

    return auth


async def test_request_cookie_copied_into_the_session(layout: Layout) -> None:
    browser = Browser(cookie_route(layout), layout)
    await browser.sign_in_with_credentials(username="alice", password="wonderland")
    browser.jar["some-custom-cookie"] = "hello"
    body = (await browser.get("session")).json()
    assert body["someCookie"] == "hello"
    assert body["user"] == {"name": "Alice", "email": "alice@example.com"}
    browser.jar["some-custom-cookie"] = "changed"
    assert (await browser.get("session")).json()["someCookie"] == "changed"
    del browser.jar["some-custom-cookie"]
    assert (await browser.get("session")).json()["someCookie"] is None


# ------------------------------------------------------------------------------------------ example 3
def hidden_provider_route(layout: Layout) -> Any:
    async def auth(req: Any, ctx: Any) -> Any:
        providers = [
            credentials_provider(),
            OAuthProvider(
                id="corp",
                name="Corp SSO",
                client_id="client-1",
                client_secret="secret-1",
                authorization={"url": "https://sso.corp.example/authorize", "params": {"scope": "openid email"}},
                token="https://sso.corp.example/token",
                userinfo="https://sso.corp.example/userinfo",
                issuer="https://sso.corp.example",
                checks=["pkce", "state"],
            ),
        ]
        is_default_signin_page = req.method == "GET" and "signin" in segments_of(layout, req, ctx)
        if is_default_signin_page:  # hide the OAuth provider on /api/auth/signin
            providers.pop()
        return await NextAuth(req, ctx, {"secret": SECRET, "providers": providers})

    return auth


async def test_hidden_provider_is_not_on_the_signin_page(layout: Layout) -> None:
    browser = Browser(hidden_provider_route(layout), layout)
    page = await browser.get("signin")
    assert page.status == 200
    assert form_actions(page.text) == [f"{BASE}/callback/credentials"]
    assert "Corp SSO" not in page.text
    providers = (await browser.get("providers")).json()
    assert list(providers) == ["credentials", "corp"]  # only the page hides it


async def test_hidden_oauth_provider_can_still_sign_in(layout: Layout) -> None:
    browser = Browser(hidden_provider_route(layout), layout)
    csrf = await browser.csrf()
    result = await browser.post("signin/corp", form={"csrfToken": csrf, "callbackUrl": "/after"})
    assert result.status == 302
    assert result.location is not None and result.location.startswith("https://sso.corp.example/authorize?")
    query = query_of(result.location)
    assert query["client_id"] == "client-1"
    assert query["redirect_uri"] == f"{BASE}/callback/corp"
    assert query["scope"] == "openid email"
    assert query["code_challenge_method"] == "S256"
    assert {"next-auth.state", "next-auth.pkce.code_verifier"} <= set(result.cookie_names)
    assert browser.jar["next-auth.callback-url"] == "http%3A%2F%2Flocalhost%3A3000%2Fafter"


async def test_hidden_setup_credentials_still_sign_in(layout: Layout) -> None:
    browser = Browser(hidden_provider_route(layout), layout)
    result = await browser.sign_in_with_credentials(username="alice", password="wonderland")
    assert result.status == 200 and result.json() == {"url": ORIGIN}
    assert (await browser.get("session")).json()["user"]["name"] == "Alice"


# ------------------------------------------------------------------------------------------ advanced init itself
async def test_advanced_initialization_is_told_apart_by_params(layout: Layout) -> None:
    """``NextAuth(req, res, options)`` vs ``NextAuth(request, context, options)``: params mean app-style."""

    async def auth(req: Any, ctx: Any) -> Any:
        result = await NextAuth(req, ctx, {"secret": SECRET, "providers": [credentials_provider()]})
        if layout == "pages":
            assert result is None and ctx.finished  # the pages form ends the response itself
        return result

    result = await Browser(auth, layout).get("providers")
    assert result.status == 200 and list(result.json()) == ["credentials"]


async def test_advanced_initialization_warns_once_per_process(layout: Layout, logs: pytest.LogCaptureFixture) -> None:
    """A route that builds its options per request must not repeat the NEXTAUTH_URL warning on every request."""

    async def auth(req: Any, ctx: Any) -> Any:
        return await NextAuth(req, ctx, {"secret": SECRET, "providers": [credentials_provider()]})

    browser = Browser(auth, layout)
    for _ in range(3):
        await browser.get("session")
    warnings = [m for m in log_messages(logs, logging.WARNING) if "[NEXTAUTH_URL]" in m]
    assert len(warnings) <= 1, warnings


def test_nextauth_with_two_arguments_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match=r"NextAuth\(\) takes \(options\), \(req, res, options\)"):
        NextAuth(ApiRequest(method="GET"), ApiResponse())  # type: ignore[call-overload]
