"""Fixtures of the end-to-end database suite: one mock OpenID provider and one SMTP server for the session, and a
:class:`~e2ekit.Stack` (database + project + ``main`` server) per backend, SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from e2ekit import MockProvider, Server, Stack, mock_users
from smtpkit import PASSWORD as SMTP_PASSWORD, USER as SMTP_USER, SMTPServer, smtp_server

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(scope="session")
def mock_oidc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockProvider]:
    """The real ``oidc-provider-mock`` with the predefined users of :func:`e2ekit.mock_users`."""
    mock = MockProvider(tmp_path_factory.mktemp("e2e-oidc") / "mock.log", users=mock_users()).start()
    try:
        yield mock
    finally:
        mock.stop()


@pytest.fixture(scope="session")
def smtp() -> Iterator[SMTPServer]:
    """aiosmtpd on loopback (with AUTH), recording every message; tests look at what arrived after a mark."""
    with smtp_server() as server:
        yield server


def _fresh_postgres_database(request: pytest.FixtureRequest, name: str) -> str:
    import psycopg
    from psycopg import sql

    cluster = request.getfixturevalue("postgres_cluster")
    admin = cluster.url("postgres").replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    url: str = cluster.create_database(name)
    return url


@pytest.fixture(scope="session", params=BACKENDS)
def stack(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    mock_oidc: MockProvider,
    smtp: SMTPServer,
) -> Iterator[Stack]:
    """A database with the schema, the project, and its ``main`` server (database sessions, max_age 1 h,
    update_age 60 s). Tests start more servers on the same database with :meth:`Stack.start`."""
    backend: str = request.param
    workdir = tmp_path_factory.mktemp(f"e2e-{backend}")
    if backend == "sqlite":
        url = f"sqlite:///{workdir / 'auth.db'}"
    else:
        url = _fresh_postgres_database(request, "nextauth_e2e")
    smtp_url = f"smtp://{SMTP_USER}:{SMTP_PASSWORD}@{smtp.host}:{smtp.port}"
    built = Stack(backend, url, workdir, mock_oidc, smtp_url)
    try:
        built.start("main")
        yield built
    finally:
        built.close()


@pytest.fixture
def server(stack: Stack) -> Server:
    """The stack's ``main`` server."""
    return stack.servers[0]


@pytest.fixture
def allowed_server_errors() -> list[re.Pattern[str]]:
    """Patterns of server error reports a test expects (it appends to this list); any other fails the test."""
    return []


@pytest.fixture(autouse=True)
def no_unexpected_server_errors(
    request: pytest.FixtureRequest, allowed_server_errors: list[re.Pattern[str]]
) -> Iterator[None]:
    """After each test on a stack: no ``[next-auth][error]`` report or traceback in any of its servers' output,
    except what the test declared in ``allowed_server_errors``."""
    if "stack" not in request.fixturenames:
        yield
        return
    stack: Stack = request.getfixturevalue("stack")
    seen = {server.log_path: len(server.errors()) for server in stack.servers}
    yield
    unexpected = [
        line
        for server in {s.log_path: s for s in stack.servers}.values()
        for line in server.errors()[seen.get(server.log_path, 0) :]
        if not any(pattern.search(line) for pattern in allowed_server_errors)
    ]
    assert unexpected == [], "unexpected errors in the server output"
