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

import codecs
import json
import logging
import re
from collections.abc import AsyncIterator, Coroutine, Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, quote

from starlette.requests import ClientDisconnect, Request
from starlette.types import Message, Receive, Scope, Send

from nextauth._lib.asgi import Params, UserCallable, guarded, head_safe, send_text
from nextauth._lib.body import (
    DEFAULT_BODY_LIMIT,
    BodyLimit,
    BodyTooLargeError,
    default_body_limit,
    parse_size as parse_body_size,
    read_limited,
)
from nextauth._lib.cookies import parse_cookie_header
from nextauth.api import ApiRequest, ApiResponse
from nextauth.errors import ConfigurationError
from nextauth.server._errors import InvalidRouteError
from nextauth.server._routes import RouteFile

__all__ = ["BodyParser", "PagesEndpoint", "parse_query", "parse_size"]

log = logging.getLogger("nextauth.server")

DEFAULT_LIMIT = DEFAULT_BODY_LIMIT
_MAX_KEYS = 1000  # Node's querystring.parse stops after 1000 pairs
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_BAD_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# Header names already checked against _TOKEN, with their lower-case bytes; bounded, since names come from handlers.
_GOOD_NAMES: dict[str, bytes] = {}
_GOOD_NAMES_MAX = 512
# Node keeps the first value of these request headers and drops repeats (http.IncomingMessage).
_FIRST_WINS = frozenset(
    {
        "age", "authorization", "content-length", "content-type", "etag", "expires", "from", "host",
        "if-modified-since", "if-unmodified-since", "last-modified", "location", "max-forwards",
        "proxy-authorization", "referer", "retry-after", "server", "user-agent",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class BodyParser:
    enabled: bool = True
    limit: int = DEFAULT_LIMIT
    label: str = "1mb"

    @property
    def body_limit(self) -> BodyLimit:
        return BodyLimit(self.limit, self.label)


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


def parse_query(text: str) -> dict[str, Any]:
    """A query string or form body as Node's ``querystring.parse``: repeated keys give a list."""
    out: dict[str, Any] = {}
    if not text:
        return out
    for key, value in parse_qsl(text, keep_blank_values=True, errors="replace")[:_MAX_KEYS]:
        existing = out.get(key)
        if existing is None:
            out[key] = value
        elif isinstance(existing, list):
            existing.append(value)
        else:
            out[key] = [existing, value]
    return out


def request_headers(scope: Scope) -> dict[str, str]:
    """Header names in lower case; repeats joined as Node joins them (``cookie`` with ``; ``).

    Linear in the number of headers: repeats are collected in lists and joined once (``+=`` on a string
    held in a dict copies it every time, which is quadratic)."""
    out: dict[str, str] = {}
    repeats: dict[str, list[str]] | None = None
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin-1").lower()
        if name not in out:
            out[name] = raw_value.decode("latin-1")
        elif name not in _FIRST_WINS:
            if repeats is None:
                repeats = {}
            repeats.setdefault(name, [out[name]]).append(raw_value.decode("latin-1"))
    if repeats:
        for name, parts in repeats.items():
            out[name] = ("; " if name == "cookie" else ", ").join(parts)
    return out


class _BodyError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _media_type(header: str | None) -> tuple[str, str]:
    """``(type, charset)`` of a Content-Type; anything unparseable counts as ``text/plain``."""
    main, _, rest = (header or "").partition(";")
    media = main.strip().lower()
    if "/" not in media:
        media = "text/plain"
    charset = "utf-8"
    for param in rest.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"').lower()
    return media, charset


async def _chunks(receive: Receive) -> AsyncIterator[bytes]:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        yield message.get("body", b"")
        if not message.get("more_body", False):
            return


async def read_body(receive: Receive, headers: dict[str, str], parser: BodyParser) -> bytes:
    """The whole body, read incrementally; a 413 :class:`_BodyError` as soon as it passes the limit."""
    try:
        return await read_limited(_chunks(receive), parser.body_limit, headers.get("content-length"))
    except BodyTooLargeError as exc:
        raise _BodyError(413, str(exc)) from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def decode_body(data: bytes, content_type: str | None) -> Any:
    """The parsed body, as Next.js's ``parseBody``; ``None`` for an empty body."""
    if not data:
        return None
    media, charset = _media_type(content_type)
    try:
        text = data.decode(codecs.lookup(charset).name, errors="replace")
    except LookupError:
        raise _BodyError(400, "Invalid body") from None
    text = text.removeprefix("\ufeff")
    if media in ("application/json", "application/ld+json"):
        try:
            return json.loads(text, parse_constant=_reject_constant)
        except (ValueError, RecursionError):
            raise _BodyError(400, "Invalid JSON") from None
    if media == "application/x-www-form-urlencoded":
        return parse_query(text)
    return text


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


def encode_headers(
    items: Iterable[tuple[str, str]], status: int, body_length: int, method: str
) -> list[tuple[bytes, bytes]]:
    """Header lines ``(name, value)`` of a pages-style response as ASGI wants them, with the ``Content-Length`` of
    what is really sent (an explicit one is kept only for HEAD); a name or value Node would refuse raises
    ``ValueError``."""
    out: list[tuple[bytes, bytes]] = []
    explicit_length = False
    for name, value in items:
        raw_name = _GOOD_NAMES.get(name)
        if raw_name is None:
            if not _TOKEN.match(name):
                raise ValueError(f"invalid header name {name!r}")
            raw_name = name.lower().encode("latin-1")
            if len(_GOOD_NAMES) < _GOOD_NAMES_MAX:
                _GOOD_NAMES[name] = raw_name
        if value.isascii() and value.isprintable():  # the common case, without a regex: visible ASCII and spaces
            encoded = value.encode("ascii")
        else:
            if _BAD_VALUE.search(value):
                raise ValueError(f"the value of header {name!r} contains a control character (CR, LF or NUL)")
            try:
                encoded = value.encode("latin-1")
            except UnicodeEncodeError:
                raise ValueError(f"the value of header {name!r} has characters outside ISO-8859-1") from None
        if raw_name == b"content-length":
            if method != "HEAD":
                continue  # the length of what is really sent
            explicit_length = True
        out.append((raw_name, encoded))
    if not explicit_length and status >= 200 and status not in (204, 304):
        out.append((b"content-length", str(body_length).encode()))
    return out


class PagesEndpoint:
    """One ``pages/**.py`` file: ``handler(req, res)``, called for every method."""

    style = "pages"

    def __init__(self, source: RouteFile, handler: UserCallable, parser: BodyParser, *, debug: bool) -> None:
        from nextauth.server._direct import direct_handler, serve_pages

        self._serve_direct = serve_pages
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
            return self._serve_direct(self.direct, self.parser, scope, receive, send, params, where, debug=self.debug)
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
            except _BodyError as error:
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
