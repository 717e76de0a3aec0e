# Generated from nextauth.toml by `nextauth generate`; your edits survive regeneration.
"""Route protection: requests to the paths in ``config`` need a signed-in user.

The project server runs ``middleware`` before every request whose path
``config["matcher"]`` selects, as Next.js runs middleware.ts: signed-out visitors
are redirected (307) to the sign-in page and come back after signing in. The
paths come from [middleware] protect in nextauth.toml. See
docs/protecting-routes.md for the matcher syntax and with_auth's options.
"""

from __future__ import annotations

from nextauth import get_server_session
from nextauth.middleware import MiddlewareRequest, with_auth

from auth_options import auth_options


async def authorized(request: MiddlewareRequest) -> bool:
    # Database sessions: the cookie holds a session id, not a JWT, so ask the database.
    return await get_server_session(request, auth_options) is not None


middleware = with_auth(callbacks={"authorized": authorized})

config = {"matcher": ["/dashboard/:path*"]}
