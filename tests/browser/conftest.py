"""Fixtures of the browser suite: one mock OpenID provider, one Python server and one next-auth in Node per test
session, one chromium per module, and a fresh browser context (an empty cookie jar) per test.

The server is ``python -m nextauth.server tests/browser/project`` with ``NEXTAUTH_URL`` at its own loopback
address, so the test page (``/``, the esbuild bundle of ``next-auth/react`` at ``/client.js``) and the auth API
share one origin, as they do behind a Next.js rewrite. The browser is not allowed off the machine: every request
to anything but 127.0.0.1 is aborted.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "runtime" / "core"))  # oidcmock

from browserkit import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    OFF_MACHINE,
    SECRET,
    Client,
    NextAuthNode,
    ProjectServer,
    build_bundle,
    chromium,
    clean_env,
    node_modules,
)
from oidcmock import MockProvider, free_port

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

VIEWPORT = {"width": 1000, "height": 760}  # the size of next-auth's reference screenshots


@pytest.fixture(scope="session")
def modules() -> Path:
    return node_modules()


@pytest.fixture(scope="session")
def mock_oidc() -> Iterator[MockProvider]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    mock = MockProvider(ARTIFACTS / "oidc-provider-mock.log").start()
    try:
        yield mock
    finally:
        mock.stop()


@pytest.fixture(scope="session")
def server(modules: Path, mock_oidc: MockProvider, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProjectServer]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    bundle = build_bundle(modules, tmp_path_factory.mktemp("bundle") / "client.js", url)
    env = clean_env(
        NEXTAUTH_URL=url,
        NEXTAUTH_SECRET=SECRET,
        MOCK_WELL_KNOWN=mock_oidc.well_known,
        BROWSER_TEST_BUNDLE=str(bundle),
    )
    served = ProjectServer(port, env, ARTIFACTS / "server.log")
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium, once per module. Not once per session: while Playwright's sync API is running it holds an
    asyncio loop in this thread, and every ``async def`` test after it (in any directory) would fail with
    "Cannot run the event loop while another loop is running"."""
    from playwright.sync_api import sync_playwright

    executable = chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def context(browser: Browser, server: ProjectServer) -> Iterator[BrowserContext]:
    ctx = browser.new_context(base_url=server.url, viewport=VIEWPORT, color_scheme="light")  # type: ignore[arg-type]
    ctx.set_default_timeout(15_000)
    ctx.route(OFF_MACHINE, lambda route: route.abort())
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A page of the context; an uncaught JavaScript error in it fails the test."""
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    assert not errors, f"JavaScript errors in the page: {errors}"


@pytest.fixture(scope="session")
def nextauth_node(modules: Path) -> Iterator[NextAuthNode]:
    node = NextAuthNode(modules)
    try:
        yield node
    finally:
        node.close()


@pytest.fixture
def client(page: Page) -> Client:
    return Client(page)
