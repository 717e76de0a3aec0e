"""Scale out (issue 18): several server processes behind a load balancer, sharing one PostgreSQL database and one
secret, and `nextauth start --workers 2` on one port.

- JWT sessions: a session cookie made by one process is read by every other (the shared NEXTAUTH_SECRET is the
  only shared state); database sessions: see test_e2e_two_servers.py, which this file extends.
- An email sign-in link works once, whichever process it is used on: used twice, or on two processes at once,
  one sign-in and one Verification error (the token row is deleted atomically in the shared database).
- Concurrent first sign-ins of one person through three processes make one user and one account.
- `nextauth start --workers 2` (the real command): two worker processes serve one port; sessions made through one
  are valid on the other, concurrent first sign-ins make one user, an email link works once.

Sticky sessions are never needed: each request may land on any process.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2ekit import Browser, Mailbox, MockProvider, Server, Stack, link_in, session_cookie
from smtpkit import SMTPServer

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
NEXTAUTH = str(Path(sys.executable).with_name("nextauth"))


class StartServer(Server):
    """The project served by the real ``nextauth start --workers N`` (production serving as users run it)."""

    workers = 2

    def command(self) -> list[str]:
        return [NEXTAUTH, "start", str(self.project), "--port", str(self.port), "--workers", str(self.workers)]

    def worker_pids(self) -> list[int]:
        """The worker processes under ``nextauth start`` (uvicorn's supervisor is its child)."""
        assert self._process is not None
        found: list[int] = []
        todo = [self._process.pid]
        while todo:
            pid = todo.pop()
            try:
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                continue
            found.extend(int(child) for child in children)
            todo.extend(int(child) for child in children)
        return found


def _on(server: Server, link: str) -> str:
    """``link`` (made by another process, at its NEXTAUTH_URL) as the load balancer would send it to ``server``."""
    scheme_host, _, rest = link.partition("/api/auth/")
    assert scheme_host.startswith("http://127.0.0.1:"), link
    return f"{server.base}/{rest}"


@pytest.fixture
def jwt_trio(stack: Stack) -> Iterator[list[Server]]:
    servers = [stack.start(f"jwt-{i}", SESSION_STRATEGY="jwt") for i in range(3)]
    try:
        yield servers
    finally:
        for server in servers:
            server.stop()
            assert server.errors() == []


@pytest.fixture
def db_trio(stack: Stack) -> Iterator[list[Server]]:
    servers = [stack.start(f"db-{i}") for i in range(2)]
    try:
        yield [stack.servers[0], *servers]
    finally:
        for server in servers:
            server.stop()
            assert server.errors() == []


@pytest.mark.parametrize("stack", ["postgres"], indirect=True)
async def test_a_jwt_session_made_on_one_process_is_valid_on_every_other(
    stack: Stack, jwt_trio: list[Server], mock_oidc: MockProvider
) -> None:
    one, two, three = jwt_trio
    async with Browser(one) as browser:
        done = await browser.oauth_sign_in(mock_oidc, "scale0", server=one)
        assert done.status_code == 302
        token = browser.session_token
        assert token is not None and token.count(".") == 4  # a JWE, not a database session id
        seen = [await browser.session(server=s) for s in (one, two, three)]
        assert all(s["user"]["email"] == "scale0@example.org" for s in seen)
        assert len({s["user"]["id"] for s in seen}) == 1
        assert stack.db.sessions(user_id=seen[0]["user"]["id"]) == []  # JWT: nothing stored per session
    async with Browser(one) as stranger:  # a forged cookie is refused everywhere
        stranger.set_session_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
        for server in (one, two, three):
            assert await stranger.session(server=server) == {}


@pytest.mark.parametrize("stack", ["postgres"], indirect=True)
async def test_concurrent_first_sign_ins_through_three_processes_make_one_user(
    stack: Stack, db_trio: list[Server], mock_oidc: MockProvider
) -> None:
    browsers = [Browser(server) for server in db_trio]
    try:
        done = await asyncio.gather(
            *(b.oauth_sign_in(mock_oidc, "scale1", server=s) for b, s in zip(browsers, db_trio, strict=True))
        )
        assert [d.status_code for d in done] == [302, 302, 302]
        ids = {(await b.session(server=s))["user"]["id"] for b in browsers for s in db_trio}
    finally:
        for b in browsers:
            await b.client.aclose()
    (user,) = stack.db.users("scale1@example.org")
    assert ids == {user["id"]}
    assert len(stack.db.accounts(user_id=user["id"])) == 1
    assert len(stack.db.sessions(user_id=user["id"])) == 3


@pytest.mark.parametrize("stack", ["postgres"], indirect=True)
async def test_an_email_link_works_once_across_processes(stack: Stack, db_trio: list[Server], smtp: SMTPServer) -> None:
    one, two, three = db_trio
    mailbox = Mailbox(smtp)
    async with Browser(one) as asker, Browser(two) as user, Browser(three) as replayer:
        sent = await asker.request_email_link("scale-link@example.org")
        assert sent.status_code == 302
        link = link_in((await mailbox.one("scale-link@example.org")).message)
        assert len(stack.db.tokens("scale-link@example.org")) == 1

        used = await user.get(_on(two, link))  # made by one, used on two
        assert used.status_code == 302 and session_cookie(used) is not None
        assert (await user.session(server=three))["user"]["email"] == "scale-link@example.org"
        assert stack.db.tokens("scale-link@example.org") == []

        again = await replayer.get(_on(three, link))  # the same link on a third process
        assert again.headers["location"] == f"{three.base}/error?error=Verification"
        assert replayer.session_token is None

        # Two processes at once with one fresh link: exactly one wins.
        await asker.request_email_link("scale-link@example.org")
        fresh = link_in((await mailbox.one("scale-link@example.org")).message)
        async with Browser(one) as left, Browser(three) as right:
            results = await asyncio.gather(left.get(_on(one, fresh)), right.get(_on(three, fresh)))
            errors = [r for r in results if r.headers["location"].endswith("/error?error=Verification")]
            signed_in = [b for b in (left, right) if b.session_token is not None]
            assert len(errors) == 1 and len(signed_in) == 1
    assert len(stack.db.users("scale-link@example.org")) == 1


# -- nextauth start --workers 2 ------------------------------------------------------------------------------


@pytest.fixture
def workers(stack: Stack) -> Iterator[StartServer]:
    server = StartServer(stack.project, stack.env(), stack.workdir, "workers")
    stack.servers.append(server)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        assert server.errors() == []


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="counts worker processes through /proc")
@pytest.mark.parametrize("stack", ["postgres"], indirect=True)
async def test_nextauth_start_with_two_workers_on_one_port(
    stack: Stack, workers: StartServer, mock_oidc: MockProvider, smtp: SMTPServer
) -> None:
    assert len(workers.worker_pids()) >= 2  # the supervisor and its two workers
    async with Browser(workers) as browser:
        await browser.oauth_sign_in(mock_oidc, "scale2")
        token = browser.session_token
        assert token is not None
    # Every read on a new connection, so that the kernel spreads them over both workers.
    for _ in range(12):
        async with Browser(workers) as reader:
            reader.set_session_token(token)
            assert (await reader.session())["user"]["email"] == "scale2@example.org"

    left, right = Browser(workers), Browser(workers)
    try:
        done = await asyncio.gather(left.oauth_sign_in(mock_oidc, "scale3"), right.oauth_sign_in(mock_oidc, "scale3"))
        assert [d.status_code for d in done] == [302, 302]
    finally:
        await left.client.aclose()
        await right.client.aclose()
    (person,) = stack.db.users("scale3@example.org")
    assert len(stack.db.accounts(user_id=person["id"])) == 1

    mailbox = Mailbox(smtp)
    async with Browser(workers) as asker:
        await asker.request_email_link("scale-workers@example.org")
        link = link_in((await mailbox.one("scale-workers@example.org")).message)
    async with Browser(workers) as a, Browser(workers) as b:
        results = await asyncio.gather(a.get(link), b.get(link))
    assert sorted(r.headers["location"].endswith("error=Verification") for r in results) == [False, True]
