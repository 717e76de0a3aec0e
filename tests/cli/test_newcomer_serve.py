"""Issue 14, the traps that need a running server: the URL the banner prints is the one that signs in (trap 6),
the warning when the server listens where NEXTAUTH_URL does not lead, the FastAPI page's example as pasted
(trap 2), and the demo user's session (trap 11). Everything through real processes and HTTP."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from dotenv import dotenv_values

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
NEXTAUTH = str(BIN / "nextauth")
ROOT = Path(__file__).resolve().parents[2]
WARNING = "does not lead to this server"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEXTAUTH_", "AUTH_"))}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if Path(p) != BIN)
    env.update({"COLUMNS": "200", "NO_COLOR": "1"})
    env.update(extra)
    return env


class Server:
    def __init__(self, process: subprocess.Popen[str], log: Path) -> None:
        self.process, self.log = process, log

    @property
    def output(self) -> str:
        return self.log.read_text()

    def wait_for(self, pattern: str, timeout: float = 45) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while True:
            found = re.search(pattern, self.output)
            if found:
                return found
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{pattern!r} never appeared:\n{self.output}")
            time.sleep(0.1)


@contextmanager
def running(argv: list[str], cwd: Path, log: Path, **env: str) -> Iterator[Server]:
    with log.open("w") as out:
        process = subprocess.Popen(
            argv, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=_env(**env), text=True, start_new_session=True
        )
    try:
        yield Server(process, log)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _ready(base: str, server: Server, path: str = "/api/auth/providers") -> None:
    deadline = time.monotonic() + 45
    while True:
        try:
            if httpx.get(base + path, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if server.process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"the server did not answer at {base}:\n{server.output}")
        time.sleep(0.1)


def sign_in(client: httpx.Client, username: str, password: str) -> dict[str, object]:
    """A browser's credentials sign-in: the CSRF token, the form post, then the session."""
    csrf = client.get("/api/auth/csrf").json()["csrfToken"]
    answer = client.post(
        "/api/auth/callback/credentials",
        data={"csrfToken": csrf, "username": username, "password": password, "json": "true"},
    )
    assert answer.status_code == 200 and "error" not in answer.json()["url"], answer.text
    session: dict[str, object] = client.get("/api/auth/session").json()
    return session


def init(where: Path, name: str, port: int) -> Path:
    made = subprocess.run(
        [NEXTAUTH, "init", name, "--yes", "--url", f"http://localhost:{port}"],
        cwd=where,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    return where / name


def test_the_newcomer_path_from_init_to_a_signed_in_session(tmp_path: Path) -> None:
    """README command 1 (the install aside: the venv here is the test's): init, dev, open the printed URL,
    sign in with the demo user, see the session with its name and email. The time is printed for the record."""
    started = time.monotonic()
    port = _free_port()
    project = init(tmp_path, "demo", port)
    with running([NEXTAUTH, "dev", "demo"], tmp_path, tmp_path / "dev.log") as server:
        banner = server.wait_for(r"nextauth: serving .* at (http://\S+) \(NEXTAUTH_URL\), listening on (http://\S+),")
        opened, listening = banner.group(1), banner.group(2)
        assert opened == f"http://localhost:{port}"  # what the user must open, not the bind address
        assert listening == f"http://127.0.0.1:{port}"
        assert WARNING not in server.output
        _ready(opened, server)
        demo = dotenv_values(project / ".env.local")
        with httpx.Client(base_url=opened, timeout=10) as client:
            session = sign_in(client, demo["AUTH_DEMO_USERNAME"] or "", demo["AUTH_DEMO_PASSWORD"] or "")
            user = session["user"]
            assert isinstance(user, dict)
            assert user["name"] == demo["AUTH_DEMO_USERNAME"]
            assert isinstance(user["email"], str) and "@" in user["email"]  # trap 11: not null
    elapsed = time.monotonic() - started
    print(f"\nnewcomer path, init to a signed-in session: {elapsed:.1f} s")


def test_dev_warns_at_start_up_when_it_listens_where_nextauth_url_does_not_lead(tmp_path: Path) -> None:
    url_port, other = _free_port(), _free_port()
    init(tmp_path, "demo", url_port)
    with running([NEXTAUTH, "dev", "demo", "--port", str(other)], tmp_path, tmp_path / "dev.log") as server:
        server.wait_for("Application startup complete")
        out = server.output
        warning = out.index(WARNING)
        assert warning < out.index("nextauth: serving")  # at start-up, before any request
        assert f"it names port {url_port}, the server listens on port {other}" in out
        assert "--port" in out[warning:].splitlines()[0]


@pytest.mark.parametrize(
    ("env", "warned"),
    [
        ({}, True),  # plain http on another port, no proxy: the user opens the wrong address
        ({"AUTH_TRUST_HOST": "true", "NEXTAUTH_ALLOWED_HOSTS": "app.example.com"}, False),  # behind a proxy
        ({"NEXTAUTH_URL": "https://app.example.com"}, False),  # TLS is a proxy's: it forwards here
    ],
    ids=["http-elsewhere", "trust-host", "https-behind-a-proxy"],
)
def test_start_warns_only_without_a_proxy_in_front(tmp_path: Path, env: dict[str, str], warned: bool) -> None:
    url_port, other = _free_port(), _free_port()
    init(tmp_path, "demo", url_port)
    argv = [NEXTAUTH, "start", "demo", "--port", str(other)]
    with running(argv, tmp_path, tmp_path / "start.log", **env) as server:
        server.wait_for("Application startup complete")
        assert (WARNING in server.output) is warned, server.output


def _fastapi_example() -> str:
    text = (ROOT / "docs" / "fastapi.md").read_text()
    return re.search(r'```python title="main.py"\n(.*?)```', text, flags=re.S).group(1)  # type: ignore[union-attr]


def test_the_fastapi_page_example_as_pasted_signs_in(tmp_path: Path) -> None:
    """docs/fastapi.md's main.py, unchanged, beside a project from `nextauth init`, run as the page says."""
    port = _free_port()
    project = init(tmp_path, "demo", port)
    (project / "main.py").write_text(_fastapi_example())
    argv = [str(BIN / "uvicorn"), "main:app", "--port", str(port), "--no-access-log"]
    with running(argv, project, tmp_path / "uvicorn.log") as server:
        base = f"http://localhost:{port}"
        _ready(base, server)
        assert httpx.get(f"{base}/api/me").json() == {"user": None}
        demo = dotenv_values(project / ".env.local")
        with httpx.Client(base_url=base, timeout=10) as client:
            session = sign_in(client, demo["AUTH_DEMO_USERNAME"] or "", demo["AUTH_DEMO_PASSWORD"] or "")
            assert session["user"]["name"] == demo["AUTH_DEMO_USERNAME"]  # type: ignore[index]
            assert client.get("/api/me").json()["user"]["name"] == demo["AUTH_DEMO_USERNAME"]
        assert "500" not in server.output and "NO_SECRET" not in server.output


CREDENTIALS_AND_EMAIL = """
from nextauth import AuthOptions, NextAuth
from nextauth.adapters.memory import MemoryAdapter
from nextauth.providers import CredentialsProvider, EmailProvider


def authorize(credentials, request):
    return {"id": "1", "name": "alice", "email": "alice@example.com"}


def send(url):
    pass


handler = NextAuth(
    AuthOptions(
        providers=[CredentialsProvider(authorize=authorize), EmailProvider(send_verification_request=send)],
        adapter=MemoryAdapter(),
        session={"strategy": "database"},
    )
)
GET = POST = handler
"""


def test_the_runtime_warns_once_at_start_up_and_keeps_next_auths_answers(tmp_path: Path) -> None:
    """Credentials beside email with database sessions, written by hand (the scaffolder refuses it): next-auth
    starts, and a credentials sign-in redirects with no session; the runtime does the same, but says so in the
    log once, before the first request."""
    project = tmp_path / "site"
    route = project / "app" / "api" / "auth" / "[...nextauth]" / "route.py"
    route.parent.mkdir(parents=True)
    route.write_text(CREDENTIALS_AND_EMAIL)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    (project / ".env.local").write_text(f"NEXTAUTH_URL={base}\nNEXTAUTH_SECRET={'s' * 40}\n")
    argv = [sys.executable, "-m", "nextauth.server", str(project), "--port", str(port)]
    with running(argv, project, tmp_path / "server.log") as server:
        _ready(base, server)
        before_requests = server.output
        assert before_requests.count("CREDENTIALS_WITH_DATABASE_SESSIONS") == 1
        assert "creates no session" in before_requests and "strategy': 'jwt'" in before_requests
        for _ in range(2):
            with httpx.Client(base_url=base, timeout=10) as client:
                csrf = client.get("/api/auth/csrf").json()["csrfToken"]
                answer = client.post(
                    "/api/auth/callback/credentials", data={"csrfToken": csrf, "username": "a", "password": "b"}
                )
                assert answer.status_code == 302  # next-auth's answer: a redirect as if it worked ...
                assert client.get("/api/auth/session").json() == {}  # ... and no session
        assert server.output.count("CREDENTIALS_WITH_DATABASE_SESSIONS") == 1
