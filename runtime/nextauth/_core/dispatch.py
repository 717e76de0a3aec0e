"""The framework-free core: one request in, one response out (next-auth's ``AuthHandler``).

It runs ``init`` (the one request set-up: origin, secrets, assertions, CSRF, callback URL), then dispatches on
``(method, action)`` through one table whose routes declare their CSRF and provider gates, and answers every
other pair with next-auth's uniform 400. Every action is ``async def action(internal) -> AuthResponse``.
Cookies set by ``init`` go first on every action response except ``providers``, ``_log`` and the 400.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from nextauth._core.actions._common import json_response
from nextauth._core.actions.callback import callback
from nextauth._core.actions.csrf import csrf
from nextauth._core.actions.log import log as client_log
from nextauth._core.actions.pages import error_page, signin_page, signout_page, verify_request_page
from nextauth._core.actions.providers import providers
from nextauth._core.actions.session import session, update_session
from nextauth._core.actions.signin import signin
from nextauth._core.actions.signout import signout
from nextauth._core.init import Internal, Prepared, detect_origin, init
from nextauth._lib.hosts import HostNotAllowedError
from nextauth._lib.types import AuthRequest, AuthResponse
from nextauth._lib.url import parse_url
from nextauth.errors import ConfigurationError

log = logging.getLogger("nextauth")

HTML_ACTIONS = frozenset({"signin", "signout", "error", "verify-request"})
CONFIG_ERROR_MESSAGE = "There is a problem with the server configuration. Check the server logs for more information."

Action = Callable[[Internal], Awaitable[AuthResponse]]
Refusal = Callable[[Internal], AuthResponse]


def to_signin(internal: Internal) -> AuthResponse:
    return AuthResponse(redirect=f"{internal.url.base}/signin?csrf=true")


def to_signout(internal: Internal) -> AuthResponse:
    return AuthResponse(redirect=f"{internal.url.base}/signout?csrf=true")


def bad_request(_internal: Internal) -> AuthResponse:
    return json_response({}, status=400)


@dataclass(frozen=True, slots=True)
class Route:
    action: Action
    csrf: Refusal | None = None
    """The answer to a request whose CSRF token is not verified (next-auth's ``csrfTokenVerified`` gates)."""
    csrf_only_for: str | None = None
    """Check CSRF only when the action's provider is of this type (next-auth checks the credentials callback)."""
    needs_provider: bool = False
    """The route exists only for a configured provider: without one the request gets the uniform 400."""
    no_provider: Refusal | None = None
    """The answer when the request names no configured provider (a refusal: ``init``'s cookies go with it)."""
    init_cookies: bool = True
    """Whether the CSRF and callback-URL cookies ``init`` made go first on the response."""

    def refusal(self, internal: Internal) -> AuthResponse | None:
        if self.no_provider is not None and internal.provider is None:
            return self.no_provider(internal)
        if self.csrf is None or internal.csrf_verified:
            return None
        if self.csrf_only_for is not None and (
            internal.provider is None or internal.provider.type != self.csrf_only_for
        ):
            return None
        return self.csrf(internal)


ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "providers"): Route(providers, init_cookies=False),
    ("GET", "session"): Route(session),
    ("GET", "csrf"): Route(csrf),
    ("GET", "signin"): Route(signin_page),
    ("GET", "signout"): Route(signout_page),
    ("GET", "callback"): Route(callback, needs_provider=True),
    ("GET", "verify-request"): Route(verify_request_page),
    ("GET", "error"): Route(error_page),
    ("POST", "signin"): Route(signin, csrf=to_signin, no_provider=to_signin),
    ("POST", "signout"): Route(signout, csrf=to_signout),
    ("POST", "callback"): Route(callback, csrf=to_signin, csrf_only_for="credentials", needs_provider=True),
    ("POST", "session"): Route(update_session, csrf=bad_request),
    ("POST", "_log"): Route(client_log, init_cookies=False),
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
        try:
            internal = await init(prepared, request, pages_path=pages_path)
        except HostNotAllowedError as exc:
            return host_not_allowed(request, exc)
        except ConfigurationError as exc:
            await prepared.logger.error(exc.code, exc)
            return await self._config_error(request)
        route = ROUTES.get((request.method, request.action or ""))
        if route is None or (route.needs_provider and internal.provider is None):
            return unsupported(request)
        response = route.refusal(internal) or await route.action(internal)
        for level, code, metadata in internal.store.log_entries:  # what writing the session cookie had to report
            await (prepared.logger.error if level == "error" else prepared.logger.debug)(code, metadata)
        if route.init_cookies:
            response.cookies[:0] = internal.init_cookies
        return response

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
