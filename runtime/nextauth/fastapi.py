"""FastAPI dependencies that protect a route with the session, as next-auth's ``getServerSession`` sees it.

::

    from fastapi import Depends, FastAPI

    from nextauth.fastapi import Session, SessionGuard

    guard = SessionGuard(auth_options)  # the options of the auth route


    @app.get("/dashboard")
    async def dashboard(session: Session = Depends(guard.require_session)) -> dict[str, object]:
        return {"hello": session["user"]["name"]}

Three dependencies, one per behaviour; which one a route uses is your choice (nothing is guessed from the
request's ``Accept`` header):

* :meth:`SessionGuard.require_session` (pages): the session, or a ``307`` to the sign-in page with a
  ``callbackUrl`` back to the requested URL, as ``with_auth`` redirects;
* :meth:`SessionGuard.require_api_session` (APIs): the session, or ``401`` with a JSON body and a
  ``WWW-Authenticate`` header;
* :meth:`SessionGuard.optional_session`: the session or ``None``.

The answers are Starlette ``HTTPException``\\ s, which FastAPI (and Starlette) turn into responses with their
exception handlers. A refreshed session cookie is set on the response FastAPI builds from your return
value (when your route returns a ``Response`` itself, set it with ``get_server_session(..., response=...)``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, TypeAlias

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from nextauth._core.next import NextAuthHandler
from nextauth._lib.cookies import session_cookie_name
from nextauth._lib.url import parse_url
from nextauth.middleware import MiddlewareRequest
from nextauth.middleware._request import form_encode
from nextauth.middleware._with_auth import auth_path
from nextauth.options import AuthOptions
from nextauth.session import get_server_session

__all__ = ["Session", "SessionGuard"]

Session: TypeAlias = dict[str, Any]
"""What ``/api/auth/session`` answers for a signed-in user: ``{"user": {...}, "expires": "..."}``."""


class SessionGuard:
    """FastAPI dependencies for one set of auth options (or the handler ``NextAuth(options)`` returned).

    ``sign_in_page`` is where :meth:`require_session` sends a visitor without a session; it defaults to the
    options' ``pages.sign_in``, else the built-in page under the auth path of ``NEXTAUTH_URL``
    (``/api/auth/signin``). ``realm`` goes into the ``WWW-Authenticate`` challenge of the API variant.
    """

    def __init__(
        self,
        options: AuthOptions | NextAuthHandler | Mapping[str, Any],
        *,
        sign_in_page: str | None = None,
        realm: str = "nextauth",
    ) -> None:
        if not isinstance(options, AuthOptions | NextAuthHandler | Mapping):
            raise TypeError(f"SessionGuard needs the auth options (or NextAuth(options)), not {type(options).__name__}")
        if '"' in realm or "\\" in realm or any(ord(c) < 0x20 for c in realm):
            raise ValueError("realm must not contain quotes, backslashes or control characters")
        # A dict becomes AuthOptions once, so the session reader is built once for this guard.
        self.options = AuthOptions.from_mapping(options) if isinstance(options, Mapping) else options
        self._sign_in_page = sign_in_page
        self.realm = realm

    def __repr__(self) -> str:
        return f"SessionGuard(sign_in_page={self.sign_in_page!r})"

    @property
    def sign_in_page(self) -> str:
        if self._sign_in_page:
            return self._sign_in_page
        return self._auth_options().pages.sign_in or f"{auth_path(os.environ.get('NEXTAUTH_URL'))}/signin"

    def _auth_options(self) -> AuthOptions:
        return self.options.options if isinstance(self.options, NextAuthHandler) else self.options

    def _cookie_name(self) -> str:
        options = self._auth_options()
        cookie = options.cookies.session_token
        if cookie is not None and cookie.name:
            return cookie.name
        secure = options.use_secure_cookies
        if secure is None:
            # the rule the handler's cookies follow (_core/init.resolve_cookies): NEXTAUTH_URL as next-auth parses it,
            # so a schemeless value counts as https there and here alike
            secure = parse_url(os.environ.get("NEXTAUTH_URL")).base.startswith("https://")
        return session_cookie_name(secure)

    def sign_in_url(self, request: Request) -> str:
        """The sign-in page with a ``callbackUrl`` to the requested path and query (as ``with_auth`` builds it)."""
        where = MiddlewareRequest(request.scope)
        page = self.sign_in_page
        target = page if "://" in page else where.base_path + page
        back = f"{where.base_path}{where.pathname}{where.search}"
        return f"{target}{'&' if '?' in target else '?'}callbackUrl={form_encode(back)}"

    async def optional_session(self, request: Request, response: Response) -> Session | None:
        """The session, or ``None`` when the request has none."""
        return await get_server_session(request, self.options, response=response)

    async def require_session(self, request: Request, response: Response) -> Session:
        """The session; without one, a ``307`` redirect to the sign-in page (for pages)."""
        session = await get_server_session(request, self.options, response=response)
        if session is None:
            location = self.sign_in_url(request)
            raise HTTPException(307, detail="Sign in to see this page", headers={"Location": location})
        return session

    async def require_api_session(self, request: Request, response: Response) -> Session:
        """The session; without one, ``401`` with ``{"detail": "Not authenticated"}`` (for APIs).

        The ``WWW-Authenticate`` challenge names the session cookie and the sign-in page (the ``Cookie``
        scheme of draft-broyer-http-cookie-auth): ``Cookie realm="nextauth",
        form-action="/api/auth/signin", cookie-name="next-auth.session-token"``.
        """
        session = await get_server_session(request, self.options, response=response)
        if session is None:
            challenge = (
                f'Cookie realm="{self.realm}", form-action="{self.sign_in_page}", cookie-name="{self._cookie_name()}"'
            )
            raise HTTPException(401, detail="Not authenticated", headers={"WWW-Authenticate": challenge})
        return session
