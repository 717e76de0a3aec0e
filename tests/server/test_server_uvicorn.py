"""Real uvicorn servers on loopback, started as users start them: ``python -m nextauth.server`` and ``serve()``."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from serverkit import build

pytestmark = pytest.mark.slow

PROJECT = {
    ".env": "GREETING=from-env\nTARGET=world\n",
    ".env.local": "GREETING=from-env-local\n",
    "auth_options.py": "import os\n\nGREETING = os.environ['GREETING']\n",
    "pages/api/hello.py": """
        import os

        import auth_options

        def handler(req, res):
            res.set_header("Set-Cookie", ["a=1", "b=2"])
            res.json({"greeting": auth_options.GREETING, "target": os.environ["TARGET"], "query": req.query})
    """,
    "app/api/items/[id]/route.py": """
        from starlette.responses import JSONResponse

        def GET(request, context):
            return JSONResponse({"id": context.params["id"]})
    """,
}


@contextmanager
def running(argv: Sequence[str], cwd: Path, timeout: float = 30.0) -> Iterator[str]:
    """Start a server process, wait until it answers, yield its base URL; stop it (and only it) after."""
    log = cwd / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, *argv], cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        base = _wait_until_up(proc, log, timeout)
        yield base
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # the group this test created: the server and its children
                proc.wait(5)


def _wait_until_up(proc: subprocess.Popen[bytes], log: Path, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    base = None
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if base is None:
            found = re.search(r"nextauth: serving .* on (http://127\.0\.0\.1:\d+)", text)
            base = found[1] if found else None
        if base is not None:
            try:
                httpx.get(base + "/__probe__", timeout=1)
                return base
            except httpx.TransportError:
                pass
        if proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}:\n{text}")
        time.sleep(0.1)
    raise AssertionError(f"server did not come up:\n{log.read_text(errors='replace')}")


def _get(url: str) -> httpx.Response:
    return httpx.get(url, timeout=5)


def test_python_m_serves_pages_and_app_routes_with_env_files(tmp_path: Path) -> None:
    build(tmp_path, PROJECT)
    with running(["-m", "nextauth.server", str(tmp_path), "--port", "0"], tmp_path) as base:
        hello = _get(base + "/api/hello?x=1&x=2")
        item = _get(base + "/api/items/42")
        head = httpx.head(base + "/api/items/42")
        options = httpx.options(base + "/api/items/42")
        missing = _get(base + "/nope")
    assert hello.json() == {"greeting": "from-env-local", "target": "world", "query": {"x": ["1", "2"]}}
    assert hello.headers.get_list("set-cookie") == ["a=1", "b=2"]
    assert "server" not in hello.headers
    assert item.json() == {"id": "42"}
    assert (head.status_code, head.content) == (200, b"")
    assert (options.status_code, options.headers["allow"]) == (204, "GET, HEAD, OPTIONS")
    assert missing.status_code == 404


def test_serve_with_workers(tmp_path: Path) -> None:
    build(tmp_path, PROJECT)
    code = f"from nextauth.server import serve; serve({str(tmp_path)!r}, port=0, workers=2)"
    with running(["-c", code], tmp_path) as base:
        responses = [_get(base + "/api/items/7") for _ in range(4)]
    assert all(r.json() == {"id": "7"} for r in responses)
    assert "2 workers" in (tmp_path / "server.log").read_text()


def test_reload_picks_up_an_edited_route_and_env_file(tmp_path: Path) -> None:
    build(tmp_path, PROJECT)
    with running(["-m", "nextauth.server", str(tmp_path), "--port", "0", "--reload"], tmp_path) as base:
        assert _get(base + "/api/items/1").json() == {"id": "1"}
        route = tmp_path / "app/api/items/[id]/route.py"
        route.write_text(route.read_text().replace('{"id": context.params["id"]}', '{"edited": True}'))
        assert _eventually(lambda: _get(base + "/api/items/1").json() == {"edited": True})
        (tmp_path / ".env.local").write_text("GREETING=edited-env-local\n")
        assert _eventually(lambda: _get(base + "/api/hello").json().get("greeting") == "edited-env-local")
        # A broken edit is reported; the reloader waits for the fix.
        route.write_text("def GET(request, context):\n    return (\n")
        assert _eventually(lambda: "could not be imported: SyntaxError" in (tmp_path / "server.log").read_text())
        route.write_text(PROJECT["app/api/items/[id]/route.py"].replace("        ", ""))
        assert _eventually(lambda: _get(base + "/api/items/5").json() == {"id": "5"})


def test_a_broken_project_exits_with_the_users_error(tmp_path: Path) -> None:
    build(tmp_path, {"pages/api/x.py": "import does_not_exist_anywhere\n"})
    result = subprocess.run(
        [sys.executable, "-m", "nextauth.server", str(tmp_path), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: pages/api/x.py could not be imported: ModuleNotFoundError")
    assert "nextauth/server" not in result.stderr  # the user's frames only


def _eventually(check: object, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():  # type: ignore[operator]
                return True
        except (httpx.TransportError, ValueError):
            pass  # restarting
        time.sleep(0.2)
    return False


def _status_of(sock: socket.socket) -> bytes:
    """The status line of the answer on ``sock`` (read until its first line ends, or the peer closes)."""
    data = b""
    while b"\r\n" not in data:
        piece = sock.recv(4096)
        if not piece:
            break
        data += piece
    return data.split(b"\r\n", 1)[0]


def test_serve_under_h11_reads_a_large_session_cookie(tmp_path: Path) -> None:
    """h11's own limit is a 16 KB head still incomplete in its buffer (a 400, as a head split over TCP segments
    arrives): serve() raises it so a chunked session cookie gets through, and the application's 64 KB cap
    answers 431 past it."""
    build(tmp_path, PROJECT)
    code = (
        "import functools, uvicorn\n"
        "uvicorn.run = functools.partial(uvicorn.run, http='h11')  # as `--http h11`, or uvicorn without httptools\n"
        f"from nextauth.server import serve; serve({str(tmp_path)!r}, port=0)\n"
    )
    chunks = "; ".join(f"next-auth.session-token.{i}={'x' * 3900}" for i in range(10))  # ~40 KB, as chunked
    head = f"GET /api/hello HTTP/1.1\r\nhost: 127.0.0.1\r\ncookie: {chunks}\r\nconnection: close\r\n\r\n".encode()
    with running(["-c", code], tmp_path) as base:
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as split:
            split.sendall(head[: 20 * 1024])  # more than 16 KB, the head not yet complete
            # Another request answered: by then the server has read the first part (else its 400 was racing).
            assert httpx.get(base + "/api/items/1", timeout=5).status_code == 200
            split.sendall(head[20 * 1024 :])
            status = _status_of(split)
        whole = httpx.get(base + "/api/hello", headers={"cookie": chunks}, timeout=5)
        past_cap = httpx.get(base + "/api/hello", headers={"cookie": "a=" + "x" * (66 * 1024)}, timeout=5)
    assert len(head) > 32 * 1024
    assert status == b"HTTP/1.1 200 OK", status
    assert whole.status_code == 200 and whole.json()["greeting"] == "from-env-local"
    assert past_cap.status_code == 431
