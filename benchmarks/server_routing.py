"""Throughput of nextauth.server's routing, in-process (no sockets).

    .venv/bin/python benchmarks/server_routing.py              # ~1 s per figure
    .venv/bin/python benchmarks/server_routing.py --seconds 3

1. Requests/second through the whole ASGI app (``create_app``) with httpx's ``ASGITransport``: a
   static, a dynamic and a catch-all app-style route (async ``GET``), and the same three as pages-style
   routes (async ``handler``), plus a 404. The figure includes httpx's client overhead, which dominates.
2. The same requests driven straight through the ASGI callable (no httpx), closer to what a server sees.
3. Microseconds per ``RouteTable.match`` in a tree of about 200 routes (static, dynamic, catch-all).

One event loop, one request at a time: these are per-core figures.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import platform
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "runtime"))

import httpx
from starlette.types import ASGIApp, Message

from nextauth.server import create_app
from nextauth.server._routes import RouteFile, RouteTable, parse_segment

APP_ROUTE = "from starlette.responses import Response\n\nasync def GET(request, context):\n    return Response(b'ok')\n"
PAGES_ROUTE = "async def handler(req, res):\n    res.send('ok')\n"

URLS = {
    "static": "/api/static/hello",
    "dynamic": "/api/items/12345",
    "catch-all": "/api/docs/a/b/c",
}


def write_project(root: Path) -> None:
    files = {
        "app/api/static/hello/route.py": APP_ROUTE,
        "app/api/items/[id]/route.py": APP_ROUTE,
        "app/api/docs/[...slug]/route.py": APP_ROUTE,
        "pages/api/p/static/hello.py": PAGES_ROUTE,
        "pages/api/p/items/[id].py": PAGES_ROUTE,
        "pages/api/p/docs/[...slug].py": PAGES_ROUTE,
    }
    for section in range(30):  # padding so the tree is not trivially small
        files[f"app/api/s{section}/list/route.py"] = APP_ROUTE
        files[f"app/api/s{section}/[key]/route.py"] = APP_ROUTE
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


async def measure(fn: Callable[[], Awaitable[Any]], seconds: float) -> float:
    for _ in range(50):
        await fn()
    count, start = 0, time.perf_counter()
    while True:
        for _ in range(50):
            await fn()
        count += 50
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return count / elapsed


def direct(app: ASGIApp, path: str) -> Callable[[], Awaitable[None]]:
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
        "headers": [(b"host", b"bench"), (b"accept", b"*/*")],
        "server": ("bench", 80),
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
        if status not in (200, 404):
            raise RuntimeError(f"{path}: {status}")

    return run


def match_tree() -> tuple[RouteTable[str], list[list[str]]]:
    table: RouteTable[str] = RouteTable()
    patterns: list[str] = []
    for a in range(10):
        for b in range(6):
            patterns.append(f"/api/r{a}/s{b}")
            patterns.append(f"/api/r{a}/s{b}/[id]")
            patterns.append(f"/api/r{a}/s{b}/[id]/edit")
        patterns.append(f"/api/r{a}/[...rest]")
        patterns.append(f"/api/r{a}/[section]/[[...more]]")
    for pattern in patterns:
        parts = [p for p in pattern.split("/") if p]
        table.add(RouteFile("app", Path(pattern), pattern, tuple(parse_segment(p, pattern) for p in parts)), pattern)
    probes = [
        ["api", "r3", "s4"],
        ["api", "r9", "s5", "42"],
        ["api", "r0", "s0", "42", "edit"],
        ["api", "r5", "x", "y", "z"],
        ["api", "r5", "s1", "42", "view"],
        ["nope", "nothing"],
    ]
    return table, probes


async def main(seconds: float) -> None:
    logging.disable(logging.CRITICAL)
    print(f"# nextauth.server routing — Python {platform.python_version()}, {platform.machine()}, {seconds:g} s each")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_project(root)
        app = create_app(root, load_env=False)
        rows: list[tuple[str, str, float, float]] = []
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as http:
            for style, prefix in (("app", "/api"), ("pages", "/api/p")):
                for kind, url in URLS.items():
                    path = url.replace("/api", prefix, 1)

                    async def one(path: str = path) -> None:
                        response = await http.get(path)
                        if response.status_code != 200:
                            raise RuntimeError(f"{path}: {response.status_code}")

                    via_httpx = await measure(one, seconds)
                    via_asgi = await measure(direct(app, path), seconds)
                    rows.append((style, kind, via_httpx, via_asgi))
            rows.append(("-", "404", 0.0, await measure(direct(app, "/api/nothing/here"), seconds)))
    print(f"{'style':<6} {'route':<10} {'req/s (httpx)':>14} {'req/s (ASGI)':>13}")
    for style, kind, via_httpx, via_asgi in rows:
        shown = f"{via_httpx:14,.0f}" if via_httpx else f"{'-':>14}"
        print(f"{style:<6} {kind:<10} {shown} {via_asgi:13,.0f}")

    table, probes = match_tree()
    total = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for probe in probes:
            table.match(probe)
        total += len(probes)
    per_match = (time.perf_counter() - start) / total * 1e6
    print(f"\nRouteTable.match over {len(table)} routes: {per_match:.2f} µs per match (mixed hits and misses)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0)
    asyncio.run(main(parser.parse_args().seconds))
