"""The setup of docs/nextjs-frontend.md, for real: a Next.js 14 app (``tests/browser/nextjs``, ``next dev``) serves the
pages with next-auth/react's SessionProvider and rewrites ``/api/auth/*`` and ``/api/me`` to the Python server, whose
``NEXTAUTH_URL`` is the Next.js origin. Next.js server code (``pages/api/whoami.js``) reads the same session with
next-auth's own ``getServerSession`` and ``getToken``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import Any

import pytest
from browserkit import (
    ARTIFACTS,
    NEXTJS_DIR,
    OFF_MACHINE,
    PROJECT_DIR,
    ROOT,
    SECRET,
    Client,
    NextServer,
    ProjectServer,
    clean_env,
    node_modules,
)
from oidcmock import MockProvider, free_port
from playwright.sync_api import Browser, BrowserContext, Page

ALICE = {"name": "Alice", "email": "alice@example.com", "id": "1"}


@pytest.fixture(scope="module")
def front_end(mock_oidc: MockProvider, tmp_path_factory: pytest.TempPathFactory) -> Iterator[NextServer]:
    """``next dev`` on one port and, behind its rewrites, the Python server on another (NEXTAUTH_URL: Next.js)."""
    modules = node_modules(NEXTJS_DIR)
    next_port, python_port = free_port(), free_port()
    public = f"http://127.0.0.1:{next_port}"
    env = clean_env(NEXTAUTH_URL=public, NEXTAUTH_SECRET=SECRET, MOCK_WELL_KNOWN=mock_oidc.well_known)
    backend = ProjectServer(python_port, env, ARTIFACTS / "nextjs-python-server.log")
    try:
        workdir = tmp_path_factory.mktemp("nextjs")
        nextjs = NextServer(modules, workdir, next_port, backend.url, ARTIFACTS / "nextjs.log")
        try:
            yield nextjs
        finally:
            nextjs.stop()
    finally:
        backend.stop()


@pytest.fixture
def next_context(browser: Browser, front_end: NextServer) -> Iterator[BrowserContext]:
    ctx = browser.new_context(base_url=front_end.url, viewport={"width": 1000, "height": 760})
    ctx.set_default_timeout(60_000)  # next dev compiles a route on its first request
    ctx.route(OFF_MACHINE, lambda route: route.abort())
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def next_page(next_context: BrowserContext) -> Iterator[Page]:
    opened = next_context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    assert not errors, f"JavaScript errors in the page: {errors}"


def session_cookies(context: BrowserContext) -> dict[str, str]:
    return {c["name"]: c["value"] for c in context.cookies() if c["name"].startswith("next-auth.session-token")}


def get_json(context: BrowserContext, url: str) -> Any:
    response = context.request.get(url)
    assert response.status == 200, (url, response.status, response.text()[:500])
    return response.json()


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.node
def test_next_auth_react_through_a_nextjs_rewrite(
    next_page: Page, next_context: BrowserContext, front_end: NextServer
) -> None:
    public = front_end.url
    client = Client(next_page).open()
    assert client.status() == "unauthenticated"
    assert client.history() == ["loading", "unauthenticated"]
    # The Python server builds every URL from NEXTAUTH_URL: the Next.js origin the browser sees.
    providers = client.call("get-providers", "providers")
    assert providers["mock"]["callbackUrl"] == f"{public}/api/auth/callback/mock"

    assert client.sign_in("alice", "nope") == {"error": "CredentialsSignin", "status": 401, "ok": False, "url": None}
    assert client.sign_in("alice", "wonderland") == {"error": None, "status": 200, "ok": True, "url": f"{public}/"}
    client.wait_for_status("authenticated")
    assert client.session()["user"] == ALICE
    next_page.fill("#update-name", "Queen Alice")
    assert client.call("update", "update")["user"] == {**ALICE, "name": "Queen Alice"}

    # Python API route (rewritten) and Next.js API route (next-auth's getServerSession/getToken) agree.
    python_side = get_json(next_context, f"{public}/api/me")
    next_side = get_json(next_context, f"{public}/api/whoami")
    assert python_side["session"]["user"] == next_side["session"]["user"] == {**ALICE, "name": "Queen Alice"}
    assert python_side["token"] == next_side["token"]
    assert next_side["token"]["name"] == "Queen Alice"

    assert client.call("signout", "signout") == {"url": f"{public}/"}
    client.wait_for_status("unauthenticated")
    assert session_cookies(next_context) == {}
    assert get_json(next_context, f"{public}/api/whoami") == {"session": None, "token": None}


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.node
def test_oauth_and_built_in_pages_through_a_nextjs_rewrite(
    next_page: Page, next_context: BrowserContext, front_end: NextServer, mock_oidc: MockProvider
) -> None:
    public = front_end.url
    client = Client(next_page).open()
    next_page.click("#signin-mock")
    next_page.wait_for_url(re.compile(rf"^{re.escape(mock_oidc.url)}/oauth2/authorize\?"))
    assert f"redirect_uri={public.replace(':', '%3A').replace('/', '%2F')}%2Fapi%2Fauth%2Fcallback%2Fmock" in (
        next_page.url
    )
    next_page.fill("input[name=sub]", "bob")
    next_page.click("button:has-text('Authorize')")
    next_page.wait_for_url(f"{public}/")  # the callback went through Next.js to Python, then back here
    assert client.wait_until_settled() == "authenticated"
    assert client.session()["user"]["email"] == "bob@example.com"

    # The built-in sign-out page, served by Python at the Next.js origin.
    next_page.goto(f"{public}/api/auth/signout")
    next_page.click("#submitButton")
    next_page.wait_for_url(f"{public}/")
    assert client.wait_until_settled() == "unauthenticated"
    assert session_cookies(next_context) == {}


def test_the_docs_show_the_code_these_tests_run() -> None:
    docs = (ROOT / "docs" / "nextjs-frontend.md").read_text(encoding="utf-8")
    files = [NEXTJS_DIR / name for name in ("next.config.js", "pages/_app.jsx", "pages/api/whoami.js")]
    files.append(PROJECT_DIR / "app" / "api" / "me" / "route.py")
    for path in files:
        source = path.read_text(encoding="utf-8").strip()
        assert source in docs, f"docs/nextjs-frontend.md no longer shows {path.relative_to(ROOT)} as it is"
    options = (PROJECT_DIR / "auth_options.py").read_text(encoding="utf-8")
    for node in ast.parse(options).body:
        if isinstance(node, ast.FunctionDef) and node.name in ("jwt", "session"):
            source = ast.get_source_segment(options, node)
            assert source and source in docs, f"docs/nextjs-frontend.md no longer shows the {node.name} callback"
