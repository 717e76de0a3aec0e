"""Fixtures for the issue-7 runtime guardrail tests (shares the core tests' kit)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "runtime" / "core"))  # authkit, oidcmock

from authkit import LAYOUTS, Layout
from oidcmock import MockProvider, running_mock


@pytest.fixture(params=LAYOUTS)
def layout(request: pytest.FixtureRequest) -> Layout:
    value: Layout = request.param
    return value


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG, logger="nextauth")
    yield caplog


@pytest.fixture(autouse=True)
def fresh_discovery_cache() -> Iterator[None]:
    from nextauth._core.oauth._metadata import CACHE

    CACHE.clear()
    yield
    CACHE.clear()


@pytest.fixture(scope="session")
def mock_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockProvider]:
    with running_mock(tmp_path_factory.mktemp("oidc-mock") / "mock.log") as mock:
        yield mock
