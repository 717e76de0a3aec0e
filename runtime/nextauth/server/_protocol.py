"""The HTTP protocol ``nextauth dev`` and ``start`` run uvicorn with: uvicorn's own (httptools when installed,
else h11), with each response's head and body written to the socket together.

uvicorn writes the status line and headers when the application sends ``http.response.start`` and the body
when it sends ``http.response.body``: two system calls and two TCP segments per response, and on a busy host two
wake-ups of the reading side. Here the transport holds a write until the next write or the event loop's next
turn, whichever comes first, and sends what it holds with the next one. A small response (the whole of an auth
route's answers) leaves in one write; a streamed response is delayed by at most one turn of the loop; nothing is
reordered, and closing the connection sends what is held first.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.auto import AutoHTTPProtocol

__all__ = ["CoalescingHTTPProtocol", "CoalescingTransport"]


class CoalescingTransport:
    """A transport that sends a write together with the one after it (see the module's docstring). Everything
    but writing and closing is the wrapped transport's."""

    __slots__ = ("_held", "_loop", "_scheduled", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None
        self._scheduled = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        held = self._held
        if held is None:
            self._held = bytes(data)
            if not self._scheduled:
                self._scheduled = True
                self._loop.call_soon(self._flush_soon)
        else:
            self._held = None
            self._transport.write(held + data)

    def writelines(self, list_of_data: Any) -> None:
        self.write(b"".join(list_of_data))

    def flush(self) -> None:
        """Send what is held now."""
        held = self._held
        if held is not None:
            self._held = None
            if not self._transport.is_closing():
                self._transport.write(held)

    def _flush_soon(self) -> None:
        self._scheduled = False
        self.flush()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        self._held = None
        self._transport.abort()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + len(self._held or b"")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class CoalescingHTTPProtocol(AutoHTTPProtocol):  # type: ignore[misc,valid-type]
    """uvicorn's HTTP protocol on a :class:`CoalescingTransport`."""

    def connection_made(self, transport: Any) -> None:
        super().connection_made(CoalescingTransport(transport, asyncio.get_running_loop()))
