# Generated from nextauth.toml by `nextauth generate`; your edits survive regeneration.
"""Auth options of this project, built from nextauth.toml.

The catch-all route hands ``auth_options`` to NextAuth. Import it in your own server
code too: ``session = await get_server_session(request, auth_options)``. Your own code
(``authorize``, callbacks, events) lives in auth_callbacks.py, which is yours.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from nextauth import AuthOptions, CookieOption, CookiesOptions, SessionOptions
from nextauth.env import optional, require
from nextauth.options import CookieOptions
from nextauth.providers.github import GitHubProvider
from nextauth.providers.google import GoogleProvider

import auth_callbacks

COOKIE_DOMAIN = "example.com"


def _cookies() -> CookiesOptions:
    """The session cookie, shared with every subdomain of COOKIE_DOMAIN.

    Only when NEXTAUTH_URL is on that domain, so that http://localhost keeps working.
    """
    url = urlsplit(optional("NEXTAUTH_URL") or "")
    host = (url.hostname or "").lower()
    if host != COOKIE_DOMAIN and not host.endswith("." + COOKIE_DOMAIN):
        return CookiesOptions()
    secure = url.scheme == "https"
    return CookiesOptions(
        session_token=CookieOption(
            name=("__Secure-" if secure else "") + "next-auth.session-token",
            options=CookieOptions(secure=secure, domain="." + COOKIE_DOMAIN),
        )
    )


auth_options = AuthOptions(
    providers=[
        GoogleProvider(
            client_id=require("GOOGLE_CLIENT_ID"),
            client_secret=require("GOOGLE_CLIENT_SECRET"),
        ),
        GitHubProvider(
            client_id=require("GITHUB_ID"), client_secret=require("GITHUB_SECRET")
        ),
    ],
    session=SessionOptions(strategy="jwt"),
    cookies=_cookies(),
    callbacks=auth_callbacks.callbacks,
    events=auth_callbacks.events,
)
