"""Helpers for the server tests: project trees in ``tmp_path`` and an in-process HTTP client."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import httpx
from starlette.types import ASGIApp, Message, Scope


def build(root: Path, files: dict[str, str]) -> Path:
    """Write ``{relative path: source}`` under ``root`` (sources are dedented); return ``root``."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def client(app: ASGIApp) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def raw_request(app: ASGIApp, method: str, raw_path: bytes, *, query: bytes = b"") -> tuple[int, list[Any]]:
    """Send a request with an exact ``raw_path`` (clients normalise some paths); ``(status, headers)``."""
    from urllib.parse import unquote

    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": unquote(raw_path.decode("latin-1")),
        "raw_path": raw_path,
        "root_path": "",
        "query_string": query,
        "headers": [(b"host", b"testserver")],
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 1234),
    }
    sent: list[Message] = []
    received = False

    async def receive() -> Message:
        nonlocal received
        if not received:
            received = True
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], [(k.decode(), v.decode()) for k, v in start["headers"]]


# A pages-style route that echoes what it received, for the request-building tests.
ECHO_PAGES = """
    def handler(req, res):
        res.json({
            "method": req.method, "url": req.url, "query": req.query, "body": req.body,
            "cookies": req.cookies, "headers": req.headers,
        })
"""

ECHO_APP = """
    from starlette.responses import JSONResponse

    def GET(request, context):
        return JSONResponse({"params": context.params, "path_params": request.path_params})
"""
