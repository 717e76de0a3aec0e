"""Running a middleware for the paths a matcher selects: the project server and :class:`NextAuthMiddleware`."""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote, unquote

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nextauth._lib.asgi import UserCallable, head_safe, send_bytes, send_text
from nextauth._lib.body import BodyLimit, BodyTooLargeError, declared_too_large, default_body_limit
from nextauth._lib.matcher import Matcher, compile_matcher
from nextauth.middleware._request import MiddlewareRequest, raw_path_of, resolve_dot_segments
from nextauth.middleware._results import MiddlewareResult, Next, Redirect, Rewrite
from nextauth.middleware._with_auth import WithAuthOptions, skips, with_auth

server_log = logging.getLogger("nextauth.server")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


class _Replay:
    """``receive`` for the middleware that records the body, and one for the route that replays it.

    The recorded body is held in memory until the route runs, so it is bounded by the runtime's one body limit
    (``NEXTAUTH_BODY_SIZE_LIMIT``, 1 MB by default): a declared or received body past it raises
    :class:`BodyTooLargeError` in the middleware's read, answered 413 before anything more is read."""

    def __init__(self, receive: Receive, limit: BodyLimit, content_length: str | None) -> None:
        self._receive = receive
        self._seen: list[Message] = []
        self._limit = limit
        self._content_length = content_length
        self._size = 0

    async def record(self) -> Message:
        if not self._seen and declared_too_large(self._content_length, self._limit):
            raise BodyTooLargeError(self._limit)
        message = await self._receive()
        if message["type"] == "http.request":
            self._size += len(message.get("body", b""))
            if self._size > self._limit.size:
                raise BodyTooLargeError(self._limit)
            self._seen.append(message)
        return message

    async def replay(self) -> Message:
        if self._seen:
            return self._seen.pop(0)
        return await self._receive()


def _with_headers(send: Send, headers: tuple[tuple[str, str], ...]) -> Send:
    if not headers:
        return send
    names = {name.encode("latin-1") for name, _ in headers if name != "set-cookie"}

    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
            kept += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
            message = {**message, "headers": kept}
        await send(message)

    return send_with_headers


_ODD_PATH = re.compile(r"[.%\\]|//")


def _needs_slash_redirect(raw: str) -> bool:
    return (len(raw) > 1 and raw.endswith("/")) or "//" in raw or "\\" in raw


class NextAuthMiddleware:
    """An ASGI middleware that runs ``middleware`` for the paths ``matcher`` selects (Next.js's rules).

    For any Starlette or FastAPI application::

        app.add_middleware(NextAuthMiddleware, matcher=["/dashboard/:path*"])  # with_auth
        app.add_middleware(NextAuthMiddleware, middleware=with_auth(pages={"sign_in": "/login"}))

    ``middleware`` defaults to :func:`with_auth`; ``matcher`` to every path. The matcher is compiled
    once, here. A path is selected when its raw form matches, or (so that an odd spelling cannot slip
    past) its form with dot segments resolved or slashes collapsed does. ``slash_redirects=True`` (the
    project server) leaves trailing- and repeated-slash paths to the app's ``308`` first, as Next.js.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        middleware: Callable[..., Any] = with_auth,
        matcher: str | Sequence[str] | Matcher | None = None,
        slash_redirects: bool = False,
        debug: bool = False,
    ) -> None:
        if not callable(middleware):
            raise TypeError(f"middleware must be a function of the request, not {type(middleware).__name__}")
        if middleware is with_auth:
            # with_auth itself is a plain function returning a coroutine: its async twin avoids the thread pool.
            middleware = with_auth()
        self.app = app
        self.matcher = matcher if isinstance(matcher, Matcher) else compile_matcher(matcher)
        self.middleware = UserCallable.of(middleware, 1)
        combined = self.matcher.combined
        self._fast_match = combined.match if combined is not None else None
        # A bare with_auth(...) middleware: its skip list (auth routes, sign-in page...) is checked up front.
        options = getattr(middleware, "with_auth_options", None)
        self.skip_options = options if isinstance(options, WithAuthOptions) else None
        self.slash_redirects = slash_redirects
        self.body_limit = default_body_limit()  # a malformed NEXTAUTH_BODY_SIZE_LIMIT fails here, at start-up
        self.debug = debug

    def selects(self, raw: str) -> bool:
        """Whether the raw path is the middleware's to handle.

        Next.js tests only the raw path. The router here decodes each segment and the middleware sees dot
        segments resolved, so ``/%61dmin``, ``/x/%2e%2e/admin`` or ``//admin`` reach the ``/admin`` route:
        those spellings are tested too (collapsed slashes, resolved dots, decoded segments), and a path is
        selected when any of them is.
        """
        if self.matcher.matches(raw):
            return True
        if _ODD_PATH.search(raw) is None:  # the common case: nothing to collapse, resolve or decode
            return False
        path = raw
        if "//" in path or "\\" in path:
            path = "/" + "/".join(s for s in path.replace("\\", "/").split("/") if s)
        path = resolve_dot_segments(path)
        if path != raw and self.matcher.matches(path):
            return True
        if "%" in path:
            decoded = "/".join(unquote(s, errors="replace").replace("/", "%2F") for s in path.split("/"))
            return decoded != path and self.matcher.matches(resolve_dot_segments(decoded))
        return False

    def _raw_path(self, scope: Scope) -> str:
        # The common case first, without the general helper: every request passes here.
        raw_bytes = scope.get("raw_path")
        if raw_bytes and not scope.get("root_path"):
            return str(raw_bytes.decode("latin-1").partition("?")[0])
        return raw_path_of(scope)[1]

    def _handles(self, raw: str) -> bool:
        """Whether the middleware runs for this raw path (else the request goes to the app untouched)."""
        fast = self._fast_match  # one regex call decides for most requests
        if fast is not None and fast(raw) is not None:
            selected = True
        elif fast is not None and _ODD_PATH.search(raw) is None:
            selected = False
        else:
            selected = self.selects(raw)
        return selected and not (self.slash_redirects and _needs_slash_redirect(raw))

    def passes_through(self, scope: Scope) -> bool:
        """Whether this middleware hands the HTTP request ``scope`` to the app untouched: not selected by the
        matcher, or skipped by ``with_auth`` (its own routes). The project server uses it to reach such
        routes without the middleware stack."""
        raw = self._raw_path(scope)
        if not self._handles(raw):
            return True
        return self.skip_options is not None and skips(resolve_dot_segments(raw), self.skip_options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = self._raw_path(scope)
        if not self._handles(raw):
            await self.app(scope, receive, send)
            return
        pathname = resolve_dot_segments(raw)
        if self.skip_options is not None and skips(pathname, self.skip_options):
            await self.app(scope, receive, send)  # what with_auth would do, without building a request
            return
        replay = _Replay(receive, self.body_limit, _header(scope, b"content-length"))
        request = MiddlewareRequest(scope, replay.record, pathname=pathname)
        try:
            result = await self.middleware(request)
            if not isinstance(result, Next | Redirect | Rewrite | Response | None):
                raise TypeError(
                    f"the middleware returned {type(result).__name__}; return None, next_response(), "
                    "redirect(...), rewrite(...) or a Response"
                )
        except BodyTooLargeError as exc:
            # Connection: close so that the server drops the connection instead of reading the rest.
            await send_text(head_safe(scope, send), 413, str(exc), [("connection", "close")])
            return
        except Exception as exc:
            server_log.exception("Error in the middleware for %s %s", scope["method"], scope["path"])
            body = "Internal Server Error"
            if self.debug:
                body += "\n\n" + "".join(traceback.format_exception(exc))
            await send_text(head_safe(scope, send), 500, body)
            return
        await self._answer(result, scope, replay.replay, send)

    async def _answer(self, result: MiddlewareResult, scope: Scope, receive: Receive, send: Send) -> None:
        if result is None:
            await self.app(scope, receive, send)
        elif isinstance(result, Next):
            await self.app(scope, receive, _with_headers(send, result.headers))
        elif isinstance(result, Redirect):
            body = result.location.encode("utf-8")
            headers = [("location", quote(result.location, safe="!#$%&'()*+,-./:;=?@[]_~")), *result.headers]
            await send_bytes(head_safe(scope, send), result.status, body, headers)
        elif isinstance(result, Rewrite):
            path, _, query = result.path.partition("?")
            prefix, _ = raw_path_of(scope)
            target = {
                **scope,
                "path": scope.get("root_path", "") + unquote(path),
                "raw_path": (prefix + path).encode("latin-1", errors="strict"),
                "query_string": query.encode("latin-1"),
            }
            await self.app(target, receive, _with_headers(send, result.headers))
        else:
            await result(scope, receive, head_safe(scope, send))
