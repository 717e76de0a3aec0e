"""A middleware that reads the body reads at most the runtime's one body limit (``NEXTAUTH_BODY_SIZE_LIMIT``).

The body a middleware reads is kept in memory for the route, so ``NextAuthMiddleware`` bounds it: past the limit
(declared by ``Content-Length`` or streamed without one) the answer is 413 with ``Connection: close``, the route
never runs, and no chunk past the one that crossed the limit is pulled from the client.
"""

from __future__ import annotations

from typing import Any

import pytest
from security_figures import record
from starlette.types import Message, Receive, Scope, Send

from nextauth.middleware import MiddlewareRequest, NextAuthMiddleware

LIMIT = 1024
CHUNK = 256


class Route:
    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.bodies.append(body)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


async def reads_body(request: MiddlewareRequest) -> None:
    await request.body()


class Client:
    """Sends ``chunks`` one ``receive`` at a time and counts how many the app pulled."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.pulled = 0
        self.sent: list[Message] = []

    async def receive(self) -> Message:
        if self.pulled >= len(self.chunks):
            return {"type": "http.disconnect"}
        self.pulled += 1
        return {
            "type": "http.request",
            "body": self.chunks[self.pulled - 1],
            "more_body": self.pulled < len(self.chunks),
        }

    async def send(self, message: Message) -> None:
        self.sent.append(message)

    @property
    def status(self) -> int:
        return int(next(m["status"] for m in self.sent if m["type"] == "http.response.start"))

    @property
    def headers(self) -> dict[bytes, bytes]:
        start = next(m for m in self.sent if m["type"] == "http.response.start")
        return {k.lower(): v for k, v in start["headers"]}


def scope_for(content_length: int | None) -> Scope:
    headers = [(b"host", b"testserver")]
    if content_length is not None:
        headers.append((b"content-length", str(content_length).encode()))
    scope: dict[str, Any] = {
        "type": "http",
        "method": "POST",
        "path": "/admin",
        "raw_path": b"/admin",
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "scheme": "http",
        "server": ("testserver", 80),
    }
    return scope


@pytest.fixture(autouse=True)
def small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEXTAUTH_BODY_SIZE_LIMIT", f"{LIMIT}b")


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "streamed"])
async def test_a_body_past_the_limit_is_413_and_never_read_on(declared: bool) -> None:
    route = Route()
    app = NextAuthMiddleware(route, middleware=reads_body, matcher="/admin")
    chunks = [b"x" * CHUNK] * 400  # 100 KiB offered
    client = Client(chunks)
    await app(scope_for(CHUNK * len(chunks) if declared else None), client.receive, client.send)
    assert client.status == 413
    assert client.headers[b"connection"] == b"close"
    assert route.bodies == []
    assert client.pulled == (0 if declared else LIMIT // CHUNK + 1)
    how = "declared" if declared else "streamed"
    record(
        f"middleware body: over the limit ({how})",
        tried=1,
        accepted=0 if client.status == 413 else 1,
        what=f"413 after reading {client.pulled * CHUNK} of {CHUNK * len(chunks)} bytes",
    )


async def test_a_body_within_the_limit_reaches_the_route_whole() -> None:
    route = Route()
    app = NextAuthMiddleware(route, middleware=reads_body, matcher="/admin")
    chunks = [b"a" * CHUNK, b"b" * CHUNK, b"c" * CHUNK, b"d" * CHUNK]  # exactly the limit
    client = Client(chunks)
    await app(scope_for(LIMIT), client.receive, client.send)
    assert client.status == 200
    assert route.bodies == [b"".join(chunks)]
