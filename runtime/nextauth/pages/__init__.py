"""The built-in pages: sign-in, sign-out, error and verify-request, as complete HTML documents.

Pure functions (no I/O): the core resolves every value (CSRF token, callback URL, query parameters) and
these render it, escaped, with one small inline stylesheet and the theme's colours. No script, and no
external request apart from the provider and theme logos, which may fail to load without harm.
"""

from __future__ import annotations

from nextauth.pages.error import render_error
from nextauth.pages.signin import render_signin
from nextauth.pages.signout import render_signout
from nextauth.pages.verify_request import render_verify_request

__all__ = ["render_error", "render_signin", "render_signout", "render_verify_request"]
