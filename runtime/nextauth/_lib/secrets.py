"""The signing secret as every part of the runtime reads it: the handler, ``get_token`` and ``with_auth``."""

from __future__ import annotations

import os

__all__ = ["env_secrets", "split_secrets"]


def split_secrets(raw: str) -> list[str]:
    """A comma separates rotated secrets, the current one first; blanks around and between them are dropped."""
    return [s.strip() for s in raw.split(",") if s.strip()]


def env_secrets() -> list[str]:
    """``NEXTAUTH_SECRET``, else ``AUTH_SECRET`` (an empty value counts as unset), split by :func:`split_secrets`."""
    return split_secrets(os.environ.get("NEXTAUTH_SECRET") or os.environ.get("AUTH_SECRET") or "")
