"""Session tokens both ways with the REAL Auth.js v5 (``@auth/core`` 0.41.3's ``jwt`` module, tests/node).

Auth.js v5 keys its token with the cookie's name as salt, so every case runs for both names it uses. Rotation:
``@auth/core`` puts the key's thumbprint in ``kid`` and picks the secret by it; both sides must do so.
"""

from __future__ import annotations

from typing import Any

import pytest
from authkit import SECRET, Browser, make_options
from nodekit import NextAuthNode, NodeError
from starlette.requests import Request

from nextauth import AuthOptions, get_server_session, get_token
from nextauth._lib import jose
from nextauth.errors import JWEDecryptionFailedError
from nextauth.jwt import decode, encode
from nextauth.middleware import MiddlewareRequest, with_auth

pytestmark = [pytest.mark.node, pytest.mark.slow]

NAMES = ["authjs.session-token", "__Secure-authjs.session-token"]
CLAIMS: dict[str, Any] = {"name": "Zoë ✓", "email": "zoe@example.com", "sub": "42", "roles": ["a"], "n": {"x": 1.5}}
OLD = "an-old-secret-that-is-being-rotated-out-0123456789"


def request_with(cookie_header: str) -> Request:
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "query_string": b"",
        "headers": [(b"cookie", cookie_header.encode())],
    }
    return Request(scope)


@pytest.mark.parametrize("name", NAMES)
async def test_authjs_token_is_read_here(next_auth: NextAuthNode, name: str) -> None:
    token = next_auth.call("v5encode", token=CLAIMS, secret=SECRET, salt=name, maxAge=3600)
    header = jose.header_of(token)
    assert header["enc"] == "A256CBC-HS512" and isinstance(header["kid"], str)
    claims = await decode(token=token, secret=SECRET, salt=name)
    assert claims is not None and {k: claims[k] for k in CLAIMS} == CLAIMS
    assert claims["exp"] - claims["iat"] == 3600
    with pytest.raises(JWEDecryptionFailedError):  # the cookie name is part of the key
        await decode(token=token, secret=SECRET, salt=NAMES[1 - NAMES.index(name)])
    # get_token finds the v5 cookie by itself and salts with its name
    secure = name.startswith("__Secure-")
    found = await get_token(request_with(f"{name}={token}"), secret=SECRET, secure_cookie=secure)
    assert isinstance(found, dict) and found["sub"] == "42"
    assert await get_token(request_with(f"{name}={token}"), secret=SECRET, secure_cookie=not secure) is None


@pytest.mark.parametrize("name", NAMES)
async def test_token_written_here_is_read_by_authjs(next_auth: NextAuthNode, name: str) -> None:
    token = await encode(token=CLAIMS, secret=SECRET, salt=name, format="v5", max_age=600)
    claims = next_auth.call("v5decode", token=token, secret=SECRET, salt=name)
    assert {k: claims[k] for k in CLAIMS} == CLAIMS and claims["exp"] - claims["iat"] == 600
    assert (
        jose.header_of(token)["kid"]
        == jose.header_of(next_auth.call("v5encode", token={}, secret=SECRET, salt=name))["kid"]
    )  # the same kid for the same key: the thumbprint is computed alike
    got = next_auth.call("v5getToken", cookie=f"{name}={token}", secret=SECRET, secureCookie=name.startswith("__"))
    assert got["sub"] == "42"
    with pytest.raises(NodeError):
        next_auth.call("v5decode", token=token, secret="not-the-secret-at-all", salt=name)


@pytest.mark.parametrize("name", NAMES)
async def test_rotated_secrets_both_ways(next_auth: NextAuthNode, name: str) -> None:
    """A token under the old secret is read with [new, old] on both sides; a ``kid`` names the old key."""
    from_node = next_auth.call("v5encode", token={"sub": "1"}, secret=[OLD], salt=name)
    assert (await decode(token=from_node, secret=[SECRET, OLD], salt=name) or {})["sub"] == "1"
    from_here = await encode(token={"sub": "2"}, secret=[OLD, SECRET], salt=name, format="v5")
    assert next_auth.call("v5decode", token=from_here, secret=[SECRET, OLD], salt=name)["sub"] == "2"
    # a kid that names no configured key is refused, as @auth/core refuses it
    with pytest.raises(JWEDecryptionFailedError):
        await decode(token=from_node, secret=[SECRET], salt=name)
    with pytest.raises(NodeError):
        next_auth.call("v5decode", token=from_here, secret=[SECRET], salt=name)


async def test_handler_writes_v5_that_authjs_reads(next_auth: NextAuthNode) -> None:
    browser = Browser.of(make_options(jwt={"format": "v5"}), "app")
    result = await browser.sign_in_with_credentials(username="alice", password="wonderland")
    cookie = result.cookie("authjs.session-token")
    assert cookie is not None and result.cookie("next-auth.session-token") is None
    got = next_auth.call("v5getToken", cookie=f"authjs.session-token={cookie.value}", secret=SECRET)
    assert got["name"] == "Alice" or got["sub"]
    session = await browser.get("session")
    assert session.json()["user"]["name"] == got["name"]


@pytest.mark.parametrize("fmt", ["v4", "v5"])
async def test_authjs_cookie_accepted_by_session_middleware_and_refreshed_in_place(
    next_auth: NextAuthNode, fmt: str
) -> None:
    """A v4-configured (default) or v5-configured back end reads an Auth.js cookie, with a rotated secret, and
    refreshes it in the same cookie and format, so the Auth.js front end still reads it."""
    token = next_auth.call("v5encode", token={"name": "Bo", "email": "bo@x.io", "sub": "7"}, secret=OLD, salt=NAMES[0])
    options: AuthOptions = make_options(secret=[SECRET, OLD], jwt={"format": fmt})
    session = await get_server_session(request_with(f"{NAMES[0]}={token}"), options)
    assert session is not None and session["user"] == {"name": "Bo", "email": "bo@x.io"}
    browser = Browser.of(options, "pages")
    result = await browser.get("session", cookies={NAMES[0]: token})
    assert result.cookie("next-auth.session-token") is None
    rolled = result.cookie(NAMES[0])
    assert rolled is not None and jose.header_of(rolled.value)["enc"] == "A256CBC-HS512"
    assert next_auth.call("v5decode", token=rolled.value, secret=SECRET, salt=NAMES[0])["sub"] == "7"

    seen: list[Any] = []

    async def inner(request: Any) -> str:
        seen.append(request.nextauth.token)
        return "ok"

    guarded = with_auth(inner, {"secret": [SECRET, OLD]})
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/dashboard",
        "raw_path": b"/dashboard",
        "query_string": b"",
        "headers": [(b"cookie", f"{NAMES[0]}={token}".encode())],
    }
    assert await guarded(MiddlewareRequest(scope)) == "ok"
    assert seen and seen[0]["sub"] == "7"


async def test_v4_and_v5_cookies_side_by_side(next_auth: NextAuthNode) -> None:
    """next-auth v4's cookie wins when both are sent (it is the one this back end writes by default)."""
    v4 = next_auth.call("encode", token={"sub": "v4"}, secret=SECRET)
    v5 = next_auth.call("v5encode", token={"sub": "v5"}, secret=SECRET, salt=NAMES[0])
    found = await get_token(request_with(f"{NAMES[0]}={v5}; next-auth.session-token={v4}"), secret=SECRET)
    assert isinstance(found, dict) and found["sub"] == "v4"
