"""nextauth: NextAuth.js v4's REST API for Python, wire-compatible with next-auth 4.24.

from nextauth import NextAuth, AuthOptions
from nextauth.providers.credentials import CredentialsProvider

handler = NextAuth(AuthOptions(providers=[CredentialsProvider(authorize=...)]))
GET = POST = handler            # app/api/auth/[...nextauth]/route.py
"""

from __future__ import annotations

from nextauth.__about__ import __version__
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
