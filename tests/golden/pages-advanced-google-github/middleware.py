# Generated from nextauth.toml by `nextauth generate`; your edits survive regeneration.
"""Route protection: requests to the paths in ``config`` need a signed-in user.

The project server runs ``middleware`` before every request whose path
``config["matcher"]`` selects, as Next.js runs middleware.ts: signed-out visitors
are redirected (307) to the sign-in page and come back after signing in. The
paths come from [middleware] protect in nextauth.toml. See
docs/protecting-routes.md for the matcher syntax and with_auth's options.
"""

from __future__ import annotations

from nextauth.middleware import with_auth

middleware = with_auth()

config = {"matcher": ["/dashboard/:path*"]}
