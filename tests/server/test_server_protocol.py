"""``nextauth dev``/``start`` run uvicorn's HTTP protocol on a transport that holds what a connection writes during
one turn of the event loop and sends it, for every connection that wrote, at the end of the turn: a response's head
and body in one system call, the turn's responses back to back."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, ClassVar

import pytest
import uvicorn
from starlette.types import Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from nextauth.server._protocol import HOLD_LIMIT, CoalescingHTTPProtocol, CoalescingTransport
from nextauth.server._run import HTTP_PROTOCOL


class Recorder:
    """The transport underneath: what reached the socket, write by write."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False
        self.aborted = False
        self.eof = False

    def write(self, data: bytes) -> None:
        assert not self.closed, "written after close"
        self.writes.append(bytes(data))

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.aborted = self.closed = True

    def write_eof(self) -> None:
        self.eof = True

    def get_write_buffer_size(self) -> int:
        return 0

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return ("127.0.0.1", 1) if name == "peername" else default


def wrapped() -> tuple[CoalescingTransport, Recorder]:
    inner = Recorder()
    return CoalescingTransport(inner, asyncio.get_running_loop()), inner  # type: ignore[arg-type]


async def test_a_head_and_its_body_leave_in_one_write_at_the_end_of_the_turn() -> None:
    transport, inner = wrapped()
    transport.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
    transport.write(b"ok")
    assert inner.writes == []
    await asyncio.sleep(0)
    assert inner.writes == [b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"]


async def test_the_connections_of_one_turn_are_flushed_together() -> None:
    pairs = [wrapped() for _ in range(3)]
    for number, (transport, _) in enumerate(pairs):
        transport.write(b"response %d" % number)
    assert all(inner.writes == [] for _, inner in pairs)
    await asyncio.sleep(0)
    assert [inner.writes for _, inner in pairs] == [[b"response 0"], [b"response 1"], [b"response 2"]]


async def test_a_streamed_response_keeps_its_order_and_is_never_held_past_a_turn() -> None:
    transport, inner = wrapped()
    for chunk in (b"head|", b"one|", b"two|"):
        transport.write(chunk)
    await asyncio.sleep(0)
    assert inner.writes == [b"head|one|two|"]
    transport.write(bytearray(b"three|"))
    transport.writelines([b"four|", memoryview(b"five|")])
    await asyncio.sleep(0)
    assert inner.writes == [b"head|one|two|", b"three|four|five|"]


async def test_a_large_body_is_not_held() -> None:
    transport, inner = wrapped()
    transport.write(b"head|")
    transport.write(b"x" * HOLD_LIMIT)  # what is held reaches the limit: sent at once, in order
    assert inner.writes == [b"head|" + b"x" * HOLD_LIMIT]
    transport.write(b"y" * HOLD_LIMIT)  # nothing held: straight through
    assert inner.writes[1:] == [b"y" * HOLD_LIMIT]
    chunks = [b"z" * 1000] * 200  # many small writes in one turn: linear, flushed every 64 KB
    for chunk in chunks:
        transport.write(chunk)
    await asyncio.sleep(0)
    assert b"".join(inner.writes[2:]) == b"".join(chunks)
    assert all(len(w) <= HOLD_LIMIT + 1000 for w in inner.writes[2:]) and len(inner.writes) > 3


async def test_closing_sends_what_is_held_first_and_abort_drops_it() -> None:
    transport, inner = wrapped()
    transport.write(b"last words")
    transport.close()
    assert (inner.writes, inner.closed) == ([b"last words"], True)
    await asyncio.sleep(0)  # the scheduled flush finds nothing (and never writes to a closed transport)
    assert inner.writes == [b"last words"]

    transport, inner = wrapped()
    transport.write(b"held")
    transport.write_eof()
    assert (inner.writes, inner.eof) == ([b"held"], True)

    transport, inner = wrapped()
    transport.write(b"dropped")
    transport.abort()
    await asyncio.sleep(0)
    assert (inner.writes, inner.aborted) == ([], True)


async def test_everything_else_is_the_transports() -> None:
    transport, _ = wrapped()
    assert transport.get_extra_info("peername") == ("127.0.0.1", 1)
    transport.write(b"12345")
    assert transport.get_write_buffer_size() == 5
    assert transport.is_closing() is False


def test_serve_runs_uvicorn_with_it() -> None:
    module, _, name = HTTP_PROTOCOL.partition(":")
    assert module == CoalescingHTTPProtocol.__module__ and name == CoalescingHTTPProtocol.__name__


# -- through a real uvicorn server, both of its HTTP implementations ----------------------------------------


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return
    if scope["path"] == "/slow":  # a streamed body: the head must not wait for it
        await send({"type": "http.response.start", "status": 200, "headers": [(b"transfer-encoding", b"chunked")]})
        await asyncio.sleep(0.3)
        await send({"type": "http.response.body", "body": b"late", "more_body": False})
        return
    body = b'{"csrfToken":"abc"}'
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def counting(base: type) -> type:
    """``base`` on a CoalescingTransport whose writes to the socket are counted."""

    class Counted(base):  # type: ignore[misc,valid-type]
        writes: ClassVar[list[bytes]] = []

        def connection_made(self, transport: Any) -> None:
            real_write = transport.write

            class Spy:
                def __getattr__(self, name: str) -> Any:
                    return getattr(transport, name)

                def write(self, data: bytes) -> None:
                    Counted.writes.append(bytes(data))
                    real_write(data)

            coalescing = CoalescingTransport(Spy(), asyncio.get_running_loop())  # type: ignore[arg-type]
            base.connection_made(self, coalescing)

    return Counted


@asynccontextmanager
async def server(protocol: type) -> AsyncIterator[int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, http=protocol, log_level="error", lifespan="off")
    instance = uvicorn.Server(config)
    task = asyncio.create_task(instance.serve(sockets=[sock]))
    while not instance.started:
        await asyncio.sleep(0.01)
    try:
        yield port
    finally:
        instance.should_exit = True
        await task


async def exchange(port: int, path: str) -> list[tuple[float, bytes]]:
    """Send one request; ``(seconds since sending, bytes)`` for each read until the response is complete."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    loop = asyncio.get_running_loop()
    started = loop.time()
    writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    reads: list[tuple[float, bytes]] = []
    while data := await reader.read(65536):
        reads.append((loop.time() - started, data))
    writer.close()
    return reads


@pytest.mark.parametrize("base", [HttpToolsProtocol, H11Protocol], ids=["httptools", "h11"])
async def test_through_uvicorn_a_response_is_one_write_and_a_stream_is_not_held(base: type) -> None:
    protocol = counting(base)
    async with server(protocol) as port:
        reads = await exchange(port, "/csrf")
        response = b"".join(data for _, data in reads)
        assert response.startswith(b"HTTP/1.1 200 OK") and response.endswith(b'{"csrfToken":"abc"}')
        assert len([w for w in protocol.writes if w]) == 1, protocol.writes  # head and body together

        protocol.writes.clear()
        reads = await exchange(port, "/slow")
    first_at, first = reads[0]
    assert first.startswith(b"HTTP/1.1 200 OK") and b"late" not in first
    assert first_at < 0.25  # the head left at once, not with the body 0.3 s later
    assert b"".join(data for _, data in reads).endswith(b"4\r\nlate\r\n0\r\n\r\n")
