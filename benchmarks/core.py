"""Throughput of the runtime core, in-process (no sockets): requests/second through the NextAuth handler,
and microseconds per JWE encode/decode.

    .venv/bin/python benchmarks/core.py              # ~2 s per figure
    .venv/bin/python benchmarks/core.py --seconds 5

Each request scenario runs in both layouts: *pages* calls ``handler(ApiRequest, ApiResponse)`` directly;
*app* builds a Starlette ``Request`` from an ASGI scope and calls ``handler(request, context)``, so the
figure includes Starlette's request parsing and response building but no HTTP server. One event loop,
one coroutine at a time: these are per-core figures.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "runtime"))

from starlette.requests import Request

import nextauth
from nextauth import ApiRequest, ApiResponse, AuthOptions, NextAuth
from nextauth.jwt import decode, encode
from nextauth.providers import CredentialsProvider

SECRET = "benchmark-secret-0123456789abcdefghijklmnopqrstuvwxyz"


def authorize(credentials: dict[str, Any]) -> dict[str, Any] | None:
    if credentials.get("username") == "alice" and credentials.get("password") == "wonderland":
        return {"id": "1", "name": "Alice", "email": "alice@example.com"}
    return None


async def measure(fn: Callable[[], Awaitable[Any]], seconds: float) -> tuple[float, int]:
    """Calls per second of ``fn`` over about ``seconds`` (after a short warm-up)."""
    for _ in range(50):
        await fn()
    count = 0
    batch = 100
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(batch):
            await fn()
        count += batch
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start), count


class Scenario:
    """One request, sendable in either layout, with the cookies of a signed-in browser."""

    def __init__(
        self,
        handler: Any,
        method: str,
        segments: list[str],
        cookies: dict[str, str],
        form: dict[str, str] | None = None,
    ) -> None:
        self.handler = handler
        self.method = method
        self.segments = segments
        self.cookies = cookies
        self.form = form
        self.body = urlencode(form).encode() if form else b""
        cookie_header = "; ".join(f"{k}={v}" for k, v in cookies.items())
        headers = [(b"host", b"localhost:3000"), (b"cookie", cookie_header.encode())]
        if form:
            headers.append((b"content-type", b"application/x-www-form-urlencoded"))
            headers.append((b"content-length", str(len(self.body)).encode()))
        self.scope = {
            "type": "http",
            "method": method,
            "path": "/api/auth/" + "/".join(segments),
            "raw_path": ("/api/auth/" + "/".join(segments)).encode(),
            "query_string": b"",
            "headers": headers,
            "scheme": "http",
            "server": ("localhost", 3000),
        }

    async def pages(self) -> None:
        req = ApiRequest(
            method=self.method,
            query={"nextauth": self.segments},
            cookies=self.cookies,
            headers={"host": "localhost:3000"},
            body=dict(self.form) if self.form else None,
        )
        res = ApiResponse()
        await self.handler(req, res)
        assert res.status_code in (200, 302), res.status_code

    async def app(self) -> None:
        body = self.body

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        request = Request(self.scope, receive)
        response = await self.handler(request, {"params": {"nextauth": self.segments}})
        assert response.status_code in (200, 302), response.status_code


async def signed_in(handler: Any) -> tuple[dict[str, str], str]:
    """Cookies (decoded values) of a browser signed in with credentials, and its CSRF token."""
    res = ApiResponse()
    await handler(ApiRequest(method="GET", query={"nextauth": ["csrf"]}, headers={"host": "localhost:3000"}), res)
    import json

    from nextauth._lib.cookies import parse_cookie_header

    token = json.loads(res.body)["csrfToken"]
    jar: dict[str, str] = {}
    for line in res.header_items:
        if line[0].lower() == "set-cookie":
            jar.update(parse_cookie_header(line[1].split(";")[0]))
    res = ApiResponse()
    form = {"username": "alice", "password": "wonderland", "csrfToken": token, "json": "true"}
    await handler(
        ApiRequest(
            method="POST",
            query={"nextauth": ["callback", "credentials"]},
            cookies=dict(jar),
            body=form,
            headers={"host": "localhost:3000"},
        ),
        res,
    )
    for line in res.header_items:
        if line[0].lower() == "set-cookie":
            jar.update(parse_cookie_header(line[1].split(";")[0]))
    assert "next-auth.session-token" in jar, res.body
    return jar, token


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="duration of each measurement (default 2)")
    args = parser.parse_args()
    logging.getLogger("nextauth").setLevel(logging.ERROR)
    os.environ.setdefault("NEXTAUTH_URL", "http://localhost:3000")

    handler = NextAuth(AuthOptions(secret=SECRET, providers=[CredentialsProvider(authorize=authorize)]))
    jar, csrf = await signed_in(handler)
    from nextauth._lib.cookies import encode_uri_component

    raw_jar = {k: encode_uri_component(v) for k, v in jar.items()}
    without_session = {k: v for k, v in jar.items() if k != "next-auth.session-token"}
    raw_without_session = {k: v for k, v in raw_jar.items() if k != "next-auth.session-token"}

    print(f"nextauth {nextauth.__version__}, Python {platform.python_version()}, {platform.machine()}, one event loop")
    print(f"{'scenario':<44} {'pages req/s':>12} {'app req/s':>12}")
    scenarios = [
        ("GET /session (valid JWT, rolling re-issue)", "GET", ["session"], jar, raw_jar, None),
        ("GET /csrf (valid cookie, token reused)", "GET", ["csrf"], without_session, raw_without_session, None),
        (
            "POST /callback/credentials (sign-in)",
            "POST",
            ["callback", "credentials"],
            without_session,
            raw_without_session,
            {"username": "alice", "password": "wonderland", "csrfToken": csrf, "json": "true"},
        ),
    ]
    for title, method, segments, pages_cookies, app_cookies, form in scenarios:
        pages = Scenario(handler, method, segments, pages_cookies, form)
        app = Scenario(handler, method, segments, app_cookies, form)
        pages_rate, _ = await measure(pages.pages, args.seconds)
        app_rate, _ = await measure(app.app, args.seconds)
        print(f"{title:<44} {pages_rate:>12,.0f} {app_rate:>12,.0f}")

    claims = {"name": "Alice", "email": "alice@example.com", "picture": None, "sub": "1"}
    token = await encode(token=claims, secret=SECRET)
    encode_rate, _ = await measure(lambda: encode(token=claims, secret=SECRET), args.seconds)
    decode_rate, _ = await measure(lambda: decode(token=token, secret=SECRET), args.seconds)
    rotated = await encode(token=claims, secret="old-secret")
    rotated_rate, _ = await measure(lambda: decode(token=rotated, secret=[SECRET, "old-secret"]), args.seconds)
    print(f"{'JWE encode (default claims)':<44} {1e6 / encode_rate:>10.1f} µs")
    print(f"{'JWE decode (default claims)':<44} {1e6 / decode_rate:>10.1f} µs")
    print(f"{'JWE decode, 2nd of 2 secrets (rotation)':<44} {1e6 / rotated_rate:>10.1f} µs")


if __name__ == "__main__":
    asyncio.run(main())
