"""Which session cookie a request uses: next-auth v4's or Auth.js v5's (``jwt.format``).

A new session gets the cookie and token format ``jwt.format`` names (``next-auth.session-token`` for ``"v4"``,
``authjs.session-token`` for ``"v5"``). A request that carries only the other format's cookie (set by a Next.js
front end on the other version, sharing the secret) is read from that cookie, and its session is refreshed,
and signed out, in that cookie and format, so the front end keeps reading it. A session cookie named in
``cookies.session_token`` is used as given: no second cookie is looked for.
"""

from __future__ import annotations

from collections.abc import Mapping

from nextauth._lib.cookies import CookieDef, Cookies, SessionStore, session_cookie_name
from nextauth.options import AuthOptions


def _present(name: str, cookies: Mapping[str, str]) -> bool:
    return any(key == name or key.startswith(name + ".") for key in cookies)


def session_store(options: AuthOptions, cookies: Cookies, request_cookies: Mapping[str, str]) -> SessionStore:
    """The request's session store; ``cookies.session_token`` is updated to the cookie chosen."""
    if options.cookies.session_token is not None:
        return SessionStore(cookies.session_token, request_cookies)
    default = cookies.session_token
    secure = default.name.startswith("__Secure-")
    fmt = options.jwt.format
    other = "v4" if fmt == "v5" else "v5"
    name = session_cookie_name(secure, fmt == "v5")
    if not _present(name, request_cookies) and _present(session_cookie_name(secure, other == "v5"), request_cookies):
        name = session_cookie_name(secure, other == "v5")
    if name != default.name:
        cookies.session_token = CookieDef(name, default.options)
    return SessionStore(cookies.session_token, request_cookies)


def store_format(options: AuthOptions, store: SessionStore) -> str:
    """The format the store's cookie is written in: Auth.js v5's cookie gets v5 tokens, next-auth's v4 ones, a
    cookie of the user's own naming ``jwt.format``."""
    if options.cookies.session_token is not None:
        return options.jwt.format
    name = store.defn.name.removeprefix("__Secure-")
    return "v5" if name == session_cookie_name(False, True) else "v4"
