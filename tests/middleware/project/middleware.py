"""The kit's middleware (options.md): four matcher entries, three with_auth handlers chosen by path."""

from __future__ import annotations

from typing import Any

from nextauth.middleware import (
    MiddlewareRequest,
    MiddlewareResult,
    next_response,
    redirect,
    rewrite,
    with_auth,
)

config = {
    "matcher": [
        "/dashboard/:path*",
        "/api/:path*",
        "/favicon.ico",
        "/((?!api|_next/static|favicon.ico|dashboard|public).*)",
    ]
}


def authorized(token: dict[str, Any] | None, request: MiddlewareRequest) -> bool | None:
    path = request.pathname
    if path.startswith("/admin"):
        return token is not None and token.get("role") == "admin"
    if path.startswith("/open"):
        return True
    if path.startswith("/maybe"):
        return None  # falls back to "is there a token"
    return token is not None


def inner(request: MiddlewareRequest) -> MiddlewareResult:
    token = request.nextauth.token
    role = token.get("role") if token else None
    path = request.pathname
    if path.startswith("/staff") and role not in ("staff", "admin"):
        return redirect("/denied")
    if path.startswith("/editor") and role not in ("editor", "admin"):
        return rewrite("/denied")
    email = token.get("email") if token else None
    return next_response(headers={"x-user-email": email or "anonymous", "x-user-role": role or "none"})


DEFAULT = with_auth
SITE = with_auth(inner, callbacks={"authorized": authorized}, pages={"sign_in": "/login"})
NOSECRET = with_auth({"secret": ""})


async def middleware(request: MiddlewareRequest) -> MiddlewareResult:
    path = request.pathname
    if path.startswith("/nosecret"):
        return await NOSECRET(request)
    if path == "/dashboard" or path.startswith(("/dashboard/", "/api/")) or path == "/favicon.ico":
        return await DEFAULT(request)
    return await SITE(request)
