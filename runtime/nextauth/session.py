"""``get_server_session``: the session for your own server code, without an HTTP round trip."""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Any

from nextauth._core.dispatch import Core
from nextauth._core.init import Prepared
from nextauth._core.next import NextAuthHandler, build_request, header_dict
from nextauth._lib.cookies import request_cookies, serialize
from nextauth.api import ApiResponse
from nextauth.options import AuthOptions

__all__ = ["get_server_session"]

_CORES: dict[int, tuple[weakref.ref[Any], Core]] = {}


def _core_for(options: AuthOptions | NextAuthHandler | Mapping[str, Any]) -> Core:
    if isinstance(options, NextAuthHandler):
        return options.core
    key = id(options)
    cached = _CORES.get(key)
    if cached is not None and cached[0]() is options:
        return cached[1]
    core = Core(Prepared(options))

    def forget(_ref: weakref.ref[Any], cores: dict[int, Any] = _CORES) -> None:
        cores.pop(key, None)  # a bound default: module globals may be gone at interpreter exit

    try:
        ref = weakref.ref(options, forget)
    except TypeError:  # a plain dict cannot be weakly referenced: no caching
        return core
    _CORES[key] = (ref, core)
    return core


async def get_server_session(
    request: Any,
    options: AuthOptions | NextAuthHandler | Mapping[str, Any],
    *,
    response: Any = None,
) -> dict[str, Any] | None:
    """The session of ``request`` (as ``GET /api/auth/session`` would answer it), or ``None``.

    ``request`` is a Starlette/FastAPI ``Request`` or an :class:`~nextauth.api.ApiRequest`; ``options`` the
    same options (or handler) the auth route uses. Pass the outgoing ``response`` (Starlette ``Response`` or
    ``ApiResponse``) to also send the refreshed session cookie, as next-auth's ``getServerSession(req, res, ...)``.
    """
    core = _core_for(options)
    headers = header_dict(getattr(request, "headers", None))  # one pass: dict(Headers) is quadratic
    auth_request = build_request("GET", ["session"], {}, None, request_cookies(request), headers)
    result = await core.handle(auth_request)
    if response is not None and result.cookies:
        lines = [serialize(c) for c in result.cookies]
        if isinstance(response, ApiResponse):
            response.append_header("Set-Cookie", lines)
        else:
            for line in lines:
                response.raw_headers.append((b"set-cookie", line.encode("latin-1")))
    body = result.body
    if isinstance(body, dict) and body and result.status in (None, 200):
        return body
    return None
