"""Reading configuration from the environment with errors that say what to do.

Generated option modules use :func:`require` for provider credentials, so a missing variable stops
the server at startup with ``GITHUB_SECRET is not set: ...`` instead of failing on the first sign-in.
"""

from __future__ import annotations

import os

from nextauth.errors import ConfigurationError

__all__ = ["optional", "require"]


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
