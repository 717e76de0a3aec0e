"""The signing secret as every part of the runtime reads it: the handler, ``get_token`` and ``with_auth``."""

from __future__ import annotations

import os
from functools import lru_cache

__all__ = ["env_secrets", "split_secrets"]


def split_secrets(raw: str) -> list[str]:
    """A comma separates rotated secrets, the current one first; blanks around and between them are dropped."""
    return [s.strip() for s in raw.split(",") if s.strip()]


@lru_cache(maxsize=8)
def _split_once(raw: str) -> tuple[str, ...]:
    return tuple(split_secrets(raw))


def env_secrets() -> list[str]:
    """``NEXTAUTH_SECRET``, else ``AUTH_SECRET`` (an empty value counts as unset), split by :func:`split_secrets`.

    Read from the environment on every call (a changed variable takes effect at once); the split is cached by
    the raw value."""
    return list(_split_once(os.environ.get("NEXTAUTH_SECRET") or os.environ.get("AUTH_SECRET") or ""))
