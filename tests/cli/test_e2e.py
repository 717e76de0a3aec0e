"""End to end: `nextauth init`, `nextauth dev` (real uvicorn), a credentials sign-in through the default page."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from dotenv import dotenv_values

pytestmark = pytest.mark.slow

NEXTAUTH = str(Path(sys.executable).with_name("nextauth"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("NEXTAUTH_", "AUTH_"))}


class _Form(HTMLParser):
    """The credentials form of the built-in sign-in page: its action and input names/values."""

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


@pytest.fixture
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    router = request.param
    project = tmp_path / f"{router}-app"
    init = subprocess.run(
        [NEXTAUTH, "init", str(project), "--router", router, "--provider", "credentials", "--yes"],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
    )
    assert init.returncode == 0, init.stderr
    port = _free_port()
    env_file = project / ".env.local"
    env_file.write_text(env_file.read_text().replace("http://localhost:3000", f"http://127.0.0.1:{port}"))
    log = tmp_path / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [NEXTAUTH, "dev", str(project), "--port", str(port)],
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
        yield project, base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.mark.parametrize("served", ["app", "pages"], indirect=True)
def test_sign_in_with_the_demo_user_through_the_default_page(served: tuple[Path, str]) -> None:
    project, base = served
    demo = dotenv_values(project / ".env.local")
    with httpx.Client(base_url=base, timeout=10) as client:
        page = client.get("/api/auth/signin")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        form = _Form()
        form.feed(page.text)
        assert form.action == f"{base}/api/auth/callback/credentials"
        assert set(form.fields) >= {"csrfToken", "username", "password"}

        wrong = client.post(form.action, data={**form.fields, "username": demo["AUTH_DEMO_USERNAME"], "password": "no"})
        assert wrong.status_code == 302 and "error=CredentialsSignin" in wrong.headers["location"]
        assert client.get("/api/auth/session").json() == {}

        form.fields.update(username=demo["AUTH_DEMO_USERNAME"] or "", password=demo["AUTH_DEMO_PASSWORD"] or "")
        signed_in = client.post(form.action, data=form.fields)
        assert signed_in.status_code == 302
        assert any(re.match(r"(__Secure-)?next-auth\.session-token", name) for name in client.cookies)
        session = client.get("/api/auth/session").json()
        assert session["user"]["name"] == demo["AUTH_DEMO_USERNAME"]
        assert session["expires"]
