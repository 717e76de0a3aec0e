"""Fixed-window counters for the brute-force limits (issue 17), kept in this process' memory.

A counter is named by a key (a digest the pipeline makes, never a raw identifier) and lives in windows of
``window`` seconds aligned on the epoch: ``hit`` adds one to the current window's count and returns it. A
store shared by several processes (the SQLAlchemy adapter's ``hit_rate_limit``) has the same two methods.
"""

from __future__ import annotations

import threading
from typing import Protocol, runtime_checkable

MAX_KEYS = 100_000
"""Beyond this many live counters the oldest windows are dropped first (memory stays bounded under a flood)."""


@runtime_checkable
class RateLimitStore(Protocol):
    async def hit(self, key: str, window: int, now: float) -> int: ...
    async def reset(self, key: str, window: int, now: float) -> None: ...


def bucket_of(key: str, window: int, now: float) -> tuple[str, int]:
    """The row name of ``key``'s current window and the second that window ends."""
    bucket = int(now // window)
    return f"{key}:{window}:{bucket}", (bucket + 1) * window


class MemoryRateLimitStore:
    """Counters in a dict, for one process (the default when no database is configured)."""

    def __init__(self) -> None:
        self._counts: dict[str, tuple[int, int]] = {}  # row -> (count, window end)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"MemoryRateLimitStore({len(self._counts)} counters)"

    async def hit(self, key: str, window: int, now: float) -> int:
        row, ends = bucket_of(key, window, now)
        with self._lock:
            if len(self._counts) >= MAX_KEYS:
                self._prune(now)
            count = self._counts.get(row, (0, ends))[0] + 1
            self._counts[row] = (count, ends)
            return count

    async def reset(self, key: str, window: int, now: float) -> None:
        row, _ = bucket_of(key, window, now)
        with self._lock:
            self._counts.pop(row, None)

    def _prune(self, now: float) -> None:
        for row in [r for r, (_, ends) in self._counts.items() if ends <= now]:
            del self._counts[row]
        while len(self._counts) >= MAX_KEYS:  # all live: drop the oldest inserted
            del self._counts[next(iter(self._counts))]
