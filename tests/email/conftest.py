"""Fixtures for the email tests: a real SMTP server on loopback, TLS material, a server that never answers."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from smtpkit import SMTPServer, TLSFiles, make_tls_files, smtp_server


@pytest.fixture(autouse=True)
def no_email_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """EMAIL_SERVER / EMAIL_FROM change EmailProvider's defaults: no test inherits them."""
    monkeypatch.delenv("EMAIL_SERVER", raising=False)
    monkeypatch.delenv("EMAIL_FROM", raising=False)


@pytest.fixture
def smtp() -> Iterator[SMTPServer]:
    """aiosmtpd on 127.0.0.1 and a free port, recording every message."""
    with smtp_server() as server:
        yield server


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TLSFiles:
    return make_tls_files(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def silent_server() -> Iterator[tuple[str, int]]:
    """A TCP port that accepts connections (the kernel's backlog) but never says a word."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    try:
        yield "127.0.0.1", sock.getsockname()[1]
    finally:
        sock.close()
