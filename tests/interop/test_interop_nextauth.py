"""Token interop both ways with the REAL next-auth 4.24.15 (``next-auth/jwt`` and its session cookie store)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from authkit import SECRET, Browser, credentials_provider, make_options
from nodekit import NextAuthNode, NodeError
from starlette.requests import Request

from nextauth import ApiRequest, AuthOptions, get_server_session, get_token
from nextauth._lib.cookies import CookieDef, SessionStore, default_cookies, serialize
from nextauth._lib.types import CookieOptions
from nextauth.errors import JWEDecryptionFailedError, JWTExpiredError
from nextauth.jwt import decode, encode

pytestmark = [pytest.mark.node, pytest.mark.slow]

CLAIMS: dict[str, Any] = {
    "name": "Zoë Ünicode ✓",
    "email": "zoe@example.com",
    "picture": None,
    "sub": "42",
    "roles": ["admin", "user"],
    "nested": {"a": 1, "b": [True, False, None], "c": 1.5},
}
BIG: dict[str, Any] = {**CLAIMS, "blob": "".join(f"{i:05d}" for i in range(1500))}  # 7500 chars: 3 chunks


def starlette_request(cookie_header: str) -> Request:
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "query_string": b"",
        "headers": [(b"cookie", cookie_header.encode())],
    }
    return Request(scope)


# ------------------------------------------------------------------------------------------ encode / decode
async def test_next_auth_token_decodes_in_python(next_auth: NextAuthNode) -> None:
    token = next_auth.call("encode", token=CLAIMS, secret=SECRET)
    claims = await decode(token=token, secret=SECRET)
    assert claims is not None
    assert {k: claims[k] for k in CLAIMS} == CLAIMS
    assert claims["exp"] - claims["iat"] == 30 * 24 * 3600
    assert abs(claims["iat"] - time.time()) < 60


async def test_python_token_decodes_in_next_auth(next_auth: NextAuthNode) -> None:
    token = await encode(token=CLAIMS, secret=SECRET, max_age=3600)
    claims = next_auth.call("decode", token=token, secret=SECRET)
    assert {k: claims[k] for k in CLAIMS} == CLAIMS
    assert claims["exp"] - claims["iat"] == 3600


@pytest.mark.parametrize(
    "salt", ["next-auth.state", "__Secure-next-auth.state", "next-auth.pkce.code_verifier", "__Secure-next-auth.nonce"]
)
async def test_check_cookies_with_salts_both_ways(next_auth: NextAuthNode, salt: str) -> None:
    payload = {"value": "v" * 43, "provider": "google"}
    from_node = next_auth.call("encode", token=payload, secret=SECRET, maxAge=900, salt=salt)
    claims = await decode(token=from_node, secret=SECRET, salt=salt)
    assert claims is not None and claims["value"] == payload["value"] and claims["exp"] - claims["iat"] == 900
    with pytest.raises(JWEDecryptionFailedError):
        await decode(token=from_node, secret=SECRET)  # the salt is part of the key
    from_python = await encode(token=payload, secret=SECRET, max_age=900, salt=salt)
    decoded = next_auth.call("decode", token=from_python, secret=SECRET, salt=salt)
    assert decoded["provider"] == "google"
    with pytest.raises(NodeError) as raised:
        next_auth.call("decode", token=from_python, secret=SECRET)
    assert raised.value.code == "ERR_JWE_DECRYPTION_FAILED"


async def test_state_cookie_from_the_python_handler_decodes_in_next_auth(next_auth: NextAuthNode) -> None:
    from nextauth.providers import OAuthProvider

    provider = OAuthProvider(
        id="corp",
        name="Corp",
        client_id="c",
        client_secret="s",
        authorization="https://sso.example/authorize",
        token="https://sso.example/token",
        checks=["pkce", "state", "nonce"],
    )
    browser = Browser.of(AuthOptions(secret=SECRET, providers=[provider]), "app")
    csrf = await browser.csrf()
    result = await browser.post("signin/corp", form={"csrfToken": csrf})
    for name in ("next-auth.state", "next-auth.pkce.code_verifier", "next-auth.nonce"):
        cookie = result.cookie(name)
        assert cookie is not None
        payload = next_auth.call("decode", token=cookie.decoded, secret=SECRET, salt=name)
        assert payload["provider"] == "corp" and len(payload["value"]) == 43
        assert payload["exp"] - payload["iat"] == 900


@pytest.mark.parametrize(("expired_by", "decodes"), [(10, True), (20, False)])
async def test_expiry_tolerance_agrees(next_auth: NextAuthNode, expired_by: int, decodes: bool) -> None:
    python_made = await encode(token={"sub": "1"}, secret=SECRET, max_age=-expired_by)
    node_made = next_auth.call("encode", token={"sub": "1"}, secret=SECRET, maxAge=-expired_by)
    for token in (python_made, node_made):
        if decodes:
            assert next_auth.call("decode", token=token, secret=SECRET)["sub"] == "1"
            assert await decode(token=token, secret=SECRET) is not None
        else:
            with pytest.raises(NodeError) as raised:
                next_auth.call("decode", token=token, secret=SECRET)
            assert raised.value.code == "ERR_JWT_EXPIRED"
            with pytest.raises(JWTExpiredError):
                await decode(token=token, secret=SECRET)


async def test_wrong_secret_fails_on_both_sides(next_auth: NextAuthNode) -> None:
    python_made = await encode(token={"sub": "1"}, secret="one-secret")
    with pytest.raises(NodeError) as raised:
        next_auth.call("decode", token=python_made, secret="another-secret")
    assert raised.value.code == "ERR_JWE_DECRYPTION_FAILED"
    node_made = next_auth.call("encode", token={"sub": "1"}, secret="one-secret")
    with pytest.raises(JWEDecryptionFailedError):
        await decode(token=node_made, secret="another-secret")


async def test_rotation_from_a_next_auth_secret(next_auth: NextAuthNode) -> None:
    """Moving from next-auth to this server with a new secret: old cookies still work and come back re-keyed."""
    old = next_auth.call("encode", token={"name": "Alice", "email": "a@x.io", "sub": "1"}, secret="old-node-secret")
    browser = Browser.of(make_options(secret=[SECRET, "old-node-secret"]), "pages")
    result = await browser.get("session", cookies={"next-auth.session-token": old})
    assert result.json()["user"] == {"name": "Alice", "email": "a@x.io"}
    cookie = result.cookie("next-auth.session-token")
    assert cookie is not None
    assert next_auth.call("decode", token=cookie.value, secret=SECRET)["sub"] == "1"


# ------------------------------------------------------------------------------------------ chunked cookies
async def test_python_chunked_cookies_are_read_by_next_auth_get_token(next_auth: NextAuthNode) -> None:
    def jwt(token: dict[str, Any], user: dict[str, Any] | None = None) -> dict[str, Any]:
        return {**token, **BIG} if user else token

    browser = Browser.of(make_options(callbacks={"jwt": jwt}), "app")
    result = await browser.sign_in_with_credentials(username="alice", password="wonderland")
    chunks = {c.name: c.decoded for c in result.set_cookies if c.name.startswith("next-auth.session-token")}
    assert sorted(chunks) == ["next-auth.session-token.0", "next-auth.session-token.1", "next-auth.session-token.2"]
    assert [len(v) for v in chunks.values()][:2] == [3933, 3933]
    claims = next_auth.call("getToken", cookies=chunks, headers={}, secret=SECRET)
    assert claims["blob"] == BIG["blob"] and claims["name"] == BIG["name"] and claims["sub"] == "42"
    # and after the rolling re-issue of GET /session
    session = await browser.get("session")
    rolled = {c.name: c.decoded for c in session.set_cookies if not c.is_deletion and "session-token" in c.name}
    assert len(rolled) == 3
    assert next_auth.call("getToken", cookies=rolled, headers={}, secret=SECRET)["blob"] == BIG["blob"]


async def test_python_chunks_with_secure_names(next_auth: NextAuthNode, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEXTAUTH_URL", "https://app.example.com")

    def jwt(token: dict[str, Any], user: dict[str, Any] | None = None) -> dict[str, Any]:
        return {**token, **BIG} if user else token

    browser = Browser.of(make_options(callbacks={"jwt": jwt}), "pages", origin="https://app.example.com")
    result = await browser.sign_in_with_credentials(username="alice", password="wonderland")
    chunks = {c.name: c.decoded for c in result.set_cookies if "session-token" in c.name}
    assert all(name.startswith("__Secure-next-auth.session-token.") for name in chunks)
    assert (
        next_auth.call("getToken", cookies=chunks, headers={}, secret=SECRET, secureCookie=True)["blob"] == BIG["blob"]
    )
    assert next_auth.call("getToken", cookies=chunks, headers={}, secret=SECRET, secureCookie=False) is None


def _next_auth_chunks(
    next_auth: NextAuthNode, token: str, *, secure: bool = False, request: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    name = ("__Secure-" if secure else "") + "next-auth.session-token"
    expires_ms = int((datetime.now(UTC) + timedelta(days=30)).timestamp() * 1000)
    result: list[dict[str, Any]] = next_auth.call(
        "chunk", name=name, secure=secure, requestCookies=request or {}, value=token, expires=expires_ms
    )
    return result


async def test_next_auth_chunked_cookies_are_read_by_python(next_auth: NextAuthNode) -> None:
    token = next_auth.call("encode", token={**BIG, "name": "Alice", "email": "alice@example.com"}, secret=SECRET)
    cookies = _next_auth_chunks(next_auth, token)
    assert [c["name"] for c in cookies] == [f"next-auth.session-token.{i}" for i in range(len(cookies))]
    assert len(cookies) == 3
    jar = {c["name"]: c["value"] for c in cookies}

    claims = await get_token(ApiRequest(method="GET", cookies=jar), secret=SECRET)
    assert isinstance(claims, dict) and claims["blob"] == BIG["blob"]

    header = "; ".join(line["setCookie"].split(";")[0] for line in cookies)  # what the browser sends back
    claims = await get_token(starlette_request(header), secret=SECRET)
    assert isinstance(claims, dict) and claims["sub"] == "42"

    session = await get_server_session(starlette_request(header), make_options())
    assert session is not None
    assert session["user"] == {"name": "Alice", "email": "alice@example.com", "image": None}

    browser = Browser.of(make_options(), "app")
    browser.jar.update({c["name"]: c["setCookie"].split(";")[0].split("=", 1)[1] for c in cookies})
    assert (await browser.get("session")).json()["user"]["name"] == "Alice"


@pytest.mark.parametrize(
    ("size", "request_cookies"),
    [
        (100, {}),
        (7000, {}),
        (100, {"next-auth.session-token.0": "a", "next-auth.session-token.1": "b", "next-auth.csrf-token": "c"}),
        (5000, {"next-auth.session-token": "old"}),
        (12000, {"next-auth.session-token.0": "a", "next-auth.session-token.1": "b"}),
        (3933, {}),
        (3934, {}),
    ],
)
def test_session_store_writes_byte_identical_set_cookie_lines(
    next_auth: NextAuthNode, size: int, request_cookies: dict[str, str]
) -> None:
    """The same token and request give the same Set-Cookie lines as next-auth's SessionStore (+ the cookie package)."""
    value = ("abcdefghij" * (size // 10 + 1))[:size]
    expires = datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC)
    node = next_auth.call(
        "chunk",
        name="next-auth.session-token",
        secure=False,
        requestCookies=request_cookies,
        value=value,
        expires=int(expires.timestamp() * 1000),
    )
    store = SessionStore(default_cookies(False).session_token, request_cookies)
    python = [serialize(c) for c in store.chunk(value, expires)]
    assert python == [c["setCookie"] for c in node]


def test_session_store_clean_is_byte_identical(next_auth: NextAuthNode) -> None:
    request = {"__Secure-next-auth.session-token.0": "a", "__Secure-next-auth.session-token.1": "b", "other": "x"}
    node = next_auth.call("clean", name="__Secure-next-auth.session-token", secure=True, requestCookies=request)
    store = SessionStore(default_cookies(True).session_token, request)
    assert [serialize(c) for c in store.clean()] == [c["setCookie"] for c in node]


def test_serialised_attributes_match_the_cookie_package(next_auth: NextAuthNode) -> None:
    """Max-Age, Domain, Path, Expires (toUTCString), HttpOnly, Secure, SameSite — in that order, from next-auth."""
    expires = datetime(2026, 11, 26, 18, 38, 49, tzinfo=UTC)
    (node,) = next_auth.call(
        "chunk", name="x", secure=True, requestCookies={}, value="a|b c/é", expires=int(expires.timestamp() * 1000)
    )
    python = serialize(SessionStore(CookieDef("x", CookieOptions(secure=True)), {}).chunk("a|b c/é", expires)[0])
    assert python == node["setCookie"]


# ------------------------------------------------------------------------------------------ getToken parity
@pytest.mark.parametrize(
    "case",
    ["cookie", "secure-cookie-plain-name", "bearer", "bearer-encoded", "bearer-malformed", "garbage", "raw", "none"],
)
async def test_get_token_agrees_with_next_auth(next_auth: NextAuthNode, case: str) -> None:
    token = await encode(token={"sub": "9", "name": "Nine"}, secret=SECRET)
    cookies: dict[str, str] = {}
    headers: dict[str, str] = {}
    kwargs: dict[str, Any] = {}
    if case == "cookie":
        cookies = {"next-auth.session-token": token}
    elif case == "secure-cookie-plain-name":
        cookies = {"next-auth.session-token": token}
        kwargs = {"secure_cookie": True}
    elif case == "bearer":
        headers = {"authorization": f"Bearer {token}"}
    elif case == "bearer-encoded":
        headers = {"authorization": f"Bearer {token.replace('.', '%2E')}"}
    elif case == "bearer-malformed":
        headers = {"authorization": "Bearer %E0%A4%A"}
    elif case == "garbage":
        cookies = {"next-auth.session-token": "garbage"}
    elif case == "raw":
        cookies = {"next-auth.session-token": token}
        kwargs = {"raw": True}
    node_kwargs = {"secureCookie": kwargs.get("secure_cookie", False)} | ({"raw": True} if kwargs.get("raw") else {})
    node = next_auth.call("getToken", cookies=cookies, headers=headers, secret=SECRET, **node_kwargs)
    python = await get_token(ApiRequest(method="GET", cookies=cookies, headers=headers), secret=SECRET, **kwargs)
    if isinstance(node, dict):
        assert isinstance(python, dict)
        assert {k: python[k] for k in ("sub", "name", "iat", "exp", "jti")} == {
            k: node[k] for k in ("sub", "name", "iat", "exp", "jti")
        }
    else:
        assert python == node


async def test_get_token_over_a_credentials_sign_in(next_auth: NextAuthNode) -> None:
    browser = Browser.of(make_options(providers=[credentials_provider()]), "pages")
    await browser.sign_in_with_credentials(username="alice", password="wonderland")
    cookies = {"next-auth.session-token": browser.jar["next-auth.session-token"]}
    node = next_auth.call("getToken", cookies=cookies, headers={}, secret=SECRET)
    assert {k: node[k] for k in ("name", "email", "sub")} == {"name": "Alice", "email": "alice@example.com", "sub": "1"}
    assert "picture" not in node
