"""Reading configuration from the environment with errors that say what to do.

Generated option modules use :func:`require` for provider credentials, so a missing variable stops
the server at startup with ``GITHUB_SECRET is not set: ...`` instead of failing on the first sign-in.
"""

from __future__ import annotations

import os

from nextauth.errors import ConfigurationError

__all__ = ["auth_url", "optional", "origin", "require"]


def require(name: str, *, hint: str | None = None) -> str:
    """The value of the environment variable ``name``; a :class:`ConfigurationError` if it is unset or empty."""
    value = os.environ.get(name, "").strip()
    if not value:
        where = hint or "add it to .env.local in the project directory (or to the server's environment) and restart"
        raise ConfigurationError(f"{name} is not set: {where}")
    return value


def optional(name: str, default: str | None = None) -> str | None:
    """The value of ``name``, or ``default`` when it is unset or empty."""
    value = os.environ.get(name, "").strip()
    return value or default


def origin() -> str:
    """The site's origin as the runtime computes it from ``NEXTAUTH_URL`` (``https://example.com``; no path, no
    trailing slash; ``http://localhost:3000`` when it is unset): what ``base_url`` is in the redirect callback
    and what relative ``callbackUrl`` values are resolved against. A :class:`ConfigurationError` if
    ``NEXTAUTH_URL`` is not an absolute http(s) URL."""
    from nextauth._lib.url import parse_url

    return parse_url(os.environ.get("NEXTAUTH_URL")).origin


def auth_url() -> str:
    """The base URL of the auth routes from ``NEXTAUTH_URL`` (``https://example.com/api/auth`` by default):
    ``f"{auth_url()}/signin"`` is the sign-in page."""
    from nextauth._lib.url import parse_url

    return parse_url(os.environ.get("NEXTAUTH_URL")).base
