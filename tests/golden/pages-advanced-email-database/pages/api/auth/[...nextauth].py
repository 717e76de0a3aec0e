# Generated from nextauth.toml by `nextauth generate`; your edits survive regeneration.
"""Every request under /api/auth/ (advanced initialization: your code runs first).

``req.query["nextauth"]`` holds the path segments after /api/auth/, e.g.
``["callback", "github"]``. See docs/layouts/pages.md.
"""

from __future__ import annotations

from nextauth import ApiRequest, ApiResponse, NextAuth

from auth_options import auth_options


async def handler(req: ApiRequest, res: ApiResponse) -> None:
    # ---- your code: act on the request before NextAuth handles it (log it, read a
    # ---- cookie, choose the options). Changing NextAuth's cookies can open holes.
    # if "callback" in req.query["nextauth"] and req.method == "POST":
    #     log.info("callback from my identity provider")
    # NextAuth ends the response: return its result and do nothing after it.
    return await NextAuth(req, res, auth_options)
