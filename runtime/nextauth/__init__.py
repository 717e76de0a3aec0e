"""nextauth: NextAuth.js v4's REST API for Python, wire-compatible with next-auth 4.24.

from nextauth import NextAuth, AuthOptions
from nextauth.providers.credentials import CredentialsProvider

handler = NextAuth(AuthOptions(providers=[CredentialsProvider(authorize=...)]))
GET = POST = handler            # app/api/auth/[...nextauth]/route.py
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nextauth.__about__ import __version__

if TYPE_CHECKING:
    from nextauth._core.next import NextAuth, NextAuthHandler
    from nextauth.api import ApiRequest, ApiResponse, RouteContext
    from nextauth.jwt import get_token
    from nextauth.options import (
        AuthOptions,
        CallbacksOptions,
        CookieOption,
        CookiesOptions,
        EventsOptions,
        JWTOptions,
        LoggerOptions,
        PagesOptions,
        SessionOptions,
        ThemeOptions,
    )
    from nextauth.session import get_server_session

__all__ = [
    "ApiRequest",
    "ApiResponse",
    "AuthOptions",
    "CallbacksOptions",
    "CookieOption",
    "CookiesOptions",
    "EventsOptions",
    "JWTOptions",
    "LoggerOptions",
    "NextAuth",
    "NextAuthHandler",
    "PagesOptions",
    "RouteContext",
    "SessionOptions",
    "ThemeOptions",
    "__version__",
    "get_server_session",
    "get_token",
]

# The names load on first use (PEP 562): `import nextauth._lib.matcher` or `nextauth.errors` (the CLI,
# nextauth --help) must not pay for the whole runtime (Starlette, httpx, the pipeline).
_LAZY = {
    "NextAuth": "nextauth._core.next",
    "NextAuthHandler": "nextauth._core.next",
    "ApiRequest": "nextauth.api",
    "ApiResponse": "nextauth.api",
    "RouteContext": "nextauth.api",
    "get_token": "nextauth.jwt",
    "AuthOptions": "nextauth.options",
    "CallbacksOptions": "nextauth.options",
    "CookieOption": "nextauth.options",
    "CookiesOptions": "nextauth.options",
    "EventsOptions": "nextauth.options",
    "JWTOptions": "nextauth.options",
    "LoggerOptions": "nextauth.options",
    "PagesOptions": "nextauth.options",
    "SessionOptions": "nextauth.options",
    "ThemeOptions": "nextauth.options",
    "get_server_session": "nextauth.session",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'nextauth' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # once: later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
