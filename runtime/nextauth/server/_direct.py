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
``tests/server/test_server_nextauth_direct.py`` sends the same requests both ways and compares the messages. A
handler wrapped in the user's own function (``async def handler(req, res): ...; await NextAuth(req, res,
options)``) is an ordinary callable and takes the adapter path.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any
from urllib.parse import parse_qsl

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.types import Receive, Scope, Send

from nextauth._core.next import (
    NextAuthHandler,
    app_body,
    app_parts,
    body_limit_of,
    build_request,
    catch_all_segments,
    dump_json,
    pages_inputs,
    pages_parts,
    raw_header_dict,
    run_core,
)
from nextauth._lib.asgi import Answer, Params, send_answer, send_server_error, text_answer
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

_NO_BODY = (204, 304)


def direct_handler(fn: object) -> NextAuthHandler | None:
    """``fn`` when it is exactly the object ``NextAuth(options)`` returns (not a subclass, which may change what
    a call does), else ``None``."""
    return fn if type(fn) is NextAuthHandler else None


async def _serve(scope: Scope, send: Send, answering: Awaitable[Answer | None], where: str, *, debug: bool) -> None:
    """Send what ``answering`` makes (nothing when the client went away); an error before that is the route's 500
    (``guarded``'s, which needs no tracking here: nothing is sent until the answer is whole)."""
    try:
        answer = await answering
    except HTTPException:
        raise
    except Exception as exc:
        await send_server_error(scope, send, exc, where, debug=debug)
        return
    if answer is not None:
        status, raw, content = answer
        await send_answer(send, (status, raw, b"" if scope["method"] == "HEAD" else content))


def _request(
    scope: Scope, segments: list[str], query: dict[str, str], body: Any, headers: dict[str, str]
) -> AuthRequest:
    cookie = headers.get("cookie")
    client = scope.get("client")
    peer = client[0] if client else None
    return build_request(
        scope["method"],
        segments,
        query,
        body,
        parse_cookie_header(cookie) if cookie else {},
        headers,
        peer if isinstance(peer, str) else None,
        normalized=True,
    )


def _content(body: Any) -> bytes:
    return b"" if body is None else body.encode() if isinstance(body, str) else dump_json(body)


_UNKNOWN: list[tuple[bytes, bytes]] = []
_HEADS_MAX = 64
Head = list[tuple[bytes, bytes]] | None


def _head(
    cache: dict[tuple[Any, ...], Head], response: AuthResponse, make: Callable[[AuthResponse, Any], Head]
) -> Head:
    """The encoded header lines of ``response`` but its cookies and length, kept by its headers and the kind of its
    body: the core answers with a few fixed header sets (JSON, JSON without caching, HTML). ``None`` when they
    cannot be kept; the caller then serialises the whole response as the adapter does."""
    body = response.body
    probe_body: str | dict[str, Any] | None = None if body is None else "" if isinstance(body, str) else {}
    key = (type(probe_body), *response.headers.items())
    try:
        head = cache.get(key, _UNKNOWN)
    except TypeError:  # a header value that is not hashable: nothing to keep
        return None
    if head is _UNKNOWN:
        if len(cache) >= _HEADS_MAX:
            cache.clear()
        probe = AuthResponse(status=200, headers=response.headers, body=probe_body)
        head = cache[key] = make(probe, response.headers)
    return head


# -- pages-style: pages/api/auth/[...nextauth].py -----------------------------------------------------------


def serve_pages(
    handler: NextAuthHandler,
    parser: BodyParser,
    scope: Scope,
    receive: Receive,
    send: Send,
    params: Params,
    where: str,
    *,
    debug: bool,
) -> Coroutine[Any, Any, None]:
    """Answer as ``PagesEndpoint`` calling ``handler(req, res)`` would."""
    return _serve(scope, send, _pages(handler, parser, scope, receive, params), where, debug=debug)


async def _pages(
    handler: NextAuthHandler, parser: BodyParser, scope: Scope, receive: Receive, params: Params
) -> Answer | None:
    method: str = scope["method"]
    headers = request_headers(scope)
    body: Any = None
    if parser.enabled and not (
        method in ("GET", "HEAD") and "content-length" not in headers and "transfer-encoding" not in headers
    ):
        try:
            body = decode_body(await read_body(receive, headers, parser), headers.get("content-type"))
        except BodyError as error:
            return text_answer(error.status, str(error), [("connection", "close")] if error.status == 413 else [])
        except ClientDisconnect:
            return None
    # req.query as PagesEndpoint makes it: the query string, then the dynamic segments over same-named keys.
    query_string: bytes = scope.get("query_string", b"")
    query_in = parse_query(query_string.decode("latin-1")) if query_string else {}
    query_in.update(params)
    segments, query, body = pages_inputs(query_in, body, headers.get("content-type") or "")
    request = _request(scope, segments, query, body, headers)
    return pages_answer(await run_core(handler.core, request, pages_path=True), request, method)


_HEADS: dict[tuple[Any, ...], Head] = {}


def pages_answer(response: AuthResponse, request: AuthRequest, method: str) -> Answer:
    """What ``write_pages_response`` into an ``ApiResponse``, then ``PagesEndpoint``, send (``pages_parts`` and
    ``encode_headers``), with the encoded header lines of the common responses kept."""
    status = int(response.status or 200)
    head = None if response.redirect or not 100 <= status <= 999 else _head(_HEADS, response, _pages_head)
    if head is None:
        return _pages_answer_slow(response, request, method)
    content = _content(response.body)
    if status < 200 or status in _NO_BODY:
        content = b""
        length: list[tuple[bytes, bytes]] = []
    else:
        length = [(b"content-length", str(len(content)).encode())]
    out: list[tuple[bytes, bytes]] = []
    for cookie in response.cookies:
        line = serialize(cookie)
        if not (line.isascii() and line.isprintable()):
            return _pages_answer_slow(response, request, method)  # refused there, as any bad header value
        out.append((b"set-cookie", line.encode()))
    out += head
    out += length
    return status, out, content


def _pages_head(probe: AuthResponse, headers: dict[str, str]) -> Head:
    lowered = [name.lower() for name in headers]
    if "set-cookie" in lowered or "content-length" in lowered or len(set(lowered)) != len(lowered):
        return None  # set per response, or repeated: not a fixed set
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


def serve_app(
    handler: NextAuthHandler,
    scope: Scope,
    receive: Receive,
    send: Send,
    params: Params,
    where: str,
    *,
    debug: bool,
) -> Coroutine[Any, Any, None]:
    """Answer as ``AppEndpoint`` calling ``handler(request, context)`` would (HEAD: GET's answer, no body)."""
    return _serve(scope, send, _app(handler, scope, receive, params), where, debug=debug)


async def _app(handler: NextAuthHandler, scope: Scope, receive: Receive, params: Params) -> Answer:
    headers = raw_header_dict(scope["headers"])
    body: Any = None
    if scope["method"] == "POST":
        try:
            raw = await read_limited(chunks(receive), body_limit_of(handler), headers.get("content-length"))
        except BodyTooLargeError as exc:  # the Starlette Response the adapter answers with, as it is sent
            content = dump_json({"message": exc.limit.message})
            length = str(len(content)).encode()
            lines = [(b"connection", b"close"), (b"content-length", length), (b"content-type", b"application/json")]
            return 413, lines, content
        except ClientDisconnect:
            return 400, [(b"content-length", b"0")], b""
        body = app_body(raw, headers.get("content-type", ""))
    query_string: bytes = scope.get("query_string", b"")
    query = dict(parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)) if query_string else {}
    request = _request(scope, catch_all_segments(params.get("nextauth")), query, body, headers)
    return app_answer(await run_core(handler.core, request, pages_path=False), request)


_APP_HEADS: dict[tuple[Any, ...], Head] = {}


def app_answer(response: AuthResponse, request: AuthRequest) -> Answer:
    """What ``to_app_response`` sends (``app_parts``), with the encoded header lines of the common responses
    kept."""
    head = None if response.redirect else _head(_APP_HEADS, response, _app_head)
    if head is None:
        return app_parts(response, request)
    status = response.status or 200
    content = _content(response.body)
    out = list(head)
    if not (status < 200 or status in _NO_BODY):
        out.append((b"content-length", str(len(content)).encode()))
    for cookie in response.cookies:
        out.append((b"set-cookie", serialize(cookie).encode("latin-1")))
    return status, out, content


def _app_head(probe: AuthResponse, headers: dict[str, str]) -> Head:
    if any(name.lower() == "content-length" for name in headers):
        return None
    _, raw, _ = app_parts(probe, _NO_REQUEST)
    return raw[:-1]  # without the content-length line, added per response
