"""Your auth code: callbacks and events.

`nextauth init` created this file once and `nextauth generate` never rewrites it: it is
yours. auth_options.py (generated from nextauth.toml) imports these names; keep
them. Do not import auth_options here (it imports this module).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from nextauth import CallbacksOptions, EventsOptions


def redirect(url: str, base_url: str) -> str:
    """Where to send the user after signing in or out.

    A path is resolved against base_url; an absolute URL is allowed only when its origin
    (scheme, host and port) equals base_url's. Never compare with startswith():
    "https://example.com.evil.net".startswith("https://example.com") is True.
    """
    if url.startswith("/"):
        return base_url + url
    target = _origin(url)
    if target is not None and target == _origin(base_url):
        return url
    return base_url


def _origin(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    default_port = 443 if parts.scheme == "https" else 80
    return parts.scheme, parts.hostname.lower(), port or default_port


# Callbacks (sign_in, redirect, jwt, session): plain or async functions that take the
# keyword arguments they name. For example, to put the user id in the session:
#
#     def session(session: dict[str, Any], token: dict[str, Any]) -> dict[str, Any]:
#         session["user"]["id"] = token["sub"]
#         return session
#
# and then: callbacks = CallbacksOptions(session=session)
# Keep tokens out of the JWT: the session cookie must stay under 4 KB.
callbacks = CallbacksOptions(redirect=redirect)

# Events (sign_in, sign_out, create_user, update_user, link_account, session):
# fire-and-forget hooks, e.g. events = EventsOptions(sign_in=audit_sign_in)
events = EventsOptions()
