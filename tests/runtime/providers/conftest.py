"""Fixtures for the provider tests: the real mock OpenID provider, and a clean discovery cache."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))  # oidcmock
from oidcmock import running_mock


@pytest.fixture(autouse=True)
def fresh_discovery_cache() -> Iterator[None]:
    """Discovery documents and JWKS are cached per process: every test starts without them."""
    from nextauth._core.oauth._metadata import CACHE

    CACHE.clear()
    yield
    CACHE.clear()


@pytest.fixture(scope="session")
def oidc_issuer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real ``oidc-provider-mock`` (user ``bob``) behind the harness's PKCE/nonce-verifying proxy; yields the
    issuer URL (the proxy's)."""
    with running_mock(tmp_path_factory.mktemp("oidc-mock") / "mock.log") as mock:
        yield mock.url
