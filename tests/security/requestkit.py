"""Projects and raw requests for the request-hardening tests (holes 3, 4, 6, 7 and 11 of issue 11).

* :func:`auth_project` writes a project serving NextAuth in the pages layout (``pages/api/auth/[...nextauth].py``)
  or the app layout (``app/api/auth/[...nextauth]/route.py``) with credentials, GitHub and email providers;
* :func:`mounted_app` is the third way in: ``auth_routes(NextAuth(options))`` inside a FastAPI application;
* :func:`asgi_request` sends one request straight to an ASGI application with exactly the bytes given
  (header names and values, a body in chunks), the way a server hands it over, and counts how much of the
  body the application pulled.
"""

from __future__ import annotations

import os
import sys
import tempfile
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import quote, unquote

import pytest
from starlette.types import ASGIApp, Message, Scope

Surface = Literal["pages", "app", "mount"]
SURFACES: tuple[Surface, ...] = ("pages", "app", "mount")
SECRET = "security-test-secret-0123456789-abcdefghijklmnop"
ORIGIN = "http://localhost:3000"

_TMP = os.path.realpath(tempfile.gettempdir())


@pytest.fixture
def isolated_imports() -> Iterator[None]:
    """Loading a project puts it on sys.path and imports its modules (``auth_options``): undo both, so that
    the next project imports its own."""
    path = list(sys.path)
    modules = set(sys.modules)
    yield
    sys.path[:] = path
    for name in set(sys.modules) - modules:
        where = getattr(sys.modules[name], "__file__", None) or ""
        if name.startswith(("nextauth_route_", "mount_options_")) or where.startswith(_TMP):
            del sys.modules[name]


OPTIONS_MODULE = f"""
from nextauth import AuthOptions, NextAuth
from nextauth.adapters.memory import MemoryAdapter
from nextauth.providers import CredentialsProvider, EmailProvider, GitHubProvider


def authorize(credentials):
    if credentials.get("username") == "alice" and credentials.get("password") == "wonderland":
        return {{"id": "1", "name": credentials.get("name") or "Alice", "email": "alice@example.com"}}
    return None


async def send_verification_request(**kwargs):
    return None


def make_options(**overrides):
    options = dict(
        secret={SECRET!r},
        session={{"strategy": "jwt"}},
        adapter=MemoryAdapter(),
        providers=[
            CredentialsProvider(
                credentials={{"username": {{"label": "Username"}}, "password": {{"label": "Password"}}}},
                authorize=authorize,
            ),
            GitHubProvider(client_id="github-id", client_secret="github-secret"),
            EmailProvider(send_verification_request=send_verification_request),
        ],
    )
    options.update(overrides)
    return AuthOptions(**options)


OPTIONS = make_options()
handler = NextAuth(OPTIONS)
"""

ROUTES = {
    "pages": {"pages/api/auth/[...nextauth].py": "from auth_options import handler\n"},
    "app": {"app/api/auth/[...nextauth]/route.py": "from auth_options import handler\n\nGET = POST = handler\n"},
}


def auth_project(root: Path, layout: Literal["pages", "app"], extra: dict[str, str] | None = None) -> Path:
    """A project serving NextAuth under ``/api/auth`` in ``layout``."""
    files = {"auth_options.py": OPTIONS_MODULE, **ROUTES[layout], **(extra or {})}
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def surface_app(root: Path, surface: Surface) -> ASGIApp:
    """The ASGI application of one way in: a project in either layout (``create_app``) or the mount."""
    from nextauth.server import create_app

    if surface == "mount":
        return mounted_app(root)
    return create_app(auth_project(root / surface, surface), load_env=False)


def mounted_app(root: Path) -> ASGIApp:
    """FastAPI with ``auth_routes(NextAuth(options))``, as docs/fastapi.md shows."""
    import importlib.util

    from fastapi import FastAPI

    from nextauth.server import auth_routes

    path = root / "mount_options.py"
    path.write_text(textwrap.dedent(OPTIONS_MODULE).lstrip("\n"), encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"mount_options_{abs(hash(str(root)))}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    app = FastAPI()
    app.router.routes.extend(auth_routes(module.handler))
    return app


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    body_read: int = 0
    """How many body bytes the application pulled from ``receive``."""
    messages: list[Message] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k == name), None)

    def header_values(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k == name]


def _encode(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("latin-1")


async def asgi_request(
    app: ASGIApp,
    method: str,
    path: str,
    *,
    query: str | bytes = b"",
    headers: Sequence[tuple[str | bytes, str | bytes]] = (),
    body: bytes | Sequence[bytes] = b"",
    host: str | bytes | None = "localhost:3000",
) -> Reply:
    """One request with exactly these bytes. ``path`` may hold percent-escapes (it is the raw path);
    ``body`` may be a list of chunks, handed out one ``receive()`` at a time."""
    raw_headers = [(_encode(k).lower(), _encode(v)) for k, v in headers]
    if host is not None:
        raw_headers.insert(0, (b"host", _encode(host)))
    chunks = [body] if isinstance(body, bytes) else list(body)
    raw_path = _encode(path)
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": unquote(raw_path.decode("latin-1"), errors="surrogateescape"),
        "raw_path": raw_path,
        "root_path": "",
        "query_string": _encode(query),
        "headers": raw_headers,
        "server": ("127.0.0.1", 3000),
        "client": ("127.0.0.1", 50000),
    }
    sent: list[Message] = []
    read = 0
    position = 0

    async def receive() -> Message:
        nonlocal read, position
        if position < len(chunks):
            chunk = chunks[position]
            position += 1
            read += len(chunk)
            return {"type": "http.request", "body": chunk, "more_body": position < len(chunks)}
        if position == len(chunks) and not chunks:
            position += 1
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    content = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    decoded = [(k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in start["headers"]]
    return Reply(start["status"], decoded, content, read, sent)


def form(fields: dict[str, str]) -> bytes:
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in fields.items()).encode()


async def csrf_pair(app: ASGIApp) -> tuple[str, str]:
    """``(token, cookie header)`` from ``GET /api/auth/csrf``: a POST carrying both passes the CSRF check."""
    import json

    reply = await asgi_request(app, "GET", "/api/auth/csrf")
    assert reply.status == 200, reply
    token = json.loads(reply.body)["csrfToken"]
    # "__Host-next-auth.csrf-token" when the site is https (trust-host mode without X-Forwarded-Proto: http).
    cookie = next(v for v in reply.header_values("set-cookie") if "next-auth.csrf-token=" in v.split(";", 1)[0])
    return token, cookie.split(";", 1)[0]
