"""next-auth's ``withAuth``: a valid session token, or a redirect to the sign-in page."""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from nextauth._lib.asgi import UserCallable
from nextauth._lib.secrets import env_secrets, split_secrets
from nextauth._lib.url import parse_url
from nextauth._lib.util import call_user, snake_case
from nextauth.errors import ConfigurationError, JWTError
from nextauth.jwt import get_token
from nextauth.middleware._request import (
    MiddlewareRequest,
    NextAuthState,
    form_encode,
    normalize_query,
)
from nextauth.middleware._results import (
    MiddlewareResult,
    redirect,
)
from nextauth.options import CookiesOptions, JWTOptions, PagesOptions, _cookie_option, coerce

log = logging.getLogger("nextauth")

DEFAULT_SIGN_IN_PAGE = "/api/auth/signin"
DEFAULT_ERROR_PAGE = "/api/auth/error"


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
def auth_path(nextauth_url: str | None) -> str:
    """The auth routes' path from ``NEXTAUTH_URL`` (``/api/auth`` when it is unset or invalid)."""
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
    prefix = auth_path(os.environ.get("NEXTAUTH_URL"))
    if pathname == prefix or pathname.startswith(prefix.rstrip("/") + "/"):
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
    if options.jwt.decode is None:  # either format, next-auth v4's or Auth.js v5's cookie (see get_token)
        return await get_token(request, secret=secrets, cookie_name=options.cookie_name)
    raw = await get_token(request, secret=secrets, cookie_name=options.cookie_name, raw=True)
    if not isinstance(raw, str) or not raw:
        return None
    try:
        return await call_user(options.jwt.decode, token=raw, secret=secrets, salt="")
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
