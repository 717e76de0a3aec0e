"""Fixtures for the runtime core tests: both layouts and log capture."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from authkit import LAYOUTS, Layout
from oidcmock import MockProvider, running_mock


@pytest.fixture(params=LAYOUTS)
def layout(request: pytest.FixtureRequest) -> Layout:
    """Every handler test runs in the pages layout and in the app layout."""
    value: Layout = request.param
    return value


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every record of the ``nextauth`` logger, debug included."""
    caplog.set_level(logging.DEBUG, logger="nextauth")
    yield caplog


@pytest.fixture(autouse=True)
def fresh_discovery_cache() -> Iterator[None]:
    """Discovery documents and JWKS are cached per process: every test starts without them."""
    from nextauth._core.oauth._metadata import CACHE

    CACHE.clear()
    yield
    CACHE.clear()


@pytest.fixture(scope="session")
def mock_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockProvider]:
    """The real ``oidc-provider-mock`` on a free loopback port (user ``bob``), for the whole session."""
    with running_mock(tmp_path_factory.mktemp("oidc-mock") / "mock.log") as mock:
        yield mock
