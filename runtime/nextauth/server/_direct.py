"""The auth route served straight from ASGI, when its handler is ``NextAuth(options)`` itself.

``nextauth init`` writes ``handler = NextAuth(auth_options)`` in ``pages/api/auth/[...nextauth].py`` and
``GET = POST = handler`` in ``app/api/auth/[...nextauth]/route.py``. For such a file the server knows everything
the handler does with its layout's objects: it reads the method, query, headers, cookies, peer and body, and
writes a status, headers and a body. So the core's request is built from the ASGI scope and its response written
as two ASGI messages, skipping the layout objects (``ApiRequest``/``ApiResponse``, Starlette's ``Request``/
``Response``), which cost about as much as the core's own work on a small request.

The bytes sent are the layout adapter's: the request is parsed by the same functions (the pages server's
``request_headers``, ``parse_query``, ``read_body``, ``decode_body``; the app adapter's first-wins headers and
last-wins query), and the response serialised by the same ``pages_parts``/``app_parts`` the adapters use.
``tests/server/test_direct.py`` sends the same requests both ways and compares the messages. A handler wrapped in
the user's own function (``async def handler(req, res): ...; await NextAuth(req, res, options)``) is an
ordinary callable and takes the adapter path.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.types import Receive, Scope, Send

from nextauth._core.next import (
    NextAuthHandler,
    app_parts,
    body_limit_of,
    build_request,
    catch_all_segments,
    dump_json,
    last_value,
    pages_parts,
    parse_json_body,
    unhandled,
)
from nextauth._lib.asgi import Params, header_list, send_server_error
from nextauth._lib.body import BodyTooLargeError, read_limited
from nextauth._lib.cookies import parse_cookie_header, serialize
from nextauth._lib.types import AuthRequest, AuthResponse
from nextauth.server._wire import (
    BodyError,
    BodyParser,
    chunks,
    decode_body,
    encode_headers,
    parse_query,
    read_body,
    request_headers,
)

__all__ = ["direct_handler", "serve_app", "serve_pages"]

Answer = tuple[int, list[tuple[bytes, bytes]], bytes]
_NO_BODY = (204, 304)


def direct_handler(fn: object) -> NextAuthHandler | None:
    """``fn`` when it is exactly the object ``NextAuth(options)`` returns (not a subclass, which may change what
    a call does), else ``None``."""
    return fn if type(fn) is NextAuthHandler else None


def _text(status: int, text: str, *extra: tuple[str, str]) -> Answer:
    """What ``send_text`` sends (the server's own plain-text errors)."""
    body = text.encode()
    headers = header_list([("content-type", "text/plain; charset=utf-8"), *extra])
    headers.append((b"content-length", str(len(body)).encode()))
    return status, headers, body


def _peer(scope: Scope) -> str | None:
    client = scope.get("client")
    host = client[0] if client else None
    return host if isinstance(host, str) else None


# -- pages-style: pages/api/auth/[...nextauth].py -----------------------------------------------------------


async def serve_pages(
    handler: NextAuthHandler,
    parser: BodyParser,
    scope: Scope,
    receive: Receive,
    send: Send,
    params: Params,
    where: str,
    *,
    debug: bool,
) -> None:
    """Answer as ``PagesEndpoint`` calling ``handler(req, res)`` would."""
    try:
        method: str = scope["method"]
        headers = request_headers(scope)
        body: Any = None
        if parser.enabled and not (
            method in ("GET", "HEAD") and "content-length" not in headers and "transfer-encoding" not in headers
        ):
            try:
                body = decode_body(await read_body(receive, headers, parser), headers.get("content-type"))
            except BodyError as error:
                extra = [("connection", "close")] if error.status == 413 else []
                answer = _text(error.status, str(error), *extra)
                body = _FAILED
            except ClientDisconnect:
                return
        if body is not _FAILED:
            # As the pages adapter: catch-all segments over same-named query keys, then the last of repeated keys.
            query_string: bytes = scope.get("query_string", b"")
            if not query_string and len(params) == 1 and "nextauth" in params:
                segments = catch_all_segments(params["nextauth"])  # the common case, with nothing else to merge
                query: dict[str, str] = {}
            else:
                query_in = parse_query(query_string.decode("latin-1")) if query_string else {}
                query_in.update(params)
                segments = catch_all_segments(query_in.pop("nextauth", None))
                query = {k: v for k, v in ((k, last_value(v)) for k, v in query_in.items()) if v is not None}
            if isinstance(body, dict) and "application/json" not in (headers.get("content-type") or ""):
                body = {k: (last_value(v) if isinstance(v, list) else v) for k, v in body.items()}
            cookie = headers.get("cookie")
            request = build_request(
                method,
                segments,
                query,
                body,
                parse_cookie_header(cookie) if cookie else {},
                headers,
                _peer(scope),
                normalized=True,
            )
            try:  # run_core, inline: one coroutine less per request
                response = await handler.core.handle(request, pages_path=True)
            except Exception:
                response = unhandled(request)
            answer = pages_answer(response, request, method)
    except HTTPException:
        raise
    except Exception as exc:
        await send_server_error(scope, send, exc, where, debug=debug)
        return
    status, raw, content = answer
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": b"" if method == "HEAD" else content})


_FAILED = object()
_HEADS: dict[tuple[Any, ...], list[tuple[bytes, bytes]] | None] = {}
"""The encoded header lines of a pages response, but its cookies and length, by its headers and body kind: the core
answers with a few fixed header sets (JSON, JSON without caching, HTML). ``None``: not served from here."""
_HEADS_MAX = 64
_UNKNOWN: list[tuple[bytes, bytes]] = []


def pages_answer(response: AuthResponse, request: AuthRequest, method: str) -> Answer:
    """What ``write_pages_response`` into an ``ApiResponse``, then ``PagesEndpoint``, send (``pages_parts`` and
    ``encode_headers``), with the encoded header lines of the common responses kept."""
    status = int(response.status or 200)
    body = response.body
    if response.redirect or not 100 <= status <= 999:
        return _pages_answer_slow(response, request, method)
    kind = 0 if body is None else 1 if isinstance(body, str) else 2
    key = (kind, *response.headers.items())
    try:
        head = _HEADS.get(key, _UNKNOWN)
    except TypeError:  # a header value that is not hashable: nothing to keep
        return _pages_answer_slow(response, request, method)
    if head is _UNKNOWN:
        if len(_HEADS) >= _HEADS_MAX:
            _HEADS.clear()
        head = _HEADS[key] = _pages_head(response, kind)
    if head is None:
        return _pages_answer_slow(response, request, method)
    content = b"" if body is None else body.encode() if isinstance(body, str) else dump_json(body)
    if status < 200 or status in _NO_BODY:
        content = b""
        raw: list[tuple[bytes, bytes]] = []
    else:
        raw = [(b"content-length", str(len(content)).encode())]
    if not response.cookies:
        return status, [*head, *raw], content
    out: list[tuple[bytes, bytes]] = []
    for cookie in response.cookies:
        line = serialize(cookie)
        if not (line.isascii() and line.isprintable()):
            return _pages_answer_slow(response, request, method)  # refused there, as any bad header value
        out.append((b"set-cookie", line.encode()))
    out += head
    out += raw
    return status, out, content


def _pages_head(response: AuthResponse, kind: int) -> list[tuple[bytes, bytes]] | None:
    """The lines ``encode_headers`` makes of the response's headers, for :data:`_HEADS`; ``None`` when they
    cannot be kept (a header the core sets per request, or one that the slow path would refuse)."""
    lowered = [name.lower() for name in response.headers]
    if "set-cookie" in lowered or "content-length" in lowered or len(set(lowered)) != len(lowered):
        return None
    probe = AuthResponse(status=200, headers=response.headers, body=None if kind == 0 else "" if kind == 1 else {})
    _, parts, _ = pages_parts(probe, _NO_REQUEST)
    try:
        lines = encode_headers([(n, v) for n, vs in parts.values() for v in vs], 200, 0, "GET")
    except ValueError:
        return None
    return lines[:-1]  # without the content-length line, added per response


_NO_REQUEST = AuthRequest(method="GET", action=None)


def _pages_answer_slow(response: AuthResponse, request: AuthRequest, method: str) -> Answer:
    status, parts, content = pages_parts(response, request)
    if not 100 <= status <= 999:
        raise ValueError(f"invalid status code {status}: use a number from 100 to 999")
    if status < 200 or status in _NO_BODY:
        content = b""
    items = [(name, value) for name, values in parts.values() for value in values]
    return status, encode_headers(items, status, len(content), method), content


# -- app-style: app/api/auth/[...nextauth]/route.py ---------------------------------------------------------


async def serve_app(
    handler: NextAuthHandler,
    scope: Scope,
    receive: Receive,
    send: Send,
    params: Params,
    where: str,
    *,
    debug: bool,
) -> None:
    """Answer as ``AppEndpoint`` calling ``handler(request, context)`` would (HEAD: GET's answer, no body)."""
    try:
        method: str = scope["method"]
        headers: dict[str, str] = {}
        for raw_name, raw_value in scope["headers"]:  # first wins, as Starlette's Headers.get
            name = raw_name.decode("latin-1").lower()
            if name not in headers:
                headers[name] = raw_value.decode("latin-1")
        body: Any = None
        answer: Answer | None = None
        if method == "POST":
            body, answer = await _app_body(handler, receive, headers)
        if answer is None:
            query_string: bytes = scope.get("query_string", b"")
            query = dict(parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)) if query_string else {}
            cookie = headers.get("cookie")
            request = build_request(
                method,
                catch_all_segments(params.get("nextauth")),
                query,
                body,
                parse_cookie_header(cookie) if cookie else {},
                headers,
                _peer(scope),
                normalized=True,
            )
            try:
                response = await handler.core.handle(request, pages_path=False)
            except Exception:
                response = unhandled(request)
            answer = app_answer(response, request)
    except HTTPException:
        raise
    except Exception as exc:
        await send_server_error(scope, send, exc, where, debug=debug)
        return
    status, raw, content = answer
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": b"" if method == "HEAD" else content})


async def _app_body(handler: NextAuthHandler, receive: Receive, headers: dict[str, str]) -> tuple[Any, Answer | None]:
    """A POST body as the app adapter reads it: ``(parsed body, None)``, or ``(None, answer)`` when the read ends
    the request (413 past the limit, 400 when the client went away)."""
    try:
        raw = await read_limited(chunks(receive), body_limit_of(handler), headers.get("content-length"))
    except BodyTooLargeError as exc:
        content = dump_json({"message": exc.limit.message})
        length = str(len(content)).encode()
        return None, (
            413,
            [(b"connection", b"close"), (b"content-length", length), (b"content-type", b"application/json")],
            content,
        )
    except ClientDisconnect:
        return None, (400, [(b"content-length", b"0")], b"")
    content_type = headers.get("content-type", "")
    if "application/json" in content_type:
        return parse_json_body(raw), None
    if "application/x-www-form-urlencoded" in content_type:
        return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True)), None
    return None, None


_APP_HEADS: dict[tuple[Any, ...], list[tuple[bytes, bytes]] | None] = {}
"""As :data:`_HEADS`, for the app layout."""


def app_answer(response: AuthResponse, request: AuthRequest) -> Answer:
    """What ``to_app_response`` sends (``app_parts``), with the encoded header lines of the common responses
    kept."""
    body = response.body
    if response.redirect:
        return app_parts(response, request)
    kind = 0 if body is None else 1 if isinstance(body, str) else 2
    key = (kind, *response.headers.items())
    try:
        head = _APP_HEADS.get(key, _UNKNOWN)
    except TypeError:  # a header value that is not hashable: nothing to keep
        return app_parts(response, request)
    if head is _UNKNOWN:
        if len(_APP_HEADS) >= _HEADS_MAX:
            _APP_HEADS.clear()
        head = _APP_HEADS[key] = _app_head(response, kind)
    if head is None:
        return app_parts(response, request)
    status = response.status or 200
    content = b"" if body is None else body.encode() if isinstance(body, str) else dump_json(body)
    out = list(head)
    if not (status < 200 or status in _NO_BODY):
        out.append((b"content-length", str(len(content)).encode()))
    for cookie in response.cookies:
        out.append((b"set-cookie", serialize(cookie).encode("latin-1")))
    return status, out, content


def _app_head(response: AuthResponse, kind: int) -> list[tuple[bytes, bytes]] | None:
    if any(name.lower() == "content-length" for name in response.headers):
        return None
    probe = AuthResponse(status=200, headers=response.headers, body=None if kind == 0 else "" if kind == 1 else {})
    _, raw, _ = app_parts(probe, _NO_REQUEST)
    return raw[:-1]  # without the content-length line, added per response
