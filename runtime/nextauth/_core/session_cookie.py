"""Which session cookie a request uses: next-auth v4's or Auth.js v5's (``jwt.format``).

A new session gets the cookie and token format ``jwt.format`` names (``next-auth.session-token`` for ``"v4"``,
``authjs.session-token`` for ``"v5"``). A request that carries only the other format's cookie (set by a Next.js
front end on the other version, sharing the secret) is read from that cookie, and its session is refreshed,
and signed out, in that cookie and format, so the front end keeps reading it. A session cookie named in
``cookies.session_token`` is used as given: no second cookie is looked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from nextauth._lib.cookies import CookieDef, Cookies, SessionStore, session_cookie_name
from nextauth.options import AuthOptions


def _present(name: str, cookies: Mapping[str, str]) -> bool:
    """Whether the cookie, or a chunk of it (``name.0``, ...), arrived."""
    if name in cookies:
        return True
    prefix = name + "."
    return any(key.startswith(prefix) for key in cookies)


def session_store(
    options: AuthOptions, cookies: Cookies, request_cookies: Mapping[str, str]
) -> tuple[SessionStore, Cookies]:
    """The request's session store, and ``cookies`` with its ``session_token`` naming the cookie chosen (a copy
    when that differs: ``cookies`` is shared between requests and never changed)."""
    if options.cookies.session_token is not None:
        return SessionStore(cookies.session_token, request_cookies), cookies
    default = cookies.session_token
    secure = default.name.startswith("__Secure-")
    v5 = options.jwt.format == "v5"
    name = session_cookie_name(secure, v5)
    if request_cookies and not _present(name, request_cookies):
        other = session_cookie_name(secure, not v5)
        if _present(other, request_cookies):
            name = other
    if name != default.name:
        cookies = replace(cookies, session_token=CookieDef(name, default.options))
    return SessionStore(cookies.session_token, request_cookies), cookies


def store_format(options: AuthOptions, store: SessionStore) -> str:
    """The format the store's cookie is written in: Auth.js v5's cookie gets v5 tokens, next-auth's v4 ones, a
    cookie of the user's own naming ``jwt.format``."""
    if options.cookies.session_token is not None:
        return options.jwt.format
    name = store.defn.name.removeprefix("__Secure-")
    return "v5" if name == session_cookie_name(False, True) else "v4"
