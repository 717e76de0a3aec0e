"""``NextAuth``: one handler for both layouts, and the two thin layout adapters.

* pages-style: ``handler(req, res)`` with :class:`~nextauth.api.ApiRequest`/:class:`~nextauth.api.ApiResponse`
  (``req.query["nextauth"]`` holds the catch-all segments); the handler ends the response.
* app-style: ``handler(request, context)`` with a web request (Starlette ``Request``) and a context
  whose ``params["nextauth"]`` holds the segments; it returns a Starlette ``Response``.

The two are told apart as next-auth does: a second argument carrying ``params`` means app-style.
Serialisation follows each layout's golden recordings (JSON content type with ``charset=utf-8`` from
the pages adapter, without it from the app adapter; next-auth's plain-text answers without a content
type vs ``text/plain;charset=UTF-8``).
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Awaitable, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, overload
from urllib.parse import parse_qsl, quote

from nextauth._core.dispatch import CONFIG_ERROR_MESSAGE, Core
from nextauth._core.init import Prepared
from nextauth._lib.body import BodyLimit, BodyTooLargeError, default_body_limit, read_limited
from nextauth._lib.cookies import parse_cookie_header, serialize
from nextauth._lib.types import AuthRequest, AuthResponse
from nextauth._lib.util import compact_json, iso_ms
from nextauth.api import ApiRequest, ApiResponse, RouteContext
from nextauth.options import AuthOptions

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = ["NextAuth", "NextAuthHandler"]

log = logging.getLogger("nextauth")

OptionsLike = AuthOptions | Mapping[str, Any]


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso_ms(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


_JSON = compact_json(_json_default)


def dump_json(value: Any) -> bytes:
    text = _JSON(value)
    # A lone surrogate (valid in JSON input, not in UTF-8) is written back as its JSON escape.
    return text.encode("utf-8", "backslashreplace")


def wire_url(url: str) -> str:
    """A URL fit for a ``Location`` header: visible ASCII only. Non-ASCII, spaces and control characters
    (CR/LF would split the header) are percent-encoded as a browser's URL parser serialises them; existing
    escapes and URL delimiters are kept."""
    if all("!" <= c <= "~" for c in url):
        return url
    return quote(url, safe="!#$%&'()*+,-./:;=?@[]_~", errors="surrogatepass")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # JavaScript's JSON.parse refuses NaN and Infinity too


def parse_json_body(raw: bytes) -> Any:
    """A JSON body as next-auth's route handler reads it: ``None`` when it is not JSON (malformed, NaN or
    Infinity, or nested too deeply to parse)."""
    if not raw:
        return None
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return None


def header_dict(headers: Any) -> dict[str, str]:
    """Request headers as a dict with lower-case names, in one pass; the first of repeated headers wins
    (as ``Headers.get``). Never ``dict(headers)`` on Starlette ``Headers``: each lookup scans the whole
    list, so that is quadratic in the number of headers."""
    out: dict[str, str] = {}
    if headers is None:
        return out
    if type(headers) is dict:  # an ApiRequest's headers: no attribute or ABC checks
        for name, value in headers.items():
            out.setdefault(name if type(name) is str and name.islower() else str(name).lower(), value)
        return out
    raw = getattr(headers, "raw", None)
    if isinstance(raw, list):  # Starlette Headers: (bytes, bytes) pairs as the server received them
        return raw_header_dict(raw)
    items = headers.items() if isinstance(headers, Mapping) else ()
    for name, value in items:
        out.setdefault(str(name).lower(), value)
    return out


def raw_header_dict(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """ASGI header pairs as a dict with lower-case names; the first of repeated headers wins (``Headers.get``)."""
    out: dict[str, str] = {}
    for raw_name, raw_value in raw:
        name = raw_name.decode("latin-1").lower()
        if name not in out:
            out[name] = raw_value.decode("latin-1")
    return out


def pages_inputs(query_in: dict[str, Any], body: Any, content_type: str) -> tuple[list[str], dict[str, str], Any]:
    """What next-auth's pages adapter takes from ``req.query`` (the dynamic segments merged in) and ``req.body``:
    the catch-all segments, the rest of the query with the last of repeated keys, and a form body's repeated
    fields as their last value. ``query_in`` loses its ``nextauth`` key."""
    segments = catch_all_segments(query_in.pop("nextauth", None))
    query = {k: v for k, v in ((k, last_value(v)) for k, v in query_in.items()) if v is not None}
    if isinstance(body, dict) and "application/json" not in content_type:
        body = {k: (last_value(v) if isinstance(v, list) else v) for k, v in body.items()}
    return segments, query, body


def app_body(raw: bytes, content_type: str) -> Any:
    """A POST body as next-auth's route-handler adapter parses it: JSON or a form by content type, else none."""
    if "application/json" in content_type:
        return parse_json_body(raw)
    if "application/x-www-form-urlencoded" in content_type:
        return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    return None


def _params_of(context: Any) -> Any:
    if isinstance(context, Mapping):
        return context.get("params")
    return getattr(context, "params", None)


def is_app_context(value: Any) -> bool:
    """next-auth's test: the second argument is a route context when it carries truthy ``params``."""
    if isinstance(value, ApiResponse):
        return False
    return bool(_params_of(value)) or isinstance(value, RouteContext)


def catch_all_segments(value: Any) -> list[str]:
    """The catch-all parameter's value as a list of segments."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def last_value(value: Any) -> str | None:
    """The last of repeated values (a query key given twice), as a string."""
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    return None if value is None else str(value)


def build_request(
    method: str,
    segments: list[str],
    query: dict[str, str],
    body: Any,
    cookies: dict[str, str],
    headers: Mapping[str, str],
    client: str | None = None,
    *,
    normalized: bool = False,
) -> AuthRequest:
    """The core's request; ``normalized=True`` when ``headers`` already is :func:`header_dict`'s result."""
    return AuthRequest(
        method=method.upper(),
        action=segments[0] if segments else None,
        provider_id=segments[1] if len(segments) > 1 else None,
        query=query,
        body=body if isinstance(body, dict) else None,
        cookies=cookies,
        headers=headers if normalized and type(headers) is dict else header_dict(headers),
        error=query["error"] if "error" in query else (segments[1] if len(segments) > 1 else None),
        client=client,
    )


def body_limit_of(handler: NextAuthHandler) -> BodyLimit:
    """The POST body limit the app-style adapter applies (read from the environment when the handler was made)."""
    return handler._body_limit


async def run_core(core: Core, request: AuthRequest, *, pages_path: bool) -> AuthResponse:
    """The core's answer to ``request``; never raises (an unexpected error is logged and answered 500, as
    next-auth answers it)."""
    try:
        return await core.handle(request, pages_path=pages_path)
    except Exception:
        log.exception("[next-auth][error][UNHANDLED_ERROR] %r", request)
        return AuthResponse(
            status=500, headers={"Content-Type": "application/json"}, body={"message": CONFIG_ERROR_MESSAGE}
        )


class NextAuthHandler:
    """The handler ``NextAuth(options)`` returns: call it as ``(req, res)`` or ``(request, context)``."""

    def __init__(self, options: OptionsLike) -> None:
        self._core = Core(Prepared(options))
        self._body_limit: BodyLimit = default_body_limit()  # read once: a bad value fails at startup

    @property
    def options(self) -> AuthOptions:
        return self._core.prepared.options

    @property
    def core(self) -> Core:
        return self._core

    @overload
    async def __call__(self, request: ApiRequest, context: ApiResponse) -> None: ...
    @overload
    async def __call__(self, request: Request, context: RouteContext | Mapping[str, Any]) -> Response: ...
    async def __call__(self, request: Any, context: Any) -> Response | None:
        if is_app_context(context):
            return await self._app(request, context)
        await self._pages(request, context)
        return None

    def __repr__(self) -> str:
        return f"NextAuthHandler(providers={[p.id for p in self.options.providers]!r})"

    async def _run(self, request: AuthRequest, *, pages_path: bool) -> AuthResponse:
        return await run_core(self._core, request, pages_path=pages_path)

    # -- pages-style --------------------------------------------------------------------------------
    async def _pages(self, req: ApiRequest, res: ApiResponse) -> None:
        headers = header_dict(req.headers)
        segments, query, body = pages_inputs(dict(req.query or {}), req.body, headers.get("content-type") or "")
        peer = getattr(getattr(req.raw, "client", None), "host", None)  # the Starlette request, when served by us
        auth_request = build_request(
            req.method,
            segments,
            query,
            body,
            dict(req.cookies or {}),
            headers,
            peer if isinstance(peer, str) else None,
            normalized=True,
        )
        response = await self._run(auth_request, pages_path=True)
        write_pages_response(res, response, auth_request)

    # -- app-style ----------------------------------------------------------------------------------
    async def _app(self, request: Request, context: Any) -> Response:
        from starlette.requests import ClientDisconnect
        from starlette.responses import Response as StarletteResponse

        params = _params_of(context)
        if inspect.isawaitable(params):
            params = await params
        segments = catch_all_segments((params or {}).get("nextauth"))
        query = dict(request.query_params.items())
        headers = header_dict(request.headers)
        body: Any = None
        if request.method == "POST":
            try:
                raw = await read_limited(request.stream(), self._body_limit, headers.get("content-length"))
            except BodyTooLargeError as exc:
                # Connection: close makes the server drop the connection instead of reading (and discarding)
                # whatever the client still sends.
                return StarletteResponse(
                    dump_json({"message": exc.limit.message}),
                    413,
                    headers={"Connection": "close"},
                    media_type="application/json",
                )
            except ClientDisconnect:
                return StarletteResponse(status_code=400)  # nobody is listening any more
            body = app_body(raw, headers.get("content-type", ""))
        cookies = parse_cookie_header(headers.get("cookie"))
        peer = request.client.host if request.client is not None else None
        auth_request = build_request(request.method, segments, query, body, cookies, headers, peer, normalized=True)
        response = await self._run(auth_request, pages_path=False)
        return to_app_response(response, auth_request)


PagesHeaders = dict[str, tuple[str, list[str]]]
"""Response headers as ``ApiResponse`` keeps them: lower-case name -> (name as first set, values), in the order
the names were first set."""


def pages_parts(response: AuthResponse, request: AuthRequest) -> tuple[int, PagesHeaders, bytes]:
    """``(status, headers, body)`` as next-auth's pages adapter writes them (``res.status/setHeader/json/send``).
    Both the ``ApiResponse`` path (:func:`write_pages_response`) and the direct ASGI path serialise from this."""
    status = int(response.status or 200)
    headers: PagesHeaders = {}
    if response.cookies:
        headers["set-cookie"] = ("Set-Cookie", [serialize(c) for c in response.cookies])
    for name, value in response.headers.items():
        headers[name.lower()] = (name, [str(value)])
    if response.redirect:
        if request.json_mode:
            headers["content-type"] = ("Content-Type", ["application/json; charset=utf-8"])
            return status, headers, dump_json({"url": response.redirect})
        headers["location"] = ("Location", [wire_url(response.redirect)])
        return 302, headers, b""
    body = response.body
    if body is None:
        return status, headers, b""
    if isinstance(body, str):
        return status, headers, body.encode()
    headers["content-type"] = ("Content-Type", ["application/json; charset=utf-8"])
    return status, headers, dump_json(body)


def write_pages_response(res: ApiResponse, response: AuthResponse, request: AuthRequest) -> None:
    """Write the response into ``res`` (cookies appended to any the caller set, other headers replaced)."""
    status, headers, body = pages_parts(response, request)
    res.status(status)
    for key, (name, values) in headers.items():
        if key == "set-cookie":
            res.append_header(name, values)
        else:
            res.set_header(name, values)
    res.end(body)


def app_parts(response: AuthResponse, request: AuthRequest) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """``(status, raw headers, body)`` as next-auth's route-handler adapter answers (a web ``Response``), with the
    header list a Starlette ``Response`` of those headers sends (``Set-Cookie`` lines last). Both
    :func:`to_app_response` and the direct ASGI path serialise from this."""
    headers = dict(response.headers)
    status = response.status or 200
    content = b""
    if response.redirect:
        if request.json_mode:
            content = dump_json({"url": response.redirect})
            headers["Content-Type"] = "application/json"
        else:
            status = 302
            headers["Location"] = wire_url(response.redirect)
    elif isinstance(response.body, str):
        content = response.body.encode()
        headers.setdefault("Content-Type", "text/plain;charset=UTF-8")
    elif response.body is not None:
        content = dump_json(response.body)
        headers["Content-Type"] = "application/json"
    raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    if not (status < 200 or status in (204, 304)) and all(k != b"content-length" for k, _ in raw):
        raw.append((b"content-length", str(len(content)).encode("latin-1")))
    for cookie in response.cookies:
        raw.append((b"set-cookie", serialize(cookie).encode("latin-1")))
    return status, raw, content


def to_app_response(response: AuthResponse, request: AuthRequest) -> Response:
    """The web ``Response`` for the app-style layout (see :func:`app_parts`)."""
    from starlette.responses import Response as StarletteResponse

    status, raw, content = app_parts(response, request)
    out = StarletteResponse(status_code=status)
    out.body = content
    out.raw_headers = raw
    return out


@overload
def NextAuth(options: OptionsLike, /) -> NextAuthHandler: ...
@overload
def NextAuth(req: ApiRequest, res: ApiResponse, options: OptionsLike, /) -> Awaitable[None]: ...
@overload
def NextAuth(
    request: Request, context: RouteContext | Mapping[str, Any], options: OptionsLike, /
) -> Awaitable[Response]: ...
def NextAuth(*args: Any) -> Any:  # NextAuth.js's name, kept on purpose
    """``NextAuth(options)`` returns the handler; ``NextAuth(req, res, options)`` and
    ``NextAuth(request, context, options)`` handle one request (advanced initialization)."""
    if len(args) == 1:
        return NextAuthHandler(args[0])
    if len(args) == 3:
        return NextAuthHandler(args[2])(args[0], args[1])
    raise TypeError(
        "NextAuth() takes (options), (req, res, options) or (request, context, options); "
        f"got {len(args)} positional arguments"
    )
