# Generated from nextauth.toml by `nextauth generate`; your edits survive regeneration.
"""The protected page (/dashboard): only for signed-in users.

middleware.py sends signed-out visitors to the sign-in page before this runs; the
page checks the session too, so that it stays protected if the matcher stops
covering it. A starting point: change it freely. Names are user data: escape them
in HTML.
"""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import quote

from nextauth import ApiRequest, ApiResponse, get_server_session

from auth_options import auth_options

SIGN_IN = "/api/auth/signin"
SIGN_OUT = "/api/auth/signout"
HERE = "/dashboard"


def render(user: dict[str, Any]) -> str:
    name = escape(str(user.get("name") or user.get("email") or "you"))
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Dashboard</title></head>
<body>
<h1>Dashboard</h1>
<p>Welcome, <strong>{name}</strong>. Only signed-in users see this page.</p>
<p><a href="/">Home</a> · <a href="{escape(SIGN_OUT)}">Sign out</a></p>
</body>
</html>
"""


def sign_in_url() -> str:
    return f"{SIGN_IN}?callbackUrl={quote(HERE, safe='')}"


async def handler(req: ApiRequest, res: ApiResponse) -> None:
    if req.method not in ("GET", "HEAD"):
        res.status(405).set_header("Allow", "GET, HEAD").end()
        return
    session = await get_server_session(req, auth_options)
    user = session.get("user") if session else None
    if not isinstance(user, dict):
        res.redirect(307, sign_in_url())
        return
    res.set_header("Content-Type", "text/html; charset=utf-8").send(render(user))
