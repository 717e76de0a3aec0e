"""App-style route handlers (``app/**/route.py``) and pages (``app/**/page.py``).

A ``route.py`` exports functions named after HTTP methods, each ``(request, context)`` returning a
Starlette ``Response``. Method handling follows Next.js's route modules:

* HEAD without a ``HEAD`` export is answered by ``GET`` (same status and headers, no body);
* OPTIONS without an ``OPTIONS`` export is ``204`` with ``Allow`` listing the exported methods, plus
  HEAD when GET is exported, plus OPTIONS, sorted (``GET, HEAD, OPTIONS, POST``);
* any other method that is not exported is ``405`` with an empty body. Next.js sends no ``Allow`` there;
  HTTP requires one (RFC 9110 §15.5.6), so this server adds it.

A ``page.py`` exports ``page(request)`` (or ``page(request, context)``) returning an HTML string or a
``Response``; it answers GET and HEAD.
"""

from __future__ import annotations

from collections.abc import Coroutine
from types import ModuleType
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from nextauth._lib.asgi import Params, UserCallable, guarded, head_safe, send_bytes
from nextauth.api import RouteContext
from nextauth.server._direct import direct_handler, serve_app
from nextauth.server._errors import InvalidRouteError
from nextauth.server._routes import RouteFile

__all__ = ["METHODS", "AppEndpoint", "PageEndpoint"]

METHODS = ("GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH")


def _where_by_method(source: RouteFile) -> dict[str, str]:
    """``"GET /api/x (app/api/x/route.py)"`` for each method, as log lines name a route (made once, not per
    request)."""
    pattern = source.pattern
    return {method: f"{method} {pattern} ({source.rel})" for method in METHODS}


def allow_header(methods: set[str]) -> str:
    allowed = set(methods)
    if "GET" in allowed:
        allowed.add("HEAD")
    allowed.add("OPTIONS")
    return ", ".join(sorted(allowed))


class AppEndpoint:
    """One ``route.py``: a function per exported HTTP method."""

    style = "app"

    def __init__(self, source: RouteFile, handlers: dict[str, UserCallable], *, debug: bool) -> None:
        self.source = source
        self.handlers = handlers
        self.allow = allow_header(set(handlers))
        self.debug = debug
        self._where = _where_by_method(source)
        self.direct = {m: h for m, call in handlers.items() if (h := direct_handler(call.fn)) is not None}
        """Methods whose function is the ``NextAuth(options)`` handler itself: served without Starlette's
        ``Request``/``Response`` (see ``nextauth.server._direct``); empty turns that off."""

    @classmethod
    def from_module(cls, source: RouteFile, module: ModuleType, *, debug: bool) -> AppEndpoint:
        handlers: dict[str, UserCallable] = {}
        for method in METHODS:
            fn = getattr(module, method, None)
            if fn is None:
                continue
            if not callable(fn):
                raise InvalidRouteError(
                    f"{source.rel}: {method} must be a function taking (request, context), not {type(fn).__name__}"
                )
            handlers[method] = UserCallable.of(fn, 2)
        if not handlers:
            lower = [m.lower() for m in METHODS if callable(getattr(module, m.lower(), None))]
            hint = f" (found {', '.join(lower)}: the names are upper case)" if lower else ""
            if callable(getattr(module, "handler", None)):
                hint = " (handler(req, res) is the pages-style API: put it in pages/<path>.py)"
            raise InvalidRouteError(
                f"{source.rel}: a route handler file must export at least one of {', '.join(METHODS)}{hint}"
            )
        return cls(source, handlers, debug=debug)

    def __repr__(self) -> str:
        return f"AppEndpoint({self.source.rel!r}, allow={self.allow!r})"

    def __call__(self, scope: Scope, receive: Receive, send: Send, params: Params) -> Coroutine[Any, Any, None]:
        # A plain function handing back the coroutine that answers: one coroutine less on every request.
        method: str = scope["method"]
        handler = self.handlers.get(method)
        if handler is None and method == "HEAD":
            handler = self.handlers.get("GET")
        if handler is None:
            return send_bytes(send, 204 if method == "OPTIONS" else 405, b"", [("allow", self.allow)])
        where = self._where.get(method) or f"{method} {self.source.pattern} ({self.source.rel})"
        direct = self.direct.get(method) or (
            self.direct.get("GET") if method == "HEAD" and "HEAD" not in self.handlers else None
        )
        if direct is not None:
            return serve_app(direct, scope, receive, send, params, where, debug=self.debug)
        call = handler

        async def run(send: Send) -> None:
            request = Request(scope, receive)
            response = await call(request, RouteContext(params=dict(params)))
            if not isinstance(response, Response):
                raise TypeError(_not_a_response(self.source, method, response))
            await response(scope, receive, head_safe(scope, send))

        return guarded(scope, send, run, where, debug=self.debug)


class PageEndpoint:
    """One ``page.py``: ``page(request)`` for GET and HEAD."""

    style = "page"
    allow = "GET, HEAD, OPTIONS"

    def __init__(self, source: RouteFile, page: UserCallable, *, debug: bool) -> None:
        self.source = source
        self.page = page
        self.debug = debug
        self._where = _where_by_method(source)

    @classmethod
    def from_module(cls, source: RouteFile, module: ModuleType, *, debug: bool) -> PageEndpoint:
        page = getattr(module, "page", None)
        if not callable(page):
            raise InvalidRouteError(
                f"{source.rel}: a page file must define page(request) returning an HTML string or a Response"
            )
        return cls(source, UserCallable.of(page, 2), debug=debug)

    def __repr__(self) -> str:
        return f"PageEndpoint({self.source.rel!r})"

    async def __call__(self, scope: Scope, receive: Receive, send: Send, params: Params) -> None:
        method: str = scope["method"]
        if method not in ("GET", "HEAD"):
            await send_bytes(send, 204 if method == "OPTIONS" else 405, b"", [("allow", self.allow)])
            return
        where = self._where[method]

        async def run(send: Send) -> None:
            request = Request(scope, receive)
            result = await self.page(request, RouteContext(params=dict(params)))
            if isinstance(result, str):
                result = Response(result, media_type="text/html")
            elif not isinstance(result, Response):
                raise TypeError(
                    f"{self.source.rel}: page() returned {type(result).__name__}; return an HTML string or a Response"
                )
            await result(scope, receive, head_safe(scope, send))

        await guarded(scope, send, run, where, debug=self.debug)


def _not_a_response(source: RouteFile, method: str, value: Any) -> str:
    return (
        f"{source.rel}: {method} returned {type(value).__name__}, not a Response; "
        "return a starlette Response (for example JSONResponse(data) or Response(status_code=204))"
    )
