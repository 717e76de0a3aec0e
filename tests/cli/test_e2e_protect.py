"""End to end: `nextauth init demo --yes && nextauth dev demo` serves a home page and a protected /dashboard.

A real `nextauth dev` (uvicorn) on a project scaffolded by the real `nextauth init`: GET / is HTML with a
sign-in link; /dashboard is redirected by the generated middleware.py to the sign-in page and, after a
credentials sign-in with the demo user of .env.local, shows the user's name (HTML-escaped). Once over HTTP
(both layouts), once in Debian's chromium through Playwright.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from dotenv import dotenv_values

pytestmark = pytest.mark.slow

NEXTAUTH = str(Path(sys.executable).with_name("nextauth"))
CHROMIUM = "/usr/bin/chromium"
HOSTILE_NAME = "<i>Ada&Bob</i>"
"""The demo user's name for these tests: markup that must reach the page escaped, never as tags."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("NEXTAUTH_", "AUTH_"))}


@dataclass
class Served:
    project: Path
    base: str
    log: Path
    pid: int
    username: str
    password: str
    reload: bool


class _CredentialsForm(HTMLParser):
    """The credentials form of the built-in sign-in page: its action and its inputs' names and values."""

    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: dict[str, str] = {}
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form" and values.get("action", "").endswith("/callback/credentials"):
            self.action, self._inside = values["action"], True
        elif tag == "input" and self._inside:
            self.fields[values.get("name", "")] = values.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False


def _serve(tmp_path: Path, router: str, *extra: str) -> Iterator[Served]:
    """`nextauth init demo --yes` in ``tmp_path`` (as a user types it), then `nextauth dev demo`.

    In the app layout the demo user is renamed to :data:`HOSTILE_NAME`; the pages layout keeps the name
    `init` generated."""
    init = subprocess.run(
        [NEXTAUTH, "init", "demo", "--router", router, "--yes"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
    )
    assert init.returncode == 0, init.stderr
    project = tmp_path / "demo"
    port = _free_port()
    env_file = project / ".env.local"
    text = env_file.read_text().replace("http://localhost:3000", f"http://127.0.0.1:{port}")
    if router == "app":
        text = re.sub(r"(?m)^AUTH_DEMO_USERNAME=.*$", f"AUTH_DEMO_USERNAME={HOSTILE_NAME}", text)
    env_file.write_text(text)
    demo = dotenv_values(env_file)
    username = demo["AUTH_DEMO_USERNAME"] or ""
    assert username == HOSTILE_NAME if router == "app" else re.fullmatch(r"demo-[0-9a-f]+", username)
    log = tmp_path / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [NEXTAUTH, "dev", "demo", "--port", str(port), *extra],
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=_env(),
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/api/auth/providers", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the dev server did not start:\n{log.read_text()}")
            time.sleep(0.2)
        password = demo["AUTH_DEMO_PASSWORD"] or ""
        yield Served(project, base, log, server.pid, username, password, "--no-reload" not in extra)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.fixture
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Served]:
    router, *extra = request.param
    yield from _serve(tmp_path, router, *extra)


def _sign_in(client: httpx.Client, served: Served, callback: str) -> httpx.Response:
    page = client.get("/api/auth/signin", params={"callbackUrl": callback})
    assert page.status_code == 200
    form = _CredentialsForm()
    form.feed(page.text)
    assert form.action, "no credentials form on the sign-in page"
    form.fields.update(username=served.username, password=served.password)
    return client.post(form.action, data=form.fields)


@pytest.mark.parametrize(
    "served",
    [("app",), ("pages", "--no-reload")],
    indirect=True,
    ids=["app-layout", "pages-layout-no-reload"],
)
def test_home_page_and_dashboard_behind_the_middleware(served: Served) -> None:
    with httpx.Client(base_url=served.base, timeout=10) as client:
        home = client.get("/")
        assert home.status_code == 200 and home.headers["content-type"].startswith("text/html")
        assert "You are not signed in" in home.text
        assert 'href="/api/auth/signin"' in home.text

        refused = client.get("/dashboard")
        assert refused.status_code == 307
        assert refused.headers["location"] == "/api/auth/signin?callbackUrl=%2Fdashboard"
        # No route answers /dashboard/settings: only the middleware can redirect it.
        deeper = client.get("/dashboard/settings?tab=2")
        assert deeper.status_code == 307
        assert deeper.headers["location"] == "/api/auth/signin?callbackUrl=" + quote(
            "/dashboard/settings?tab=2", safe=""
        )

        signed_in = _sign_in(client, served, f"{served.base}/dashboard")
        assert signed_in.status_code == 302
        assert signed_in.headers["location"] == f"{served.base}/dashboard"

        dashboard = client.get("/dashboard")
        assert dashboard.status_code == 200 and dashboard.headers["content-type"].startswith("text/html")
        assert f"Welcome, <strong>{escape(served.username)}</strong>" in dashboard.text
        assert "<i>" not in dashboard.text  # the hostile name's markup never reaches the page as tags

        home = client.get("/")
        assert f"Signed in as <strong>{escape(served.username)}</strong>" in home.text
        assert f"({escape(served.username)}@example.com)" in home.text  # the demo user's email
        assert 'href="/api/auth/signout"' in home.text and 'href="/dashboard"' in home.text
        assert "<i>" not in home.text

        # Unsafe methods: the pages answer GET and HEAD only.
        assert client.post("/").status_code == 405
        assert client.head("/").status_code == 200

    # uvicorn names the process that serves: `nextauth dev` itself with --no-reload, a child under the reloader.
    found = re.search(r"Started server process \[(\d+)\]", served.log.read_text())
    assert found is not None, served.log.read_text()
    assert (int(found.group(1)) == served.pid) is not served.reload


@pytest.mark.browser
@pytest.mark.parametrize("served", [("app",)], indirect=True, ids=["app-layout"])
def test_browser_signs_in_and_reaches_the_dashboard(served: Served) -> None:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"the browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            context = browser.new_context(base_url=served.base)
            context.set_default_timeout(15_000)
            context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/])"), lambda route: route.abort())
            page = context.new_page()
            page.goto("/")
            assert page.locator("text=You are not signed in").is_visible()
            page.goto("/dashboard")  # the middleware sends the browser to the sign-in page
            page.wait_for_url(re.compile(r"/api/auth/signin\?callbackUrl="))
            page.fill("input[name=username]", served.username)
            page.fill("input[name=password]", served.password)
            page.click("button[type=submit]")
            page.wait_for_url(f"{served.base}/dashboard")
            assert page.locator("h1").inner_text() == "Dashboard"
            assert page.locator("strong").inner_text() == HOSTILE_NAME  # shown as text, not as markup
            assert page.locator("strong i").count() == 0
            page.click("text=Home")
            page.wait_for_url(f"{served.base}/")
            assert HOSTILE_NAME in page.locator("p").first.inner_text()
            page.click("text=Sign out")  # next-auth's sign-out page, then its confirmation button
            page.click("button[type=submit]")
            page.wait_for_url(re.compile(r"^" + re.escape(served.base)))
            page.goto("/dashboard")
            page.wait_for_url(re.compile(r"/api/auth/signin\?callbackUrl="))
        finally:
            browser.close()
