"""The HTTP protocol ``nextauth dev`` and ``start`` run uvicorn with: uvicorn's own (httptools when installed,
else h11), with what a connection writes during one turn of the event loop sent together at the end of the turn.

uvicorn writes the status line and headers when the application sends ``http.response.start`` and the body
when it sends ``http.response.body``: two system calls and two TCP segments per response. Worse for a busy server,
the writes of the requests handled in one turn of the loop are spread over the turn, each one after another
request's work, so that a client waiting on several connections is woken for nearly every one of them (on the
2-core development machine that wake-up cost more than a third of a small auth request's CPU time). Here each
connection's writes are held until the end of the turn, then every connection that wrote sends what it holds, back
to back: one write per response, and one wake-up of the client for many responses.

Nothing is reordered and no response waits longer than the rest of the current turn (a streamed response's head
leaves before the application awaits its next chunk). A connection holding 64 KB or more sends it at once, so a
large body meets the socket's flow control as it is written; closing a connection sends what it holds first.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

from uvicorn.protocols.http.auto import AutoHTTPProtocol

__all__ = ["CoalescingHTTPProtocol", "CoalescingTransport"]

HOLD_LIMIT = 64 * 1024
"""A connection holding this much sends it at once."""


class CoalescingTransport:
    """A transport whose writes leave at the end of the event loop's turn (see the module's docstring). Everything
    but writing and closing is the wrapped transport's."""

    __slots__ = ("_flusher", "_held", "_size", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._flusher = _flusher(loop)
        self._held: list[bytes] = []
        self._size = 0

    def write(self, data: bytes | bytearray | memoryview) -> None:
        held = self._held
        if not held:
            if len(data) >= HOLD_LIMIT:
                self._transport.write(data)
                return
            self._flusher.add(self)
        held.append(bytes(data))
        self._size += len(data)
        if self._size >= HOLD_LIMIT:
            self.flush()

    def writelines(self, list_of_data: Any) -> None:
        self.write(b"".join(list_of_data))

    def flush(self) -> None:
        """Send what is held now."""
        held = self._held
        if held:
            self._held = []
            self._size = 0
            if not self._transport.is_closing():
                self._transport.write(held[0] if len(held) == 1 else b"".join(held))

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        self._held = []
        self._size = 0
        self._transport.abort()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + self._size

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class _Flusher:
    """Flushes, at the end of the loop's turn, every transport that held a write during it: one callback per turn
    for all connections."""

    __slots__ = ("loop", "pending")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.pending: list[CoalescingTransport] = []

    def add(self, transport: CoalescingTransport) -> None:
        if not self.pending:
            self.loop.call_soon(self.run)
        self.pending.append(transport)

    def run(self) -> None:
        pending, self.pending = self.pending, []
        for transport in pending:
            transport.flush()


_FLUSHERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Flusher] = weakref.WeakKeyDictionary()


def _flusher(loop: asyncio.AbstractEventLoop) -> _Flusher:
    found = _FLUSHERS.get(loop)
    if found is None:
        found = _FLUSHERS[loop] = _Flusher(loop)
    return found


class CoalescingHTTPProtocol(AutoHTTPProtocol):  # type: ignore[misc,valid-type]
    """uvicorn's HTTP protocol on a :class:`CoalescingTransport`."""

    def connection_made(self, transport: Any) -> None:
        super().connection_made(CoalescingTransport(transport, asyncio.get_running_loop()))
