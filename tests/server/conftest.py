"""Fixtures for the server tests: each test gets back the sys.path, modules and environment it started with."""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from collections.abc import Iterator

import pytest

_TMP = os.path.realpath(tempfile.gettempdir())


@pytest.fixture(autouse=True)
def isolated_process_state() -> Iterator[None]:
    """Loading a project puts it on sys.path, imports its modules and sets env-file variables: undo all three."""
    path = list(sys.path)
    modules = set(sys.modules)
    environ = dict(os.environ)
    yield
    sys.path[:] = path
    for name in set(sys.modules) - modules:
        where = getattr(sys.modules[name], "__file__", None) or ""
        if name.startswith("nextauth_route_") or where.startswith(_TMP):
            del sys.modules[name]
    os.environ.clear()
    os.environ.update(environ)


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG, logger="nextauth.server")
    yield caplog
