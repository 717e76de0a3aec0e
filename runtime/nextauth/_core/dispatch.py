"""The framework-free core: one request in, one response out (next-auth's ``AuthHandler``).

It asserts the configuration, runs ``init`` (CSRF, callback URL), dispatches on ``(method, action)``
through one table, and answers every other pair with next-auth's uniform 400. Cookies set by ``init``
go first on every action response except ``providers``, ``_log`` and the 400.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from nextauth._core.actions import pages as pages_actions
from nextauth._core.actions._common import json_response
from nextauth._core.actions.callback import callback
from nextauth._core.actions.csrf import csrf
from nextauth._core.actions.providers import providers
from nextauth._core.actions.session import session
from nextauth._core.actions.signin import signin
from nextauth._core.actions.signout import signout
from nextauth._core.init import Internal, Prepared, Url, detect_origin, init, parse_url
from nextauth._core.logger import once
from nextauth._lib.callback_url import is_valid_http_url
from nextauth._lib.cookies import SessionStore
from nextauth._lib.hosts import HostNotAllowedError
from nextauth._lib.types import AuthRequest, AuthResponse
from nextauth._lib.util import maybe_await
from nextauth.errors import (
    ConfigurationError,
    InvalidCallbackUrlError,
    MissingAPIRouteError,
    MissingSecretError,
)

log = logging.getLogger("nextauth")

HTML_ACTIONS = frozenset({"signin", "signout", "error", "verify-request"})
CONFIG_ERROR_MESSAGE = "There is a problem with the server configuration. Check the server logs for more information."

Handler = Callable[[Internal, SessionStore], Awaitable[AuthResponse]]


@dataclass(slots=True)
class Route:
    handler: Handler
    csrf: bool = False
    """POST actions that need a verified CSRF token."""
    needs_provider: bool = False
    init_cookies: bool = True


async def _providers(internal: Internal, _store: SessionStore) -> AuthResponse:
    return await providers(internal)


async def _csrf(internal: Internal, _store: SessionStore) -> AuthResponse:
    return await csrf(internal)


async def _session_get(internal: Internal, store: SessionStore) -> AuthResponse:
    return await session(internal, store)


async def _session_post(internal: Internal, store: SessionStore) -> AuthResponse:
    if not internal.csrf_verified:
        return json_response({}, status=400)
    data = (internal.request.body or {}).get("data")
    return await session(internal, store, is_update=True, new_session=data)


async def _signin_page(internal: Internal, _store: SessionStore) -> AuthResponse:
    return await pages_actions.signin_page(internal)


async def _signout_page(internal: Internal, _store: SessionStore) -> AuthResponse:
    return await pages_actions.signout_page(internal)


async def _verify_request(internal: Internal, _store: SessionStore) -> AuthResponse:
    return await pages_actions.verify_request_page(internal)


async def _error(internal: Internal, _store: SessionStore) -> AuthResponse:
    return await pages_actions.error_page(internal)


async def _signin_post(internal: Internal, _store: SessionStore) -> AuthResponse:
    if not internal.csrf_verified or internal.provider is None:
        return AuthResponse(redirect=f"{internal.url.base}/signin?csrf=true")
    return await signin(internal)


async def _signout_post(internal: Internal, store: SessionStore) -> AuthResponse:
    if not internal.csrf_verified:
        return AuthResponse(redirect=f"{internal.url.base}/signout?csrf=true")
    return await signout(internal, store)


async def _callback(internal: Internal, store: SessionStore) -> AuthResponse:
    provider = internal.provider
    if (
        internal.request.method == "POST"
        and provider is not None
        and provider.type == "credentials"
        and not internal.csrf_verified
    ):
        return AuthResponse(redirect=f"{internal.url.base}/signin?csrf=true")
    return await callback(internal, store)


async def _log(internal: Internal, _store: SessionStore) -> AuthResponse:
    user_logger = internal.options.logger
    if user_logger is not None:
        body = dict(internal.request.body or {})
        level = body.pop("level", None)
        code = body.pop("code", None)
        fn = getattr(user_logger, level, None) if level in ("error", "warn", "debug") else None
        try:
            if fn is None:
                raise ValueError(f"unknown log level {level!r}")
            await maybe_await(fn(code, body))
        except Exception as exc:
            await internal.logger.error("LOGGER_ERROR", exc)
    return AuthResponse()


ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "providers"): Route(_providers, init_cookies=False),
    ("GET", "session"): Route(_session_get),
    ("GET", "csrf"): Route(_csrf),
    ("GET", "signin"): Route(_signin_page),
    ("GET", "signout"): Route(_signout_page),
    ("GET", "callback"): Route(_callback, needs_provider=True),
    ("GET", "verify-request"): Route(_verify_request),
    ("GET", "error"): Route(_error),
    ("POST", "signin"): Route(_signin_post),
    ("POST", "signout"): Route(_signout_post),
    ("POST", "callback"): Route(_callback, needs_provider=True),
    ("POST", "session"): Route(_session_post),
    ("POST", "_log"): Route(_log, init_cookies=False),
}


def unsupported(request: AuthRequest) -> AuthResponse:
    """next-auth's uniform 400 (text); as JSON when the client asks for JSON, as next-auth/react does, so that
    a misrouted client call logs a readable message instead of failing to parse."""
    message = f"Error: This action with HTTP {request.method} is not supported by NextAuth.js"
    accept = request.headers.get("accept", "")
    content_type = request.headers.get("content-type", "")
    if "application/json" in accept or content_type.startswith("application/json"):
        return json_response({"message": message, "action": request.action}, status=400)
    return AuthResponse(status=400, body=message)


HOST_NOT_ALLOWED = "Bad Request: this host is not in the allowed hosts"
BAD_HOST = "Bad Request: the Host or X-Forwarded-Host header is not a host name"


def host_not_allowed(request: AuthRequest, exc: HostNotAllowedError) -> AuthResponse:
    """Trust-host mode and a host outside the allowed hosts (or no host name at all): a 400 that builds no
    URL from the host and never echoes it (the log names it, escaped)."""
    if exc.malformed:
        message = BAD_HOST
        log.warning("nextauth: refused a request whose host %r is not a host name", exc.host[:200])
    else:
        message = HOST_NOT_ALLOWED
        log.warning(
            "nextauth: refused a request for the host %r: it is not in the allowed hosts "
            "(AuthOptions.allowed_hosts or NEXTAUTH_ALLOWED_HOSTS); add it there if this is your site",
            exc.host[:200],
        )
    if "application/json" in request.headers.get("accept", ""):
        return json_response({"message": message}, status=400)
    return AuthResponse(status=400, headers={"Content-Type": "text/plain; charset=utf-8"}, body=message)


class Core:
    """Runs requests for one prepared configuration."""

    def __init__(self, prepared: Prepared) -> None:
        self.prepared = prepared

    async def handle(self, request: AuthRequest, *, pages_path: bool = False) -> AuthResponse:
        prepared = self.prepared
        logger = prepared.logger
        try:
            origin = detect_origin(request, prepared.options)
            url = parse_url(origin)
            secrets_ = prepared.secrets(pages_path=pages_path)
            self._assert(request, secrets_)
        except HostNotAllowedError as exc:
            return host_not_allowed(request, exc)
        except ConfigurationError as exc:
            await logger.error(exc.code, exc)
            return await self._config_error(request)
        if origin is None:
            await logger.warn("NEXTAUTH_URL")
        if prepared.options.debug:
            await logger.warn("DEBUG_ENABLED")
        await self._check_host(request, url)

        route = ROUTES.get((request.method, request.action or ""))
        if route is None:
            return unsupported(request)
        internal = await init(prepared, request, url, secrets_)
        if route.needs_provider and internal.provider is None:
            return unsupported(request)
        store = SessionStore(internal.cookies.session_token, request.cookies)
        response = await route.handler(internal, store)
        for level, code, metadata in store.log_entries:  # what writing the session cookie had to report
            await (logger.error if level == "error" else logger.debug)(code, metadata)
        if route.init_cookies:
            response.cookies[:0] = internal.init_cookies
        return response

    def _assert(self, request: AuthRequest, secrets_: list[str]) -> None:
        if not secrets_:
            raise MissingSecretError(
                "Please define a `secret`: set NEXTAUTH_SECRET in .env.local (run `nextauth secret --write` to "
                "generate one) or pass secret=... to AuthOptions."
            )
        if not request.action:
            raise MissingAPIRouteError(
                "Cannot find [...nextauth] in the request's catch-all parameters: is the route file named "
                "`[...nextauth]`? (pages/api/auth/[...nextauth].py or app/api/auth/[...nextauth]/route.py)"
            )
        query_url = request.query.get("callbackUrl")
        if query_url and not is_valid_http_url(query_url):
            raise InvalidCallbackUrlError(
                "Invalid callback URL in the query: it must be a relative path or an absolute http(s) URL"
            )

    async def _config_error(self, request: AuthRequest) -> AuthResponse:
        if request.action not in HTML_ACTIONS or request.method != "GET":
            return json_response({"message": CONFIG_ERROR_MESSAGE}, status=500)
        error_page = self.prepared.options.pages.error
        on_error_page = bool(error_page) and (request.query.get("callbackUrl") or "").startswith(error_page or "")
        if error_page and not on_error_page:
            return AuthResponse(redirect=f"{error_page}?error=Configuration")
        if on_error_page:
            await self.prepared.logger.error(
                "AUTH_ON_ERROR_PAGE_ERROR", ValueError(f"The error page {error_page} should not require authentication")
            )
        from nextauth.pages import render_error

        try:
            base = parse_url(detect_origin(request, self.prepared.options))
        except (ConfigurationError, HostNotAllowedError):
            base = parse_url(None)
        status, html = render_error(
            base=base.base, origin=base.origin, error="configuration", theme=self.prepared.options.theme
        )
        return AuthResponse(status=status, headers={"Content-Type": "text/html"}, body=html)

    async def _check_host(self, request: AuthRequest, url: Url) -> None:
        """Log the base URL once, and warn once when requests arrive for another host than NEXTAUTH_URL's."""
        if once(f"base-url:{url.base}"):
            log.info("nextauth: base URL %s", url.base)
        host = request.headers.get("x-forwarded-host") or request.headers.get("host")
        if not host:
            return
        proto = request.headers.get("x-forwarded-proto")
        scheme_differs = proto is not None and proto.split(",")[0].strip() != url.origin.split(":", 1)[0]
        if (host.lower() != url.host or scheme_differs) and once(f"host-mismatch:{url.base}"):
            seen = f"{proto.split(',')[0].strip() + '://' if proto else ''}{host}"
            log.warning(
                "nextauth: a request arrived for %s but URLs are built for %s (NEXTAUTH_URL). Redirects and cookies "
                "will point there. If this app is reached through a proxy or another domain, set NEXTAUTH_URL to the "
                "public URL (or AUTH_TRUST_HOST=true / AuthOptions(trust_host=True) when the proxy sets "
                "X-Forwarded-Host and NEXTAUTH_URL is unset).",
                seen,
                url.base,
            )
