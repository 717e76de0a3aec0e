# Generated from nextauth.toml by `nextauth generate`; your edits survive regeneration.
"""Every request under /api/auth/ (advanced initialization: your code runs first).

``context.params["nextauth"]`` holds the path segments after /api/auth/, e.g.
``["callback", "github"]``. See docs/layouts/app.md.
"""

from __future__ import annotations

from nextauth import NextAuth, RouteContext
from starlette.requests import Request
from starlette.responses import Response

from auth_options import auth_options


async def GET(request: Request, context: RouteContext) -> Response:
    # ---- your code: act on the request before NextAuth handles it (log it, read a
    # ---- cookie, choose the options). Changing NextAuth's cookies can open holes.
    return await NextAuth(request, context, auth_options)


async def POST(request: Request, context: RouteContext) -> Response:
    # ---- your code, e.g.:
    # if "callback" in context.params["nextauth"]:
    #     log.info("callback from my identity provider")
    return await NextAuth(request, context, auth_options)
