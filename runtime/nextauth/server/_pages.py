"""Pages-style API routes: ``handler(req, res)`` with Next.js's request and response semantics.

Request (as Next.js's ``apiResolver``): ``query`` repeats keys as lists and takes the dynamic
segments over same-named query keys; cookies are percent-decoded (kept raw when malformed); the body is
parsed by content type (JSON, form, else text) up to a size limit (1 MB, or ``$NEXTAUTH_BODY_SIZE_LIMIT``;
the body is read incrementally and refused with 413 as soon as it passes the limit). A module can turn
parsing off or change the limit as in Next.js::

    config = {"api": {"bodyParser": False}}  # read req.raw yourself
    config = {"api": {"bodyParser": {"sizeLimit": "4mb"}}}

Differences from Next.js, on purpose: an empty body is ``None`` (Next.js gives ``""`` or ``{}``); a
handler that returns without finishing ``res`` gets a 500 and a log line (Next.js leaves the request
hanging); server errors (400, 413, 500) carry ``text/plain; charset=utf-8``.
"""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from types import ModuleType
from typing import Any
from urllib.parse import quote

from starlette.requests import ClientDisconnect, Request
from starlette.types import Message, Receive, Scope, Send

from nextauth._lib.asgi import Params, UserCallable, guarded, head_safe, send_text
from nextauth._lib.body import (
    default_body_limit,
    parse_size as parse_body_size,
)
from nextauth._lib.cookies import parse_cookie_header
from nextauth.api import ApiRequest, ApiResponse
from nextauth.errors import ConfigurationError
from nextauth.server._direct import direct_handler, serve_pages
from nextauth.server._errors import InvalidRouteError
from nextauth.server._routes import RouteFile
from nextauth.server._wire import (
    BodyError,
    BodyParser,
    decode_body,
    encode_headers,
    parse_query,
    read_body,
    request_headers,
)

__all__ = ["BodyParser", "PagesEndpoint", "parse_query", "parse_size"]

log = logging.getLogger("nextauth.server")


def parse_size(value: object, rel: str) -> tuple[int, str]:
    """A Next.js ``sizeLimit`` (bytes as an int, or ``"500kb"``, ``"4mb"``; 1 kb = 1024 bytes)."""
    try:
        limit = parse_body_size(value)
    except ValueError:
        raise InvalidRouteError(
            f"{rel}: config['api']['bodyParser']['sizeLimit'] must be a number of bytes or a string "
            f"such as '500kb' or '4mb', not {value!r}"
        ) from None
    return limit.size, limit.label


def _default_parser(rel: str) -> BodyParser:
    try:
        limit = default_body_limit()
    except ConfigurationError as exc:
        raise InvalidRouteError(f"{rel}: {exc}") from None
    return BodyParser(limit=limit.size, label=limit.label)


def body_parser_of(module: ModuleType, rel: str) -> BodyParser:
    config = getattr(module, "config", None)
    api = config.get("api") if isinstance(config, dict) else None
    setting = api.get("bodyParser", True) if isinstance(api, dict) else True
    if setting is False:
        return BodyParser(enabled=False)
    if setting is True:
        return _default_parser(rel)
    if isinstance(setting, dict):
        if "sizeLimit" not in setting:
            return _default_parser(rel)
        limit, label = parse_size(setting["sizeLimit"], rel)
        return BodyParser(limit=limit, label=label)
    raise InvalidRouteError(
        f"{rel}: config['api']['bodyParser'] must be True, False or {{'sizeLimit': '1mb'}}, not {setting!r}"
    )


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands out the already-read body once, then defers to the real one."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay


def request_url(scope: Scope) -> str:
    raw = scope.get("raw_path")
    path = raw.decode("latin-1") if raw else quote(scope["path"], safe="/:@!$&'()*+,;=-._~")
    query = scope.get("query_string", b"")
    return f"{path}?{query.decode('latin-1')}" if query else path


def response_headers(res: ApiResponse, body_length: int, method: str) -> list[tuple[bytes, bytes]]:
    """The handler's headers as ASGI wants them; a name or value Node would refuse raises ``ValueError``."""
    return encode_headers(res.header_items, res.status_code, body_length, method)


class PagesEndpoint:
    """One ``pages/**.py`` file: ``handler(req, res)``, called for every method."""

    style = "pages"

    def __init__(self, source: RouteFile, handler: UserCallable, parser: BodyParser, *, debug: bool) -> None:
        self.source = source
        self.handler = handler
        self.parser = parser
        self.debug = debug
        self._where = {m: f"{m} {source.pattern} ({source.rel})" for m in ("GET", "HEAD", "POST")}
        self.direct = direct_handler(handler.fn)
        """The ``NextAuth(options)`` handler when the file's ``handler`` is that object: served without the
        ``ApiRequest``/``ApiResponse`` pair (see ``nextauth.server._direct``); ``None`` turns that off."""

    @classmethod
    def from_module(cls, source: RouteFile, module: ModuleType, *, debug: bool) -> PagesEndpoint:
        handler = getattr(module, "handler", None)
        if not callable(handler):
            hint = ""
            if callable(getattr(module, "GET", None)) or callable(getattr(module, "POST", None)):
                hint = " (GET/POST functions are the app-style API: put them in app/<path>/route.py)"
            raise InvalidRouteError(
                f"{source.rel}: a pages-style route must define handler(req, res){hint}"
                if handler is None
                else f"{source.rel}: handler must be a function taking (req, res), not {type(handler).__name__}"
            )
        return cls(source, UserCallable.of(handler, 2), body_parser_of(module, source.rel), debug=debug)

    def __repr__(self) -> str:
        return f"PagesEndpoint({self.source.rel!r})"

    def __call__(self, scope: Scope, receive: Receive, send: Send, params: Params) -> Coroutine[Any, Any, None]:
        # A plain function handing back the coroutine that answers: one coroutine less on every request.
        method = scope["method"]
        where = self._where.get(method) or f"{method} {self.source.pattern} ({self.source.rel})"
        if self.direct is not None:
            return serve_pages(self.direct, self.parser, scope, receive, send, params, where, debug=self.debug)
        return guarded(scope, send, lambda s: self._handle(scope, receive, s, params), where, debug=self.debug)

    async def _handle(self, scope: Scope, receive: Receive, send: Send, params: Params) -> None:
        method: str = scope["method"]
        send = head_safe(scope, send)
        headers = request_headers(scope)
        body: Any = None
        # A GET or HEAD that declares no body (no Content-Length, no Transfer-Encoding) has none: nothing to read.
        bodiless = method in ("GET", "HEAD") and "content-length" not in headers and "transfer-encoding" not in headers
        if self.parser.enabled and not bodiless:
            try:
                data = await read_body(receive, headers, self.parser)
                body = decode_body(data, headers.get("content-type"))
            except BodyError as error:
                # Connection: close (for the 413) makes the server drop the connection instead of reading and
                # discarding the rest of a body it will never use.
                extra = [("connection", "close")] if error.status == 413 else []
                await send_text(send, error.status, str(error), extra)
                return
            except ClientDisconnect:
                return
            receive = _replay(data, receive)
        query = parse_query(scope.get("query_string", b"").decode("latin-1"))
        query.update(params)
        req = ApiRequest(
            method=method,
            url=request_url(scope),
            query=query,
            cookies=parse_cookie_header(headers.get("cookie")),
            headers=headers,
            body=body,
            raw=Request(scope, receive),
        )
        res = ApiResponse()
        try:
            await self.handler(req, res)
        except Exception:
            if not res.finished:
                raise
            # Next.js has already sent what was written; it only logs the error. So do we.
            log.exception("Error in %s %s (%s) after its response", method, self.source.pattern, self.source.rel)
        if not res.finished:
            log.error(
                "%s %s (%s): the handler returned without sending a response; call res.json(), res.send(), "
                "res.redirect() or res.end() before it returns (Next.js would leave the request hanging)",
                method,
                self.source.pattern,
                self.source.rel,
            )
            await send_text(send, 500, "Internal Server Error")
            return
        await self._send(res, method, send)

    async def _send(self, res: ApiResponse, method: str, send: Send) -> None:
        status = res.status_code
        if not 100 <= status <= 999:
            raise ValueError(f"invalid status code {status}: use a number from 100 to 999")
        body = res.body if status >= 200 and status not in (204, 304) else b""
        headers = response_headers(res, len(body), method)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
