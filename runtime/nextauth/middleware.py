"""Route protection: next-auth's ``withAuth`` middleware for Python, and the helpers a middleware returns.

A project's root ``middleware.py`` is run by the project server (``nextauth dev``/``start``) before
every request whose path its ``config["matcher"]`` selects, as Next.js runs ``middleware.ts``::

    # middleware.py
    from nextauth.middleware import with_auth as middleware

    config = {"matcher": ["/dashboard/:path*"]}

A middleware is ``middleware(request)``, sync or async, given a :class:`MiddlewareRequest`; it returns

* ``None`` or :func:`next_response` (optionally with response headers): the request goes on;
* :func:`redirect`: a redirect (``307`` unless told otherwise);
* :func:`rewrite`: the request is answered by another path of the project (the URL does not change);
* any Starlette ``Response``: that is the answer.

:func:`with_auth` has ``withAuth``'s three forms: ``with_auth`` itself is a middleware;
``with_auth(options)`` makes one; ``with_auth(inner, options)`` runs ``inner`` once the request is
authorised, with the decoded token in ``request.nextauth.token``. In any Starlette or FastAPI
application, :class:`NextAuthMiddleware` applies the same matcher and middleware. See
``docs/protecting-routes.md``.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import traceback
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias, overload
from urllib.parse import quote, quote_plus, unquote

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nextauth._core.init import parse_url
from nextauth._lib.matcher import Matcher, MatcherError, compile_matcher
from nextauth._lib.secrets import env_secrets, split_secrets
from nextauth._lib.util import call_user, snake_case
from nextauth.errors import ConfigurationError, JWTError
from nextauth.jwt import decode as jwt_decode, get_token
from nextauth.options import CookiesOptions, JWTOptions, PagesOptions, _cookie_option, coerce
from nextauth.server._http import UserCallable, head_safe, send_bytes, send_text

__all__ = [
    "DEFAULT_ERROR_PAGE",
    "DEFAULT_SIGN_IN_PAGE",
    "MatcherError",
    "MiddlewareRequest",
    "MiddlewareResult",
    "Next",
    "NextAuthMiddleware",
    "NextAuthState",
    "Redirect",
    "Rewrite",
    "WithAuthCallbacks",
    "WithAuthOptions",
    "next_response",
    "redirect",
    "rewrite",
    "with_auth",
]

log = logging.getLogger("nextauth")
server_log = logging.getLogger("nextauth.server")

DEFAULT_SIGN_IN_PAGE = "/api/auth/signin"
DEFAULT_ERROR_PAGE = "/api/auth/error"
MAX_QUERY_PAIRS = 1000  # as Node's querystring.parse (maxKeys), which Next.js uses
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

HeadersLike: TypeAlias = Mapping[str, str] | Sequence[tuple[str, str]] | None


# -- what a middleware returns ---------------------------------------------------------------------------


def _header_pairs(headers: HeadersLike) -> tuple[tuple[str, str], ...]:
    if headers is None:
        return ()
    pairs = list(headers.items()) if isinstance(headers, Mapping) else list(headers)
    for name, value in pairs:
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError(f"header names and values must be strings, got {name!r}: {value!r}")
        if not name or any(c in name for c in " \t\r\n:") or any(c in value for c in "\r\n\0"):
            raise ValueError(f"invalid header {name!r}: names are tokens, values have no line breaks")
    return tuple((name.lower(), value) for name, value in pairs)


@dataclass(frozen=True, slots=True)
class Next:
    """Let the request through; ``headers`` are added to the response it gets."""

    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Redirect:
    """Answer with a redirect to ``location`` (no body but the location, as Next.js)."""

    location: str
    status: int = 307
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Rewrite:
    """Answer with what ``path`` (and its query) of the same application answers; the URL stays."""

    path: str
    headers: tuple[tuple[str, str], ...] = ()


MiddlewareResult: TypeAlias = Next | Redirect | Rewrite | Response | None


def next_response(headers: HeadersLike = None) -> Next:
    """Continue to the route; ``headers`` (a dict or pairs) are set on its response."""
    return Next(_header_pairs(headers))


def redirect(url: str, status: int = 307, *, headers: HeadersLike = None) -> Redirect:
    """Redirect to ``url`` (a path such as ``/login`` or an absolute URL); ``status`` 301/302/303/307/308."""
    if status not in REDIRECT_STATUSES:
        raise ValueError(f"redirect status must be one of {sorted(REDIRECT_STATUSES)}, not {status}")
    if not isinstance(url, str) or not url or any(ord(c) < 0x20 or c == "\x7f" for c in url):
        raise ValueError(f"redirect needs a URL without control characters, not {url!r}")
    if url.startswith(("//", "/\\")):
        raise ValueError(f"{url!r} would leave the site; write an absolute URL (https://...) to mean another host")
    return Redirect(url, status, _header_pairs(headers))


def rewrite(path: str, *, headers: HeadersLike = None) -> Rewrite:
    """Serve ``path`` (``/denied``, ``/en/page?x=1``: a path of this application) for this request."""
    if not isinstance(path, str) or not path.startswith("/") or path.startswith(("//", "/\\")):
        raise ValueError(f"rewrite needs a path of this application such as '/denied', not {path!r}")
    if any(ord(c) < 0x21 or c in "\x7f#" for c in path):
        raise ValueError(f"rewrite path {path!r} has a space, control character or '#'; percent-encode it")
    return Rewrite(quote(path, safe="/%:@!$&'()*+,;=-._~?"), _header_pairs(headers))


# -- the request ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class NextAuthState:
    """``request.nextauth``: what :func:`with_auth` found (``token`` is the decoded JWT, or ``None``)."""

    token: dict[str, Any] | None = None


def raw_path_of(scope: Scope) -> tuple[str, str]:
    """``(prefix, path)``: the raw (percent-encoded) path below ``root_path``, and the raw prefix above it."""
    path: str = scope["path"]
    raw_bytes = scope.get("raw_path")
    raw = raw_bytes.decode("latin-1") if raw_bytes else quote(path, safe="/:@!$&'()*+,;=-._~\\")
    raw = raw.partition("?")[0]
    root: str = scope.get("root_path", "")
    if not root or not path.startswith(root) or (len(path) > len(root) and path[len(root)] != "/"):
        return "", raw
    depth = root.rstrip("/").count("/")
    parts = raw.split("/")
    return "/".join(parts[: depth + 1]), "/" + "/".join(parts[depth + 1 :])


_SINGLE_DOT = frozenset({".", "%2e"})
_DOUBLE_DOT = frozenset({"..", ".%2e", "%2e.", "%2e%2e"})


def _may_have_dots(raw: str) -> bool:
    return "." in raw or "%2e" in raw or "%2E" in raw


def resolve_dot_segments(raw: str) -> str:
    """The path as a URL parser leaves it: ``.``/``..`` segments (also as ``%2e``) resolved, escapes kept."""
    if not _may_have_dots(raw):
        return raw
    segments = raw[1:].split("/")
    out: list[str] = []
    last = len(segments) - 1
    for i, segment in enumerate(segments):
        lower = segment.lower()
        if lower in _DOUBLE_DOT:
            if out:
                out.pop()
            if i == last:
                out.append("")
        elif lower in _SINGLE_DOT:
            if i == last:
                out.append("")
        else:
            out.append(segment)
    return "/" + "/".join(out)


def form_encode(value: str) -> str:
    """``application/x-www-form-urlencoded`` as ``URLSearchParams`` writes it (space ``+``, ``~`` encoded)."""
    return quote_plus(value, safe="*", errors="replace").replace("~", "%7E")


def normalize_query(query: str) -> str:
    """The query as Next.js hands it to the middleware: parsed (``+`` is a space, malformed escapes kept)
    and written back with ``URLSearchParams``; ``""`` when there is none. The request's order is kept."""
    pairs: list[str] = []
    for piece in query.split("&"):
        if not piece:
            continue
        key, _, value = piece.partition("=")
        key = unquote(key.replace("+", " "), errors="replace")
        value = unquote(value.replace("+", " "), errors="replace")
        pairs.append(f"{form_encode(key)}={form_encode(value)}")
        if len(pairs) >= MAX_QUERY_PAIRS:
            break
    return "?" + "&".join(pairs) if pairs else ""


class MiddlewareRequest(Request):
    """A Starlette ``Request`` with what a middleware decides on.

    ``pathname`` is the path as Next.js's ``req.nextUrl.pathname`` gives it: percent-encoded as
    received, dot segments resolved, without the mount prefix (``base_path``). ``search`` is the query
    re-serialised (``?a=1&b=x+y``, or ``""``). ``nextauth.token`` is set by :func:`with_auth`.
    """

    def __init__(self, scope: Scope, receive: Receive | None = None, *, pathname: str | None = None) -> None:
        if receive is None:
            super().__init__(scope)
        else:
            super().__init__(scope, receive)
        prefix, raw = raw_path_of(scope)
        self.base_path: str = prefix
        self.pathname: str = pathname if pathname is not None else resolve_dot_segments(raw)
        self.nextauth: NextAuthState = NextAuthState()

    @functools.cached_property
    def search(self) -> str:
        return normalize_query(self.scope.get("query_string", b"").decode("latin-1"))


Middleware: TypeAlias = Callable[[MiddlewareRequest], "MiddlewareResult | Awaitable[MiddlewareResult]"]


# -- with_auth -----------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class WithAuthCallbacks:
    """``authorized(token=..., request=...)``: ``True`` lets the request through, ``False`` sends it to the
    sign-in page, ``None`` means "is there a valid token". Sync or async; it receives the arguments it names."""

    authorized: Callable[..., Any] | None = None


@dataclass(kw_only=True)
class WithAuthOptions:
    """``with_auth``'s options, as next-auth's ``withAuth`` takes them (dicts work for every part).

    * ``callbacks.authorized``: see :class:`WithAuthCallbacks`;
    * ``pages.sign_in`` / ``pages.error``: default ``/api/auth/signin`` and ``/api/auth/error``;
    * ``secret``: default ``NEXTAUTH_SECRET`` (then ``AUTH_SECRET``); ``""`` means none, so every request
      is sent to the error page with ``error=Configuration``;
    * ``jwt.decode``: replaces the built-in token decoding (keyword arguments ``token``, ``secret``, ``salt``);
    * ``cookies.session_token.name``: the session cookie's name (default from ``NEXTAUTH_URL``'s scheme).
    """

    callbacks: WithAuthCallbacks = field(default_factory=WithAuthCallbacks)
    pages: PagesOptions = field(default_factory=PagesOptions)
    secret: str | Sequence[str] | None = field(default=None, repr=False)
    jwt: JWTOptions = field(default_factory=JWTOptions)
    cookies: CookiesOptions = field(default_factory=CookiesOptions)

    def __post_init__(self) -> None:
        self.callbacks = coerce(WithAuthCallbacks, self.callbacks, "callbacks")
        self.pages = coerce(PagesOptions, self.pages, "pages")
        self.jwt = coerce(JWTOptions, self.jwt, "jwt")
        if isinstance(self.cookies, Mapping):
            entries = {snake_case(str(k)): _cookie_option(v, f"cookies.{k}") for k, v in self.cookies.items()}
            self.cookies = coerce(CookiesOptions, entries, "cookies")
        secret: object = self.secret  # checked at run time: a dict of options is not typed
        if secret is not None and (
            isinstance(secret, bytes)
            or not isinstance(secret, str | Sequence)
            or not all(isinstance(x, str) for x in secret)
        ):
            raise ConfigurationError("`secret` must be a string or a list of strings")

    @property
    def cookie_name(self) -> str | None:
        option = self.cookies.session_token
        return option.name if option is not None and option.name else None


@functools.lru_cache(maxsize=8)
def _auth_path(nextauth_url: str | None) -> str:
    try:
        return parse_url(nextauth_url).path
    except ConfigurationError:
        return "/api/auth"


def _secrets(options: WithAuthOptions) -> list[str]:
    secret = options.secret
    if secret is None:
        return env_secrets()
    if isinstance(secret, str):
        return split_secrets(secret)
    return [s for s in secret if s]


def skips(pathname: str, options: WithAuthOptions) -> bool:
    """Whether ``with_auth`` lets ``pathname`` through unchecked: the auth routes, the sign-in and error
    pages, ``/_next/…`` and ``/favicon.ico``.

    next-auth tests bare prefixes here, which also skips ``/api/authors`` and ``/_nextfoo``; these
    tests stop at a segment boundary instead, so such paths stay protected.
    """
    auth_path = _auth_path(os.environ.get("NEXTAUTH_URL"))
    if pathname == auth_path or pathname.startswith(auth_path.rstrip("/") + "/"):
        return True
    if pathname in (options.pages.sign_in or DEFAULT_SIGN_IN_PAGE, options.pages.error or DEFAULT_ERROR_PAGE):
        return True
    return pathname.startswith("/_next/") or pathname in ("/_next", "/favicon.ico")


def _with_query(target: str, key: str, value: str) -> str:
    base, sep, query = target.partition("?")
    kept = normalize_query(query)[1:] if sep else ""
    added = f"{form_encode(key)}={form_encode(value)}"
    return f"{base}?{kept + '&' if kept else ''}{added}"


async def _decode_token(request: MiddlewareRequest, options: WithAuthOptions, secrets: list[str]) -> Any:
    raw = await get_token(request, secret=secrets, cookie_name=options.cookie_name, raw=True)
    if not isinstance(raw, str) or not raw:
        return None
    try:
        if options.jwt.decode is not None:
            return await call_user(options.jwt.decode, token=raw, secret=secrets, salt="")
        return await jwt_decode(token=raw, secret=secrets)
    except JWTError:
        return None
    except Exception:  # a custom decode that fails means no token, as next-auth's getToken
        log.debug("jwt.decode raised; treating the request as signed out", exc_info=True)
        return None


async def _handle(
    request: MiddlewareRequest,
    options: WithAuthOptions,
    inner: UserCallable | None,
) -> MiddlewareResult:
    pathname = request.pathname
    if skips(pathname, options):
        return None
    base = request.base_path
    secrets = _secrets(options)
    if not secrets:
        log.error(
            "[next-auth][error][NO_SECRET] with_auth has no secret: set NEXTAUTH_SECRET (or pass secret=...); "
            "https://next-auth.js.org/errors#no_secret"
        )
        return redirect(_with_query(base + (options.pages.error or DEFAULT_ERROR_PAGE), "error", "Configuration"))
    token = await _decode_token(request, options, secrets)
    if token is not None and not isinstance(token, dict):
        token = None
    authorized: Any = None
    if options.callbacks.authorized is not None:
        authorized = await call_user(options.callbacks.authorized, token=token, request=request)
    allowed = bool(token) if authorized is None else bool(authorized)
    if allowed:
        if inner is None:
            return None
        request.nextauth = NextAuthState(token)
        result: MiddlewareResult = await inner(request)
        return result
    sign_in = base + (options.pages.sign_in or DEFAULT_SIGN_IN_PAGE)
    return redirect(_with_query(sign_in, "callbackUrl", f"{base}{pathname}{request.search}"))


def _options(options: WithAuthOptions | Mapping[str, Any] | None, extra: dict[str, Any]) -> WithAuthOptions:
    if options is None:
        return WithAuthOptions(**extra) if extra else WithAuthOptions()
    if isinstance(options, WithAuthOptions):
        if extra:
            raise TypeError("give the options either as WithAuthOptions or as keyword arguments, not both")
        return options
    if isinstance(options, Mapping):
        return coerce(WithAuthOptions, {**options, **extra}, "with_auth options")
    raise TypeError(f"with_auth options must be WithAuthOptions or a dict, not {type(options).__name__}")


@overload
def with_auth(request: MiddlewareRequest, /) -> Awaitable[MiddlewareResult]: ...  # type: ignore[overload-overlap]
@overload
def with_auth(
    inner: Callable[[MiddlewareRequest], Any],
    options: WithAuthOptions | Mapping[str, Any] | None = None,
    /,
    **kwargs: Any,
) -> Callable[[MiddlewareRequest], Awaitable[MiddlewareResult]]: ...
@overload
def with_auth(
    options: WithAuthOptions | Mapping[str, Any] | None = None, /, **kwargs: Any
) -> Callable[[MiddlewareRequest], Awaitable[MiddlewareResult]]: ...


def with_auth(first: Any = None, options: Any = None, /, **kwargs: Any) -> Any:
    """next-auth's ``withAuth``: protect the requests a middleware sees.

    * ``middleware = with_auth`` (or ``from nextauth.middleware import with_auth as middleware``): a valid
      session token is required; others go to ``/api/auth/signin?callbackUrl=...``;
    * ``middleware = with_auth(options)`` or ``with_auth(pages={"sign_in": "/login"}, ...)``;
    * ``middleware = with_auth(inner, options)``: ``inner(request)`` runs when the request is authorised,
      with ``request.nextauth.token``; what it returns is the answer.

    See :class:`WithAuthOptions`. The auth routes, the sign-in and error pages, ``/_next/…`` and
    ``/favicon.ico`` are never checked.
    """
    if isinstance(first, MiddlewareRequest):
        if options is not None or kwargs:
            raise TypeError("with_auth(request) takes no options; use with_auth(options) to make a middleware")
        return _handle(first, WithAuthOptions(), None)
    if callable(first) and not isinstance(first, Mapping | WithAuthOptions):
        resolved = _options(options, kwargs)
        call = UserCallable.of(first, 1)

        async def middleware_with_inner(request: MiddlewareRequest) -> MiddlewareResult:
            return await _handle(request, resolved, call)

        middleware_with_inner.with_auth_options = resolved  # type: ignore[attr-defined]
        return middleware_with_inner
    if options is not None:
        raise TypeError("with_auth(options) takes one positional argument; the inner middleware comes first")
    resolved = _options(first, kwargs)

    async def middleware(request: MiddlewareRequest) -> MiddlewareResult:
        return await _handle(request, resolved, None)

    middleware.with_auth_options = resolved  # type: ignore[attr-defined]
    return middleware


# -- running a middleware (the project server and NextAuthMiddleware) ------------------------------------


class _Replay:
    """``receive`` for the middleware that records the body, and one for the route that replays it."""

    def __init__(self, receive: Receive) -> None:
        self._receive = receive
        self._seen: list[Message] = []

    async def record(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
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

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # The common case first, without the general helper: every request passes here.
        raw_bytes = scope.get("raw_path")
        if raw_bytes and not scope.get("root_path"):
            raw = raw_bytes.decode("latin-1").partition("?")[0]
        else:
            _, raw = raw_path_of(scope)
        fast = self._fast_match  # one regex call decides for most requests
        if fast is not None and fast(raw) is not None:
            selected = True
        elif fast is not None and _ODD_PATH.search(raw) is None:
            selected = False
        else:
            selected = self.selects(raw)
        if not selected or (self.slash_redirects and _needs_slash_redirect(raw)):
            await self.app(scope, receive, send)
            return
        pathname = resolve_dot_segments(raw)
        if self.skip_options is not None and skips(pathname, self.skip_options):
            await self.app(scope, receive, send)  # what with_auth would do, without building a request
            return
        replay = _Replay(receive)
        request = MiddlewareRequest(scope, replay.record, pathname=pathname)
        try:
            result = await self.middleware(request)
            if not isinstance(result, Next | Redirect | Rewrite | Response | None):
                raise TypeError(
                    f"the middleware returned {type(result).__name__}; return None, next_response(), "
                    "redirect(...), rewrite(...) or a Response"
                )
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
