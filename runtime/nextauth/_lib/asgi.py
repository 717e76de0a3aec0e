"""Plumbing shared by the endpoint kinds: calling user code, answering errors, HEAD without a body."""

from __future__ import annotations

import inspect
import logging
import traceback
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "MAX_HEADER_BYTES",
    "MAX_HEADER_COUNT",
    "Answer",
    "Endpoint",
    "HeaderLimit",
    "UserCallable",
    "answer_of",
    "guarded",
    "head_safe",
    "headers_over_limit",
    "send_answer",
    "send_bytes",
    "send_header_limit",
    "send_server_error",
    "send_text",
    "text_answer",
]

log = logging.getLogger("nextauth.server")

Params = dict[str, str | list[str]]

MAX_HEADER_COUNT = 256
"""Request headers beyond this many are answered 431. Browsers send about 20, proxies add a few."""
MAX_HEADER_BYTES = 64 * 1024
"""Total request header size (names, values, 4 bytes of separators per line) answered 431 beyond. It leaves room
for the largest session cookie the runtime sets (10 chunks of 4 KB, see ``nextauth._lib.cookies``); Node.js's
default is 16 KB."""


class Endpoint(Protocol):
    """What a route table points at: one routed file, ready to answer."""

    style: str

    async def __call__(self, scope: Scope, receive: Receive, send: Send, params: Params) -> None: ...


@dataclass(frozen=True, slots=True)
class UserCallable:
    """A function from the project, with what was learnt about it once at startup.

    Sync functions run in the thread pool (as Starlette runs sync endpoints) so a blocking call in user
    code never stalls the event loop; a sync function that returns an awaitable (``lambda r, c:
    handler(r, c)``) has it awaited. ``arity`` is how many of the positional arguments to pass, so
    ``def GET(request)`` works as well as ``def GET(request, context)``.
    """

    fn: Callable[..., Any]
    is_async: bool
    arity: int

    @classmethod
    def of(cls, fn: Callable[..., Any], wanted: int) -> UserCallable:
        call = getattr(fn, "__call__", None)  # noqa: B004 - an object with an async __call__ is async
        is_async = inspect.iscoroutinefunction(fn) or (
            not inspect.isroutine(fn) and call is not None and inspect.iscoroutinefunction(call)
        )
        return cls(fn, is_async, _arity(fn, wanted))

    async def __call__(self, *args: Any) -> Any:
        args = args[: self.arity]
        result = await self.fn(*args) if self.is_async else await run_in_threadpool(self.fn, *args)
        if inspect.isawaitable(result):
            result = await result
        return result


def _arity(fn: Callable[..., Any], wanted: int) -> int:
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return wanted
    count = 0
    for parameter in signature.parameters.values():
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            return wanted
        if parameter.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD):
            count += 1
    return min(count, wanted)


def header_list(headers: Iterable[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    return [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]


Answer = tuple[int, list[tuple[bytes, bytes]], bytes]
"""A whole response as ASGI sends it: status, header lines, body."""


def answer_of(status: int, body: bytes = b"", headers: Iterable[tuple[str, str]] = ()) -> Answer:
    """The response :func:`send_bytes` sends: the headers lower-cased and a ``Content-Length``, no body where the
    status has none."""
    raw = header_list(headers)
    if status >= 200 and status not in (204, 304):
        raw.append((b"content-length", str(len(body)).encode()))
    else:
        body = b""
    return status, raw, body


def text_answer(status: int, text: str, headers: Iterable[tuple[str, str]] = ()) -> Answer:
    """A short plain-text answer of the server's own (errors, not route output)."""
    return answer_of(status, text.encode(), [("content-type", "text/plain; charset=utf-8"), *headers])


async def send_answer(send: Send, answer: Answer) -> None:
    status, raw, body = answer
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


async def send_bytes(
    send: Send,
    status: int,
    body: bytes = b"",
    headers: Iterable[tuple[str, str]] = (),
) -> None:
    await send_answer(send, answer_of(status, body, headers))


async def send_text(send: Send, status: int, text: str, headers: Iterable[tuple[str, str]] = ()) -> None:
    """A short plain-text answer of the server's own (errors, not route output)."""
    await send_answer(send, text_answer(status, text, headers))


def head_safe(scope: Scope, send: Send) -> Send:
    """For HEAD, a ``send`` that keeps the status and headers (``Content-Length`` included) but no body."""
    if scope.get("method") != "HEAD":
        return send

    async def send_head(message: Message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b""}
        await send(message)

    return send_head


async def guarded(
    scope: Scope,
    send: Send,
    call: Callable[[Send], Awaitable[None]],
    where: str,
    *,
    debug: bool,
) -> None:
    """Run ``call``; an exception before the response started becomes a 500 with a generic body.

    The traceback goes to the ``nextauth.server`` log only; ``debug=True`` (development) also sends it to
    the client. Starlette's ``HTTPException`` passes through to the application's exception handlers.
    """
    started = False

    async def tracking_send(message: Message) -> None:
        nonlocal started
        if message["type"] == "http.response.start":
            started = True
        await send(message)

    try:
        await call(tracking_send)
    except HTTPException:
        raise
    except Exception as exc:
        if started:
            raise
        await send_server_error(scope, send, exc, where, debug=debug)


async def send_server_error(scope: Scope, send: Send, exc: BaseException, where: str, *, debug: bool) -> None:
    """The 500 for an exception raised before the response started: logged with its traceback, which the client
    sees only with ``debug=True``."""
    log.exception("Error in %s", where, exc_info=exc)
    body = "Internal Server Error"
    if debug:
        body += f"\n\n{where}\n\n" + "".join(traceback.format_exception(exc))
    await send_text(head_safe(scope, send), 500, body)


def headers_over_limit(scope: Scope) -> bool:
    """Whether the request has more than :data:`MAX_HEADER_COUNT` headers or more than :data:`MAX_HEADER_BYTES`
    of them. Linear, and stops early: it runs before anything else looks at the headers."""
    headers = scope.get("headers") or []
    if len(headers) > MAX_HEADER_COUNT:
        return True
    total = 0
    for name, value in headers:
        total += len(name) + len(value) + 4
        if total > MAX_HEADER_BYTES:
            return True
    return False


async def send_header_limit(send: Send) -> None:
    """431, and ``Connection: close``: the server stops reading from a client that sends such requests."""
    await send_text(send, 431, "Request Header Fields Too Large", [("connection", "close")])


class HeaderLimit:
    """ASGI middleware answering 431 to a request with too many or too large headers, before the
    application sees it (``create_app`` installs it outermost)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and headers_over_limit(scope):
            await send_header_limit(send)
            return
        await self.app(scope, receive, send)
