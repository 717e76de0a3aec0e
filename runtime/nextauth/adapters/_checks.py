"""Argument checks shared by the built-in adapters, so that they refuse the same input with the same error."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def required(method: str, values: Mapping[str, Any], *names: str) -> None:
    """``ValueError`` naming each of ``names`` that ``values`` lacks (absent, ``None`` or ``""``)."""
    missing = [name for name in names if values.get(name) in (None, "")]
    if missing:
        raise ValueError(f"{method}: missing {', '.join(missing)}")
