"""Brute-force limit counters shared by two real server processes (uvicorn) on one database (issue 17).

The project's clock is the wall clock plus an offset read from a file, so the test moves time for both
processes without sleeping."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from e2ekit import Server

from nextauth.adapters.sqlalchemy import upgrade_schema

pytestmark = pytest.mark.slow

AUTH_OPTIONS = """
import os
import time
from pathlib import Path

from nextauth import AuthOptions
from nextauth.adapters.sqlalchemy import SQLAlchemyAdapter
from nextauth.options import RateLimitOptions
from nextauth.providers import CredentialsProvider

CLOCK = Path(os.environ["E2E_CLOCK"])


def clock() -> float:
    return time.time() + float(CLOCK.read_text() or 0)


def authorize(credentials):
    if credentials.get("username") == "alice" and credentials.get("password") == "wonderland":
        return {"id": "1", "name": "Alice"}
    return None


auth_options = AuthOptions(
    providers=[CredentialsProvider(credentials={"username": {}, "password": {}}, authorize=authorize)],
    adapter=SQLAlchemyAdapter(os.environ["DATABASE_URL"]),
    session={"strategy": "jwt"},
    rate_limit=RateLimitOptions(credentials_per_identifier=3, credentials_window=900, clock=clock),
)
"""

ROUTE = """
from nextauth import NextAuth

from auth_options import auth_options

handler = NextAuth(auth_options)
GET = POST = handler
"""


def write_project(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "auth_options.py").write_text(textwrap.dedent(AUTH_OPTIONS).lstrip(), encoding="utf-8")
    route = root / "app" / "api" / "auth" / "[...nextauth]" / "route.py"
    route.parent.mkdir(parents=True)
    route.write_text(textwrap.dedent(ROUTE).lstrip(), encoding="utf-8")
    return root


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'auth.db'}"
    cluster = request.getfixturevalue("postgres_cluster")
    url: str = cluster.create_database(f"ratelimit_{tmp_path.name[-20:].lower().replace('-', '_')}")
    return url


@pytest.fixture
def servers(database_url: str, tmp_path: Path) -> Iterator[tuple[Server, Server, Path]]:
    before, after = upgrade_schema(database_url)  # what `nextauth db upgrade` runs: revision 0003 makes the table
    assert before is None and after == "0003"
    project = write_project(tmp_path / "project")
    clock = tmp_path / "clock"
    clock.write_text("0")
    env = {"DATABASE_URL": database_url, "E2E_CLOCK": str(clock)}
    one = Server(project, env, tmp_path, "one").start()
    try:
        two = Server(project, env, tmp_path, "two").start()
        try:
            yield one, two, clock
        finally:
            two.stop()
    finally:
        one.stop()
    assert one.errors() == [] and two.errors() == []


async def attempt(server: Server, password: str) -> tuple[int, str]:
    async with httpx.AsyncClient(trust_env=False, timeout=30) as client:
        csrf = (await client.get(f"{server.base}/csrf")).json()["csrfToken"]
        form = {"csrfToken": csrf, "username": "alice", "password": password, "json": "true"}
        response = await client.post(f"{server.base}/callback/credentials", data=form)
        return response.status_code, response.json()["url"]


async def test_two_processes_share_the_counters(servers: tuple[Server, Server, Path]) -> None:
    one, two, clock = servers
    wrong = [await attempt(server, "guess") for server in (one, two, one)]
    assert [status for status, _ in wrong] == [401, 401, 401]
    status, url = await attempt(two, "wonderland")  # the fourth, through the other process: refused
    assert (status, url) == (429, f"{two.base}/signin?error=TooManyRequests")
    assert (await attempt(one, "wonderland"))[0] == 429
    clock.write_text("900")  # both processes' window passes
    status, url = await attempt(two, "wonderland")
    assert status == 200 and "error" not in url
