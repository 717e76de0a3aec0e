"""What a project's ``middleware.py`` costs the requests it does not protect, in-process (no sockets).

    .venv/bin/python benchmarks/middleware_cost.py              # ~1 s per figure
    .venv/bin/python benchmarks/middleware_cost.py --seconds 3

Two copies of one project (an app-style ``/public`` route, ``/dashboard``, and NextAuth at ``/api/auth``),
the second with the kit's ``middleware.py`` (``with_auth`` and its four matcher entries, so ``/api/auth/*``
is selected and then skipped by ``with_auth``, and ``/public`` is not selected at all). Each request is
driven straight through the ASGI callable, alternating between the two apps in short rounds so both see
the same machine load. Printed: requests/second without and with the middleware, and the median
per-round ratio of their times (with / without: 1.00 means no cost). The protected ``/dashboard`` (a
redirect) is shown for scale.
The matcher is compiled once, when the app is built; per request it is one regex per entry at most.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "runtime"))

from starlette.types import ASGIApp, Message

from nextauth.server import create_app

ROUTE = (
    "from starlette.responses import PlainTextResponse\n\nasync def GET(request):\n    return PlainTextResponse('ok')\n"
)
AUTH_ROUTE = """
from nextauth import AuthOptions, NextAuth
from nextauth.providers.credentials import CredentialsProvider

handler = NextAuth(AuthOptions(providers=[CredentialsProvider(authorize=lambda credentials, request: None)]))
"""
MIDDLEWARE = """
from nextauth.middleware import with_auth as middleware

config = {
    "matcher": [
        "/dashboard/:path*",
        "/api/:path*",
        "/favicon.ico",
        "/((?!api|_next/static|favicon.ico|dashboard|public).*)",
    ]
}
"""
PATHS = {
    "not selected (/public)": ("/public", 200),
    "auth route (/api/auth/providers)": ("/api/auth/providers", 200),
    "auth route (/api/auth/session)": ("/api/auth/session", 200),
    "protected (/dashboard, 307)": ("/dashboard", 307),
}


def write_project(root: Path, with_middleware: bool) -> None:
    files = {
        "app/public/route.py": ROUTE,
        "app/dashboard/route.py": ROUTE,
        "pages/api/auth/[...nextauth].py": AUTH_ROUTE,
    }
    if with_middleware:
        files["middleware.py"] = MIDDLEWARE
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def direct(app: ASGIApp, path: str, expected: int) -> Callable[[], Awaitable[None]]:
    """One GET through the ASGI callable, checking the status."""
    scope_base = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1:3000"), (b"accept", b"*/*")],
        "server": ("127.0.0.1", 3000),
        "client": ("127.0.0.1", 1),
    }

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def run() -> None:
        status = 0

        async def send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await app(dict(scope_base), receive, send)
        if status != expected:
            raise RuntimeError(f"{path}: {status}, expected {expected}")

    return run


Request = Callable[[], Awaitable[None]]


async def paired(a: Request, b: Request, seconds: float) -> tuple[float, float, float]:
    """Requests/second of ``a`` and ``b``, and the median of their per-round ratio (a over b).

    Rounds of 200 requests alternate, in both orders, so that a burst of load from elsewhere on the
    machine hits both sides alike; the median ratio is the figure to read.
    """
    for _ in range(100):
        await a()
        await b()
    spent = [0.0, 0.0]
    ratios: list[float] = []
    count = 0
    while spent[0] + spent[1] < 2 * seconds:
        order = (0, 1) if len(ratios) % 2 == 0 else (1, 0)
        took = [0.0, 0.0]
        for i in order:
            fn = (a, b)[i]
            begin = time.perf_counter()
            for _ in range(200):
                await fn()
            took[i] = time.perf_counter() - begin
        spent[0] += took[0]
        spent[1] += took[1]
        ratios.append(took[1] / took[0])  # time with / time without = rate without / rate with
        count += 200
    return count / spent[0], count / spent[1], statistics.median(ratios)


async def main(seconds: float) -> None:
    logging.disable(logging.CRITICAL)
    os.environ.setdefault("NEXTAUTH_URL", "http://127.0.0.1:3000")
    os.environ.setdefault("NEXTAUTH_SECRET", "benchmark-secret-not-for-production-0123456789")
    print(f"# middleware.py cost — Python {platform.python_version()}, {platform.machine()}, {seconds:g} s each")
    with tempfile.TemporaryDirectory() as tmp:
        plain_dir, guarded_dir = Path(tmp, "plain"), Path(tmp, "guarded")
        write_project(plain_dir, with_middleware=False)
        write_project(guarded_dir, with_middleware=True)
        plain = create_app(plain_dir, load_env=False)
        guarded = create_app(guarded_dir, load_env=False)
        print(f"{'request':<34} {'without req/s':>13} {'with req/s':>11} {'ratio':>6} {'µs added':>9}")
        for label, (path, status) in PATHS.items():
            without_status = 200 if path == "/dashboard" else status
            without, with_mw, ratio = await paired(
                direct(plain, path, without_status), direct(guarded, path, status), seconds
            )
            added = (ratio - 1) / without * 1e6  # the median ratio applied to the time without
            print(f"{label:<34} {without:13,.0f} {with_mw:11,.0f} {ratio:6.2f} {added:9.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0)
    asyncio.run(main(parser.parse_args().seconds))
