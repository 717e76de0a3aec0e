"""The session cookie under hostile input: odd chunk suffixes never answer 500 (hole 6) and a token too large
for ten cookies is dropped with next-auth's ``CHUNKING_SESSION_COOKIE`` message instead of being sent as
hundreds of ``Set-Cookie`` headers (hole 11)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from requestkit import (
    SECRET,
    SURFACES,
    Reply,
    Surface,
    asgi_request,
    csrf_pair,
    form,
    isolated_imports,  # noqa: F401 - a fixture
    surface_app,
)
from security_figures import record
from starlette.requests import Request

from nextauth import ApiRequest, AuthOptions, NextAuth
from nextauth.jwt import encode, get_token
from nextauth.providers import CredentialsProvider

pytestmark = pytest.mark.usefixtures("isolated_imports")

SESSION = "next-auth.session-token"
CHUNK_SIZE = 3933  # next-auth's: 4096 - 163
MAX_SESSION_CHUNKS = 10  # the documented cap (nextauth._lib.cookies.MAX_SESSION_CHUNKS)
# Digits to str.isdigit() but not to int(): superscripts, circled and other scripts' digits, and the raw
# byte 0xb2 (a server decodes header bytes as ISO-8859-1: "²").
ODD_SUFFIXES = ["²", "①", "١", "߁", "𝟘", "\xb2", "1²", "0x1", "-1", "1e3", " 1", "", "9" * 5000, "00000000000001"]


def _cookie_headers(suffixes: list[str], value: str) -> list[bytes]:
    """The header as a browser sends it (UTF-8), and as raw ISO-8859-1 bytes when the text fits: a server decodes
    header bytes as ISO-8859-1, so only the second reaches the application as "²"."""
    text = "; ".join(f"{SESSION}.{s}={value}" for s in suffixes)
    encodings = [text.encode("utf-8")]
    if all(ord(c) < 256 for c in text):
        encodings.append(text.encode("latin-1"))
    return encodings


@pytest.mark.parametrize("surface", SURFACES)
async def test_odd_chunk_suffixes_are_no_session(tmp_path: Path, surface: Surface) -> None:
    app = surface_app(tmp_path, surface)
    token = await encode(token={"sub": "1", "name": "Alice"}, secret=SECRET)
    failures = []
    tried = 0
    for suffix in ODD_SUFFIXES:
        for cookies in ([suffix], [suffix, "0"], ["0", suffix, "1"]):
            for raw in _cookie_headers(cookies, token[:40]):
                for method, route in (("GET", "session"), ("POST", "signout"), ("GET", "signout")):
                    tried += 1
                    reply = await asgi_request(app, method, f"/api/auth/{route}", headers=[(b"cookie", raw)])
                    if reply.status >= 500 or (route == "session" and json.loads(reply.body) != {}):
                        failures.append((suffix, cookies, route, reply.status))
    record("session cookie: odd chunk suffixes", tried=tried, accepted=len(failures), what="no 5xx")
    assert not failures


async def test_get_token_never_raises_for_odd_chunks() -> None:
    token = await encode(token={"sub": "1"}, secret=SECRET)
    half = len(token) // 2
    for suffix in ODD_SUFFIXES:
        chunks = {f"{SESSION}.{suffix}": token[:half], f"{SESSION}.1": token[half:]}
        api_request = ApiRequest(method="GET", cookies=chunks)
        header = "; ".join(f"{k}={v}" for k, v in chunks.items()).encode("utf-8")
        scope = {"type": "http", "method": "GET", "path": "/", "headers": [(b"cookie", header)], "query_string": b""}
        for request in (api_request, Request(scope)):
            result = await get_token(request, secret=SECRET)  # 4586d69: ValueError from float("²")
            # An odd suffix sorts before the numbered chunks: here that happens to rebuild the token.
            assert result is None or result["sub"] == "1"
    # Numeric suffixes still order the chunks (10 after 9, not after 1).
    parts = [token[i : i + 20] for i in range(0, len(token), 20)]
    many = {f"{SESSION}.{i}": part for i, part in reversed(list(enumerate(parts)))}
    claims = await get_token(ApiRequest(method="GET", cookies=many), secret=SECRET)
    assert isinstance(claims, dict) and claims["sub"] == "1"


# ------------------------------------------------------------------------------------------ the chunking cap
def _session_cookies(reply: Reply) -> list[str]:
    return [c for c in reply.header_values("set-cookie") if c.startswith(SESSION)]


async def _sign_in(app: Any, name: str) -> Reply:
    token, cookie = await csrf_pair(app)
    body = form({"username": "alice", "password": "wonderland", "name": name, "csrfToken": token, "json": "true"})
    return await asgi_request(
        app,
        "POST",
        "/api/auth/callback/credentials",
        headers=[("content-type", "application/x-www-form-urlencoded"), ("cookie", cookie)],
        body=body,
    )


@pytest.mark.parametrize("surface", SURFACES)
async def test_a_session_too_large_for_ten_cookies_is_dropped(
    tmp_path: Path, surface: Surface, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="nextauth")
    app = surface_app(tmp_path, surface)
    reply = await _sign_in(app, "N" * 600_000)  # a 600 KB profile name: about 200 cookies uncapped
    assert reply.status == 200
    written = [c for c in _session_cookies(reply) if "Max-Age=0" not in c]
    assert written == [], f"{len(written)} session cookies sent"
    assert len(reply.header_values("set-cookie")) <= 3  # CSRF and callback-url cookies only
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any(
        "[CHUNKING_SESSION_COOKIE]" in m and "Session cookie exceeds allowed 4096 bytes." in m and "not saved" in m
        for m in errors
    ), errors
    record("session cookie: oversized sessions", tried=1, accepted=len(written), what="dropped, error logged")


@pytest.mark.parametrize("surface", SURFACES)
async def test_a_large_session_under_the_cap_is_chunked_as_next_auth_does(
    tmp_path: Path, surface: Surface, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="nextauth")
    app = surface_app(tmp_path, surface)
    reply = await _sign_in(app, "N" * 20_000)
    chunks = _session_cookies(reply)
    assert 2 < len(chunks) <= MAX_SESSION_CHUNKS
    assert [c.split("=", 1)[0] for c in chunks] == [f"{SESSION}.{i}" for i in range(len(chunks))]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    # And it comes back as a session.
    jar = "; ".join(c.split(";", 1)[0] for c in chunks)
    session = await asgi_request(app, "GET", "/api/auth/session", headers=[("cookie", jar)])
    assert json.loads(session.body)["user"]["name"] == "N" * 20_000


@pytest.mark.parametrize("chunks", [MAX_SESSION_CHUNKS + 2, MAX_SESSION_CHUNKS - 2])
async def test_a_refreshed_session_is_capped_too(caplog: pytest.LogCaptureFixture, chunks: int) -> None:
    """The jwt callback may grow a token on refresh (GET /session): past the cap the old chunks are deleted and
    nothing new is written; under it the chunks are written and, in debug mode, next-auth's debug line logged."""
    caplog.set_level(logging.DEBUG, logger="nextauth")

    async def grow(token: dict[str, Any], **_: Any) -> dict[str, Any]:
        return {**token, "blob": "b" * (CHUNK_SIZE * chunks * 3 // 4)}  # the JWE is about 4/3 of the claims

    handler = NextAuth(
        AuthOptions(
            secret=SECRET,
            debug=True,
            providers=[CredentialsProvider(authorize=lambda c: None)],
            callbacks={"jwt": grow},
        )
    )
    token = await encode(token={"sub": "1", "name": "Alice"}, secret=SECRET)
    cookie = f"{SESSION}.0={token[:100]}; {SESSION}.1={token[100:]}".encode()
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/api/auth/session",
        "headers": [(b"host", b"localhost:3000"), (b"cookie", cookie)],
        "query_string": b"",
    }
    response = await handler(Request(scope), {"params": {"nextauth": ["session"]}})
    set_cookies = [v.decode() for k, v in response.raw_headers if k == b"set-cookie"]
    written = [c for c in set_cookies if c.startswith(SESSION) and "Max-Age=0" not in c]
    messages = [(r.levelno, r.getMessage()) for r in caplog.records if "[CHUNKING_SESSION_COOKIE]" in r.getMessage()]
    assert messages and all("Session cookie exceeds allowed 4096 bytes." in m for _, m in messages)
    if chunks > MAX_SESSION_CHUNKS:
        assert written == []
        deleted = sorted(c.split("=", 1)[0] for c in set_cookies if "Max-Age=0" in c)
        assert deleted == [f"{SESSION}.0", f"{SESSION}.1"]
        assert [level for level, _ in messages] == [logging.ERROR]
    else:
        assert 2 < len(written) <= MAX_SESSION_CHUNKS
        assert [level for level, _ in messages] == [logging.DEBUG]
