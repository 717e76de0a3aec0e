"""Route protection: next-auth's ``withAuth`` middleware for Python, and the helpers a middleware returns.

A project's root ``middleware.py`` is run by the project server (``nextauth dev``/``start``) before
every request whose path its ``config["matcher"]`` selects, as Next.js runs ``middleware.ts``::

    # middleware.py
    from nextauth.middleware import with_auth as middleware

    config = {"matcher": ["/dashboard/:path*"]}

A middleware is ``middleware(request)``, sync or async, given a :class:`MiddlewareRequest`; it returns

* ``None`` or :func:`next_response` (optionally with response headers): the request goes on;
* :func:`redirect`: a redirect (``307`` unless told otherwise);
* :func:`rewrite`: the request is answered by another path of the project (the URL does not change);
* any Starlette ``Response``: that is the answer.

:func:`with_auth` has ``withAuth``'s three forms: ``with_auth`` itself is a middleware;
``with_auth(options)`` makes one; ``with_auth(inner, options)`` runs ``inner`` once the request is
authorised, with the decoded token in ``request.nextauth.token``. In any Starlette or FastAPI
application, :class:`NextAuthMiddleware` applies the same matcher and middleware. See
``docs/protecting-routes.md``.
"""

from __future__ import annotations

from nextauth._lib.matcher import MatcherError
from nextauth.middleware._asgi import NextAuthMiddleware
from nextauth.middleware._request import MiddlewareRequest, NextAuthState
from nextauth.middleware._results import MiddlewareResult, Next, Redirect, Rewrite, next_response, redirect, rewrite
from nextauth.middleware._with_auth import (
    DEFAULT_ERROR_PAGE,
    DEFAULT_SIGN_IN_PAGE,
    WithAuthCallbacks,
    WithAuthOptions,
    with_auth,
)

__all__ = [
    "DEFAULT_ERROR_PAGE",
    "DEFAULT_SIGN_IN_PAGE",
    "MatcherError",
    "MiddlewareRequest",
    "MiddlewareResult",
    "Next",
    "NextAuthMiddleware",
    "NextAuthState",
    "Redirect",
    "Rewrite",
    "WithAuthCallbacks",
    "WithAuthOptions",
    "next_response",
    "redirect",
    "rewrite",
    "with_auth",
]
