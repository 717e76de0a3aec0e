# Generated from nextauth.toml by `nextauth generate`; your edits survive regeneration.
"""The home page (/): who is signed in (name, email), with sign-in and sign-out links.

A starting point: change it freely (`nextauth generate` merges its own changes
into yours). Names and email addresses are user data: escape them in HTML.
"""

from __future__ import annotations

from html import escape
from typing import Any

from nextauth import get_server_session
from starlette.requests import Request

from auth_options import auth_options

SIGN_IN = "/api/auth/signin"
SIGN_OUT = "/api/auth/signout"


def render(user: dict[str, Any] | None) -> str:
    if user is None:
        status = "<p>You are not signed in.</p>"
        links = f'<a href="{escape(SIGN_IN)}">Sign in</a>'
    else:
        name = escape(str(user.get("name") or "(no name)"))
        email = escape(str(user.get("email") or "(no email)"))
        status = f"<p>Signed in as <strong>{name}</strong> ({email}).</p>"
        sign_out = f'<a href="{escape(SIGN_OUT)}">Sign out</a>'
        links = f'<a href="/dashboard">Dashboard</a> · {sign_out}'
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Home</title></head>
<body>
<h1>Home</h1>
{status}
<p>{links}</p>
</body>
</html>
"""


async def page(request: Request) -> str:
    session = await get_server_session(request, auth_options)
    user = session.get("user") if session else None
    return render(user if isinstance(user, dict) else None)
