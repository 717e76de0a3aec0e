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

from nextauth import get_server_session
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

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


async def page(request: Request) -> Response:
    session = await get_server_session(request, auth_options)
    user = session.get("user") if session else None
    if not isinstance(user, dict):
        return RedirectResponse(sign_in_url(), status_code=307)
    return HTMLResponse(render(user))
