"""Throughput of the SQLAlchemy adapter: operations/second for the calls a sign-in and a session check make.

    .venv/bin/python benchmarks/adapter.py                       # SQLite, plus a throwaway PostgreSQL if installed
    .venv/bin/python benchmarks/adapter.py --postgres URL        # an existing PostgreSQL database (tables are made)
    .venv/bin/python benchmarks/adapter.py --postgres none --seconds 5

Figures: ``create_user+link_account`` (a first OAuth sign-in's writes), ``get_session_and_user`` (every
session check under the database strategy) and ``update_session`` (a session extension), each with one
coroutine at a time (latency-bound) and with 32 concurrent coroutines (what a busy server does). The
throwaway PostgreSQL cluster runs with fsync off, so its write figures are an upper bound.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import platform
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "runtime"))
sys.path.insert(0, str(ROOT / "tests"))

import sqlalchemy  # noqa: E402  # after the sys.path set-up

from nextauth.adapters.sqlalchemy import SQLAlchemyAdapter, create_schema  # noqa: E402

Op = Callable[[int], Awaitable[Any]]


async def measure(op: Op, seconds: float, concurrency: int) -> float:
    """Operations per second of ``op(n)`` with ``concurrency`` coroutines, over about ``seconds``."""
    for n in range(20):
        await op(-1 - n)  # warm-up (pool connections, statement cache)
    counter = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> int:
        nonlocal counter
        done = 0
        while time.perf_counter() < deadline:
            counter += 1
            await op(counter)
            done += 1
        return done

    start = time.perf_counter()
    total = sum(await asyncio.gather(*(worker() for _ in range(concurrency))))
    return total / (time.perf_counter() - start)


async def bench(name: str, adapter: SQLAlchemyAdapter, seconds: float) -> list[tuple[str, str, int, float]]:
    run = uuid.uuid4().hex[:8]
    owner = await adapter.create_user({"email": f"owner-{run}@example.com"})
    tokens = [f"bench-{run}-{i}" for i in range(200)]
    far = datetime.now(UTC) + timedelta(days=30)
    for token in tokens:
        await adapter.create_session({"session_token": token, "user_id": owner["id"], "expires": far})

    async def sign_up(n: int) -> None:
        tag = f"{run}-{n}-{uuid.uuid4().hex[:6]}"
        user = await adapter.create_user({"name": "Bench", "email": f"{tag}@example.com", "email_verified": None})
        await adapter.link_account(
            {"user_id": user["id"], "type": "oauth", "provider": "github", "provider_account_id": tag,
             "access_token": "gho_" + tag, "token_type": "bearer", "scope": "read:user"}
        )  # fmt: skip

    async def read_session(n: int) -> None:
        found = await adapter.get_session_and_user(tokens[n % len(tokens)])
        assert found is not None

    async def extend_session(n: int) -> None:
        expires = datetime.now(UTC) + timedelta(days=30)
        assert await adapter.update_session({"session_token": tokens[n % len(tokens)], "expires": expires})

    rows = []
    for label, op in (
        ("create_user+link_account", sign_up),
        ("get_session_and_user", read_session),
        ("update_session", extend_session),
    ):
        for concurrency in (1, 32):
            rate = await measure(op, seconds, concurrency)
            rows.append((name, label, concurrency, rate))
            print(f"  {name:<16} {label:<26} x{concurrency:<3} {rate:>9,.0f} ops/s", flush=True)
    return rows


@contextmanager
def postgres(choice: str) -> Iterator[str | None]:
    if choice == "none":
        yield None
        return
    if choice != "auto":
        yield choice
        return
    from fixtures.postgres import postgres_available, running_cluster

    if not postgres_available():
        print("(PostgreSQL is not installed: SQLite only; `apt-get install postgresql` or --postgres URL)")
        yield None
        return
    try:
        with running_cluster() as cluster:
            yield cluster.create_database("nextauth_bench")
    except RuntimeError as exc:
        print(f"(no PostgreSQL: {exc})")
        yield None


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="seconds per figure (default 2)")
    parser.add_argument("--postgres", default="auto", help="a database URL, 'auto' (throwaway cluster) or 'none'")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    print(f"Python {platform.python_version()}, SQLAlchemy {sqlalchemy.__version__}, {platform.machine()}")
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        pg_url = stack.enter_context(postgres(args.postgres))
        backends: list[tuple[str, str]] = [("sqlite (file)", f"sqlite:///{folder / 'bench.db'}")]
        if pg_url:
            backends.append(("postgres", pg_url))
            backends.append(("postgres async", pg_url.replace("+psycopg://", "+psycopg_async://", 1)))
        for name, url in backends:
            if "async" not in name:
                create_schema(url)
            adapter = SQLAlchemyAdapter(url)
            try:
                await bench(name, adapter, args.seconds)
            finally:
                await adapter.aclose()


if __name__ == "__main__":
    asyncio.run(main())
