"""The SQLAlchemy adapter's rate-limit counters (issue 17): one count per hit and window, atomic under
concurrent hits from separate engines (as separate processes have), and a reset per window."""

from __future__ import annotations

import asyncio
from typing import Any

from nextauth._lib.rate_limit import MemoryRateLimitStore

NOW = 1_800_000_000.0


async def test_counts_per_window_and_reset(sql_adapter: Any) -> None:
    assert [await sql_adapter.hit_rate_limit("k", 900, NOW + i) for i in range(3)] == [1, 2, 3]
    assert await sql_adapter.hit_rate_limit("other", 900, NOW) == 1
    assert await sql_adapter.hit_rate_limit("k", 900, NOW + 900) == 1  # the next window starts again
    await sql_adapter.reset_rate_limit("k", 900, NOW + 900)
    assert await sql_adapter.hit_rate_limit("k", 900, NOW + 901) == 1
    assert await sql_adapter.hit_rate_limit("k", 900, NOW + 5) == 4  # the first window's row is still there


async def test_concurrent_hits_are_all_counted(sql_adapter: Any) -> None:
    counts = await asyncio.gather(*(sql_adapter.hit_rate_limit("burst", 900, NOW) for _ in range(20)))
    assert sorted(counts) == list(range(1, 21))


async def test_the_memory_store_counts_the_same_way() -> None:
    store = MemoryRateLimitStore()
    assert [await store.hit("k", 900, NOW + i) for i in range(3)] == [1, 2, 3]
    assert await store.hit("k", 900, NOW + 900) == 1
    await store.reset("k", 900, NOW + 900)
    assert await store.hit("k", 900, NOW + 900) == 1
