"""STUB: replaced by the real layout adapters shortly."""

from __future__ import annotations

from typing import Any


class NextAuthHandler:
    def __init__(self, options: Any) -> None:
        self.options = options


def NextAuth(*args: Any) -> Any:  # noqa: N802
    raise NotImplementedError
