"""A route file whose handler is ``NextAuth(options)`` itself is served straight from ASGI
(``nextauth.server._direct``), without the layout objects. It must send what the layout adapter sends: the same
requests go through both paths and the ASGI messages are compared, status, header lines in order and body.

Randomness is made repeatable (each path starts from the same seed), so CSRF tokens and state values compare
exactly; what carries the clock (encrypted tokens, dates) is masked.
"""

from __future__ import annotations

import json
import os
import random
import re
import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from serverkit import build
from starlette.types import Message, Scope

from nextauth.jwt import encode
from nextauth.server import create_app
from nextauth.server._app import AppEndpoint
from nextauth.server._asgi import ProjectApp
from nextauth.server._pages import PagesEndpoint

SECRET = "direct-path-secret-direct-path-secret-0123"
OPTIONS = """
    from nextauth import AuthOptions
    from nextauth.providers.credentials import CredentialsProvider
    from nextauth.providers.oauth import OAuthProvider

    def authorize(credentials, request):
        if credentials.get("username") == "alice" and credentials.get("password") == "pw":
            return {"id": "1", "name": "Alice", "email": "alice@example.com"}
        return None

    def session_callback(session, token):
        session["extra"] = {"sub": token.get("sub"), "list": [1, 2, 3], "text": "é\\u2028"}
        return session

    options = AuthOptions(
        providers=[
            CredentialsProvider(name="Credentials", credentials={"username": {}, "password": {}}, authorize=authorize),
            OAuthProvider(
                id="idp",
                name="IdP",
                client_id="client",
                client_secret="client-secret",
                authorization="https://idp.example/authorize",
                token="https://idp.example/token",
                userinfo="https://idp.example/userinfo",
                checks=["pkce", "state"],
            ),
        ],
        callbacks={"session": session_callback},
    )
"""
PAGES_ROUTE = """
    from nextauth import NextAuth
    from direct_pages_options import options

    handler = NextAuth(options)
"""
APP_ROUTE = """
    from nextauth import NextAuth
    from direct_app_options import options

    handler = NextAuth(options)
    GET = handler
    POST = handler
"""


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("NEXTAUTH_URL", "http://localhost:3000")
    monkeypatch.setenv("NEXTAUTH_SECRET", SECRET)
    monkeypatch.delenv("AUTH_TRUST_HOST", raising=False)
    monkeypatch.delenv("NEXTAUTH_BODY_SIZE_LIMIT", raising=False)
    yield


def make_app(tmp_path: Path, layout: str) -> ProjectApp:
    if layout == "pages":
        files = {"direct_pages_options.py": OPTIONS, "pages/api/auth/[...nextauth].py": PAGES_ROUTE}
    else:
        files = {"direct_app_options.py": OPTIONS, "app/api/auth/[...nextauth]/route.py": APP_ROUTE}
    app = create_app(build(tmp_path / layout, files), load_env=False)
    assert isinstance(app, ProjectApp)
    return app


def endpoint_of(app: ProjectApp) -> PagesEndpoint | AppEndpoint:
    routes = app._direct_routes()
    assert routes is not None
    [(_, endpoint)] = list(routes.table)
    assert isinstance(endpoint, PagesEndpoint | AppEndpoint)
    return endpoint


def set_direct(endpoint: PagesEndpoint | AppEndpoint, on: bool, saved: Any) -> None:
    if isinstance(endpoint, PagesEndpoint):
        endpoint.direct = saved if on else None
    else:
        endpoint.direct = dict(saved) if on else {}


Request = tuple[str, str, list[tuple[bytes, bytes]], bytes | list[bytes]]


async def session_cookie() -> str:
    return await encode(token={"name": "Alice", "email": "a@example.com", "sub": "1"}, secret=SECRET)


def requests_to_send(csrf_cookie: str, csrf_token: str, jwe: str) -> list[Request]:
    form = "application/x-www-form-urlencoded"
    csrf_pair = f"next-auth.csrf-token={quote(csrf_cookie, safe='')}".encode()
    host = (b"host", b"localhost:3000")
    json_accept = (b"accept", b"application/json")
    session = f"next-auth.session-token={jwe}".encode()
    credentials = {"csrfToken": csrf_token, "username": "alice", "password": "pw", "json": "true"}
    chunked = [host, (b"content-type", form.encode()), (b"transfer-encoding", b"chunked")]

    def post(path: str, body: str, content_type: str = form, *headers: tuple[bytes, bytes]) -> Request:
        return (
            "POST",
            path,
            [host, (b"content-type", content_type.encode()), (b"cookie", csrf_pair), *headers],
            body.encode(),
        )

    return [
        ("GET", "/api/auth/csrf", [host], b""),
        ("GET", "/api/auth/csrf", [host, (b"cookie", csrf_pair)], b""),
        ("GET", "/api/auth/providers", [host], b""),
        ("GET", "/api/auth/session", [host], b""),
        ("GET", "/api/auth/session", [host, (b"cookie", f"next-auth.session-token={jwe}".encode())], b""),
        ("GET", "/api/auth/session", [host, (b"cookie", b"next-auth.session-token=garbage")], b""),
        # Two Cookie headers: the pages layout joins them, the app layout reads the first.
        ("GET", "/api/auth/session", [host, (b"cookie", b"a=1"), (b"cookie", session)], b""),
        ("GET", "/api/auth/session", [host, (b"cookie", b"next-auth.session-token=%E0%A4%A; x=\"q\"")], b""),
        ("GET", "/api/auth/signin", [host], b""),
        ("GET", "/api/auth/signin?callbackUrl=%2Fdashboard&error=OAuthSignin", [host], b""),
        ("GET", "/api/auth/signin?callbackUrl=%2Fa&callbackUrl=%2Fb", [host], b""),
        ("GET", "/api/auth/signin?callbackUrl=javascript%3Aalert(1)", [host], b""),
        ("GET", "/api/auth/signin/idp", [host], b""),
        ("GET", "/api/auth/signout", [host, (b"cookie", csrf_pair)], b""),
        ("GET", "/api/auth/error?error=AccessDenied", [host], b""),
        ("GET", "/api/auth/error?error=%3Cscript%3E", [host, json_accept], b""),
        ("GET", "/api/auth/verify-request", [host], b""),
        ("GET", "/api/auth/callback/idp?code=abc&state=xyz", [host], b""),
        ("GET", "/api/auth/callback/nope", [host], b""),
        ("GET", "/api/auth/nothing-here", [host], b""),
        ("GET", "/api/auth/nothing-here", [host, json_accept], b""),
        ("GET", "/api/auth/csrf?nextauth=session&x=%FF%FE", [host], b""),
        ("HEAD", "/api/auth/csrf", [host], b""),
        ("HEAD", "/api/auth/providers", [host], b""),
        ("DELETE", "/api/auth/session", [host], b""),
        ("GET", "/api/auth/csrf", [host, (b"content-length", b"5")], b"hello"),
        post("/api/auth/signin/idp", f"csrfToken={csrf_token}&callbackUrl=%2Fdashboard"),
        post("/api/auth/signin/idp", f"csrfToken={csrf_token}&json=true"),
        post("/api/auth/signin/idp", "csrfToken=wrong"),
        post("/api/auth/signin/credentials", f"csrfToken={csrf_token}"),
        post("/api/auth/callback/credentials", f"csrfToken={csrf_token}&username=alice&password=pw&json=true"),
        post("/api/auth/callback/credentials", f"csrfToken={csrf_token}&username=alice&password=no"),
        post("/api/auth/callback/credentials", f"csrfToken=x&csrfToken={csrf_token}&username=alice&password=pw"),
        post("/api/auth/callback/credentials", json.dumps(credentials), "application/json"),
        post("/api/auth/signout", f"csrfToken={csrf_token}&json=true"),
        post("/api/auth/signout", f"csrfToken={csrf_token}"),
        post("/api/auth/session", json.dumps({"csrfToken": csrf_token, "data": {"name": "B"}}), "application/json"),
        post("/api/auth/session", '{"csrfToken": NaN}', "application/json"),
        post("/api/auth/session", "[" * 5000, "application/json"),
        post("/api/auth/_log", "level=error&code=X&message=hello%0Aforged"),
        post("/api/auth/_log", "plain words", "text/plain"),
        post("/api/auth/csrf", "", form),
        post("/api/auth/signin/idp", "x" * (2 * 1024 * 1024), form),  # over the 1 MB limit: 413
        ("POST", "/api/auth/signin/idp", chunked, [b"csrfToken=", b"abc", b""]),
    ]  # fmt: skip


async def call(app: ProjectApp, request: Request) -> list[Message]:
    method, target, headers, body = request
    path, _, query = target.partition("?")
    chunks = body if isinstance(body, list) else [body]
    pending = [
        {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
        for index, chunk in enumerate(chunks)
    ]
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": list(headers),
        "server": ("localhost", 3000),
        "client": ("127.0.0.1", 50000),
    }
    sent: list[Message] = []

    async def receive() -> Message:
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


_JWE = re.compile(rb"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
_DATES = re.compile(rb"Expires=[^;]+|\"expires\":\"[^\"]+\"")


def masked(messages: list[Message]) -> list[Any]:
    out: list[Any] = []
    for message in messages:
        if message["type"] == "http.response.start":
            headers = [(name, _DATES.sub(b"<date>", _JWE.sub(b"<jwe>", value))) for name, value in message["headers"]]
            out.append(("start", message["status"], headers))
        else:
            body = _DATES.sub(b"<date>", _JWE.sub(b"<jwe>", message.get("body", b"")))
            out.append(("body", body, message.get("more_body", False)))
    return out


class Repeatable:
    """``os.urandom`` and ``secrets`` from a seeded generator, so both paths make the same tokens."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.rng = random.Random(0)
        monkeypatch.setattr(os, "urandom", lambda n: self.rng.randbytes(n))
        monkeypatch.setattr(secrets, "token_bytes", lambda n=32: self.rng.randbytes(n))
        monkeypatch.setattr(secrets, "token_hex", lambda n=32: self.rng.randbytes(n).hex())
        monkeypatch.setattr(secrets, "token_urlsafe", lambda n=32: self.rng.randbytes(n).hex())
        monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(bytes=self.rng.randbytes(16), version=4))

    def reset(self) -> None:
        self.rng.seed(0)


@pytest.mark.parametrize("layout", ["pages", "app"])
async def test_the_direct_path_sends_what_the_layout_adapter_sends(
    tmp_path: Path, env: None, monkeypatch: pytest.MonkeyPatch, layout: str
) -> None:
    app = make_app(tmp_path, layout)
    endpoint = endpoint_of(app)
    saved = endpoint.direct
    assert saved, "the scaffold's handler = NextAuth(options) is served directly"
    csrf_token = "a" * 64
    from nextauth._lib.csrf import csrf_hash

    csrf_cookie = f"{csrf_token}|{csrf_hash(csrf_token, SECRET)}"
    jwe = await session_cookie()
    repeatable = Repeatable(monkeypatch)
    compared = 0
    for request in requests_to_send(csrf_cookie, csrf_token, jwe):
        answers = []
        for direct in (True, False):
            set_direct(endpoint, direct, saved)
            repeatable.reset()
            answers.append(masked(await call(app, request)))
        assert answers[0] == answers[1], f"{request[0]} {request[1]}"
        assert answers[0], f"{request[0]} {request[1]}: no answer"
        compared += 1
    assert compared >= 40


async def test_a_wrapped_handler_takes_the_adapter_path(tmp_path: Path, env: None) -> None:
    route = """
        from nextauth import NextAuth
        from direct_pages_options import options

        async def handler(req, res):
            await NextAuth(req, res, options)
    """
    app = create_app(
        build(tmp_path, {"direct_pages_options.py": OPTIONS, "pages/api/auth/[...nextauth].py": route}), load_env=False
    )
    assert isinstance(app, ProjectApp)
    endpoint = endpoint_of(app)
    assert isinstance(endpoint, PagesEndpoint) and endpoint.direct is None
    [start, body] = await call(app, ("GET", "/api/auth/csrf", [(b"host", b"localhost:3000")], b""))
    assert start["status"] == 200 and b"csrfToken" in body["body"]


async def test_an_error_in_the_direct_path_is_a_500_that_names_the_route(
    tmp_path: Path, env: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from nextauth.server import _direct

    app = make_app(tmp_path, "pages")

    def broken(*_args: object) -> None:
        raise RuntimeError("serialisation broke")

    monkeypatch.setattr(_direct, "pages_answer", broken)
    [start, body] = await call(app, ("GET", "/api/auth/csrf", [(b"host", b"localhost:3000")], b""))
    assert start["status"] == 500 and body["body"] == b"Internal Server Error"
    assert "GET /api/auth/[...nextauth]" in caplog.text and "serialisation broke" in caplog.text
