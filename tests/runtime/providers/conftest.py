"""Fixtures for the provider tests: the real mock OpenID provider, and a clean discovery cache."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

BOB = {"sub": "bob", "name": "Bob", "email": "Bob@Example.com", "picture": "http://127.0.0.1/bob.png"}


@pytest.fixture(autouse=True)
def fresh_discovery_cache() -> Iterator[None]:
    """Discovery documents and JWKS are cached per process: every test starts without them."""
    from nextauth.oauth._metadata import CACHE

    CACHE.clear()
    yield
    CACHE.clear()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def oidc_issuer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real ``oidc-provider-mock`` on a free loopback port with user ``bob``; yields its issuer URL."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("oidc-mock") / "mock.log"
    argv = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)]
    argv += ["--user-claims", json.dumps(BOB)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"oidc-provider-mock exited: {Path(log_path).read_text()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/.well-known/openid-configuration", timeout=1, trust_env=False).is_success:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("oidc-provider-mock did not start within 30 s")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
