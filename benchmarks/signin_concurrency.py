"""Concurrent sign-ins against a real server: sign-ins/second and p50/p95 latency, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/signin_concurrency.py                      # N=50; SQLite, + PostgreSQL if installed
    .venv/bin/python benchmarks/signin_concurrency.py -n 100 --rounds 5
    .venv/bin/python benchmarks/signin_concurrency.py --postgres postgresql://user:pass@host/db   # an existing one
    .venv/bin/python benchmarks/signin_concurrency.py --postgres none

Set-up, as the end-to-end tests (``tests/e2e_db``) build it: ``python -m nextauth.server`` (one uvicorn process)
serving a project with ``SQLAlchemyAdapter`` and database sessions, the real ``oidc-provider-mock`` as the OpenID
provider, and N simulated browsers (one httpx client and cookie jar each) signing in at the same moment:

* ``oauth``: csrf → POST /signin/mock → the provider's authorize form → our callback (a new user, account and
  session row each; the token exchange, id_token check and JWKS are real);
* ``credentials``: csrf → POST /callback/credentials (a JWT cookie; no database work);
* ``mixed``: half and half.

A sign-in's latency runs from its first request to the redirect to its callbackUrl; sign-ins/second is N over the
wall time of a round. Everything shares this machine's cores: the server, the mock provider (itself a Python
process doing RSA signatures), the clients and the database. The throwaway PostgreSQL cluster runs with fsync off.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "runtime"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "e2e_db"))

from e2ekit import Browser, MockProvider, Server, Stack  # noqa: E402  # after the sys.path set-up
from oidcmock import running_mock  # noqa: E402

KINDS = ("oauth", "credentials", "mixed")


async def sign_in(browser: Browser, mock: MockProvider, kind: str, who: str) -> float:
    start = time.perf_counter()
    if kind == "oauth":
        response = await browser.oauth_sign_in(mock, who, callback_url="/done")
    else:
        response = await browser.credentials_sign_in(who, callback_url="/done")
    elapsed = time.perf_counter() - start
    if response.status_code != 302 or response.headers.get("location") != f"{browser.server.url}/done":
        raise RuntimeError(f"{kind} sign-in of {who} failed: {response.status_code} {response.headers.get('location')}")
    return elapsed


async def one_round(server: Server, mock: MockProvider, kind: str, n: int, tag: str) -> tuple[float, list[float]]:
    browsers = [Browser(server) for _ in range(n)]
    plan = []
    for i in range(n):
        this = kind if kind != "mixed" else ("oauth" if i % 2 == 0 else "credentials")
        who = f"bench-{tag}-{i}@example.org" if this == "oauth" else f"bench-{tag}-{i}"
        plan.append((this, who))
    try:
        start = time.perf_counter()
        latencies = await asyncio.gather(*(sign_in(b, mock, k, w) for b, (k, w) in zip(browsers, plan, strict=True)))
        wall = time.perf_counter() - start
    finally:
        await asyncio.gather(*(b.client.aclose() for b in browsers))
    return wall, list(latencies)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def bench_backend(stack: Stack, n: int, rounds: int) -> list[tuple[str, float, float, float]]:
    run = uuid.uuid4().hex[:8]  # new people on every run, even against a database that is kept
    server = stack.start("bench", E2E_EVENTS="", E2E_OUTBOX="")
    rows = []
    try:
        await one_round(server, stack.mock, "mixed", 4, "warmup")  # discovery, JWKS, pools, imports
        for kind in KINDS:
            walls, latencies = [], []
            for r in range(rounds):
                wall, lat = await one_round(server, stack.mock, kind, n, f"{run}-{kind}-{r}")
                walls.append(wall)
                latencies += lat
            rate = n * rounds / sum(walls)
            rows.append((kind, rate, percentile(latencies, 0.5) * 1000, percentile(latencies, 0.95) * 1000))
        if server.errors():
            print(f"  ({stack.backend}: {len(server.errors())} error reports in {server.log_path})", file=sys.stderr)
    finally:
        server.stop()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=50, help="concurrent sign-ins per round (default 50)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per kind (default 3)")
    parser.add_argument("--postgres", default="auto", help="auto (a throwaway cluster if installed), none, or a URL")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    for name in [k for k in os.environ if k.startswith(("NEXTAUTH_", "AUTH_"))]:
        del os.environ[name]

    from fixtures.postgres import postgres_available, running_cluster

    from nextauth.adapters.sqlalchemy import create_schema  # noqa: F401  # fail early if the runtime is missing

    print(
        f"signin_concurrency: N={args.n} concurrent sign-ins x {args.rounds} rounds per kind; "
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    print(f"{'backend':<10} {'kind':<12} {'sign-ins/s':>10} {'p50 ms':>8} {'p95 ms':>8}")
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="nextauth-bench-") as tmp:
        work = Path(tmp)
        mock = stack.enter_context(running_mock(work / "oidc-mock.log", users=[]))
        backends: list[tuple[str, str]] = [("sqlite", f"sqlite:///{work / 'bench.db'}")]
        if args.postgres == "auto" and postgres_available():
            cluster = stack.enter_context(running_cluster())
            backends.append(("postgres", cluster.create_database("nextauth_bench_signin")))
        elif args.postgres not in ("auto", "none"):
            backends.append(("postgres", args.postgres))
        for backend, url in backends:
            (work / backend).mkdir()
            built = Stack(backend, url, work / backend, mock, "smtp://127.0.0.1:1")
            try:
                rows = asyncio.run(bench_backend(built, args.n, args.rounds))
            finally:
                built.close()
            for kind, rate, p50, p95 in rows:
                print(f"{backend:<10} {kind:<12} {rate:>10.1f} {p50:>8.0f} {p95:>8.0f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
