"""Fixtures shared by every test."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from nextauth._core.logger import reset_once

_CLEARED_PREFIXES = ("NEXTAUTH_", "AUTH_")
_CLEARED_NAMES = (
    "VERCEL",
    "VERCEL_URL",
    "NODE_ENV",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "EMAIL_SERVER",
    "EMAIL_FROM",
    "DATABASE_URL",
)

pytest_plugins = ["fixtures.postgres"]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print what the hostile tests tried (see security_figures.py)."""
    from security_figures import summary_lines

    lines = summary_lines()
    if lines:
        terminalreporter.section("security figures (attempts tried, accepted)")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Environment variables change how the runtime behaves: every test starts without them."""
    for name in list(os.environ):
        upper = name.upper()
        if upper.startswith(_CLEARED_PREFIXES) or upper in _CLEARED_NAMES:
            monkeypatch.delenv(name, raising=False)
    reset_once()  # next-auth warns once per process; every test is a fresh process for that purpose
    yield
