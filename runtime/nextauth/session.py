"""STUB: replaced shortly."""

from __future__ import annotations

from typing import Any


async def get_server_session(*args: Any, **kwargs: Any) -> Any:
    raise NotImplementedError
