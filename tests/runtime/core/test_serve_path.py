"""What the serve path computes once (cookie definitions, the parsed NEXTAUTH_URL, the split secret) still follows
the environment and stays private to each request; the fast encodeURIComponent equals the general one."""

from __future__ import annotations

import string
from urllib.parse import quote

import pytest
from authkit import make_options

from nextauth._core.init import Prepared, init
from nextauth._lib.cookies import encode_uri_component
from nextauth._lib.types import AuthRequest


def _request(cookies: dict[str, str] | None = None) -> AuthRequest:
    return AuthRequest(method="GET", action="session", cookies=cookies or {}, headers={"host": "app.example"})


async def test_each_request_gets_its_own_cookie_definitions(monkeypatch: pytest.MonkeyPatch) -> None:
    """A request read from Auth.js v5's cookie keeps that cookie while later requests use next-auth's."""
    monkeypatch.setenv("NEXTAUTH_URL", "http://app.example")
    prepared = Prepared(make_options())
    first = await init(prepared, _request({"authjs.session-token": "x"}))
    second = await init(prepared, _request())
    assert first.cookies.session_token.name == "authjs.session-token"
    assert second.cookies.session_token.name == "next-auth.session-token"
    assert first.cookies.session_token.name == "authjs.session-token"  # unchanged by the second request


async def test_url_secret_and_cookie_names_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing computed once hides a changed NEXTAUTH_URL or NEXTAUTH_SECRET from the next request."""
    options = make_options(secret=None)
    prepared = Prepared(options)
    monkeypatch.setenv("NEXTAUTH_URL", "http://one.example")
    monkeypatch.setenv("NEXTAUTH_SECRET", "first-secret,older-secret")
    one = await init(prepared, _request())
    monkeypatch.setenv("NEXTAUTH_URL", "https://two.example/auth")
    monkeypatch.setenv("NEXTAUTH_SECRET", "second-secret")
    two = await init(prepared, _request())
    assert (one.url.base, one.secrets, one.cookies.csrf_token.name) == (
        "http://one.example/api/auth",
        ["first-secret", "older-secret"],
        "next-auth.csrf-token",
    )
    assert (two.url.base, two.secrets, two.cookies.csrf_token.name) == (
        "https://two.example/auth",
        ["second-secret"],
        "__Host-next-auth.csrf-token",
    )
    assert two.cookies.session_token.name == "__Secure-next-auth.session-token"
    one.secrets.append("mutated")  # a caller's list is its own: the cached split is not changed
    three = await init(prepared, _request())
    assert three.secrets == ["second-secret"]


@pytest.mark.parametrize(
    "value",
    [
        string.printable,
        "".join(chr(i) for i in range(128)),
        "http://127.0.0.1:3000/a b?c=d&e=f#g",
        "abc|0123456789abcdef",
        "caf\u00e9 \u2603 \U0001f600",
        "lone \ud800 surrogate",
        "",
    ],
)
def test_encode_uri_component_matches_the_general_encoder(value: str) -> None:
    assert encode_uri_component(value) == quote(value, safe="-_.!~*'()", errors="surrogatepass")


async def test_a_changed_header_does_not_change_the_next_read() -> None:
    """The parsed protected header is cached by its text; a caller that changes what it got changes only its copy."""
    from nextauth import jwt
    from nextauth._lib import jose

    secret = "serve-path-secret-0123456789abcdef"
    token = await jwt.encode(token={"sub": "1"}, secret=secret)
    jose.header_of(token)["enc"] = "A128CBC-HS256"
    assert jose.header_of(token) == {"alg": "dir", "enc": "A256GCM"}
    assert (await jwt.decode(token=token, secret=secret) or {})["sub"] == "1"
