"""The conformance kit against our two fixture projects, served by nextauth.

The kit is ``kit/``, vendored byte for byte from ../shared/conformance by ``scripts/refresh-vendored``.

Each project is served by ``nextauth dev`` (uvicorn with reload) on the port its ``.env.local``
names (3000 pages, 3001 app); ``run.sh`` replays the scenarios recorded from next-auth 4.24.15 on
Next.js and compares. Every step must match except the deliberate departures listed below, and those
must differ in exactly the fields we expect.
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
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.node]

ROOT = Path(__file__).resolve().parents[2]
KIT = ROOT / "tests" / "conformance" / "kit"  # vendored: scripts/refresh-vendored
HERE = Path(__file__).resolve().parent
ARTIFACTS = ROOT / "tests" / "artifacts" / "conformance"

# (scenario, step) -> the differing fields, for the departures from next-auth we make on purpose.
POISONED_COOKIE = {
    "response.status",
    "response.set_cookies[next-auth.callback-url]",
    "response.set_cookies[next-auth.csrf-token]",
    "response.headers.cache-control",
    "response.headers.pragma",
    "response.headers.expires",
    "response.body.json.message",
    "response.body.json.csrfToken",
}
EXPECTED: dict[str, dict[tuple[str, int], set[str]]] = {
    "pages": {
        # next-auth answers 500 on every request while a poisoned callback-url cookie is present (README quirk 2)
        ("invalid-callback-url", 4): POISONED_COOKIE,
    },
    "app": {
        ("invalid-callback-url", 4): POISONED_COOKIE,
        # a 405 carries the Allow header HTTP requires; Next.js leaves it out
        ("unsupported", 2): {"response.headers.allow"},
        ("unsupported", 3): {"response.headers.allow"},
        # next-auth's app router answers "[object Object]" as text; we answer the JSON {} (README quirk 1)
        ("session-update", 7): {
            "response.headers.content-type",
            "response.body.kind",
            "response.body.text",
            "response.body.json",
        },
    },
}
PORTS = {"pages": 3000, "app": 3001}

_STEP = re.compile(r"^  \[(\d+)\] ")
_FIELD = re.compile(r"^    - ([^:]+?)(?::| only in| \(| A=)")


def parse(report: str) -> dict[tuple[str, int], set[str]]:
    """``compare.py``'s output as {(scenario, step): {differing field paths}}."""
    out: dict[tuple[str, int], set[str]] = {}
    scenario = ""
    current: tuple[str, int] | None = None
    for line in report.splitlines():
        if line.startswith("## "):
            scenario = line[3:].strip()
        elif m := _STEP.match(line):
            current = (scenario, int(m.group(1)))
            out[current] = set()
        elif current and (m := _FIELD.match(line)):
            out[current].add(m.group(1).strip())
    return out


def _wait_for(port: int, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server on port {port} did not start")


# The kit's user, exactly as the goldens were recorded (kit/run.sh).
BOB = {"sub": "bob", "name": "Bob", "email": "Bob@Example.com", "picture": "http://127.0.0.1:9400/bob.png"}


@pytest.fixture(scope="module")
def verifying_mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The mock on 127.0.0.1:9400 behind the harness's PKCE/nonce-verifying proxy (oidcmock.VerifyingProxy).

    ``run.sh`` reuses a mock that already answers on 9400 with issuer ``http://127.0.0.1:9400``; the proxy keeps
    that issuer (it forwards the Host header), so the goldens still match while every token request is checked.
    """
    sys.path.insert(0, str(ROOT / "tests" / "runtime" / "core"))
    from oidcmock import MockProvider

    log_path = tmp_path_factory.mktemp("conformance-mock") / "mock.log"
    deadline = time.monotonic() + 900  # another run may hold 9400 (run.sh waits as long for its lock)
    while True:
        try:
            with socket.socket() as probe:  # cheap check first: starting the mock takes a second or two
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                probe.bind(("127.0.0.1", 9400))
            mock = MockProvider(log_path, users=[BOB], port=9400).start()
            break
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail("port 9400 (the mock provider's, baked into the goldens) stayed busy for 15 minutes")
            time.sleep(1)
    try:
        yield
    finally:
        assert mock.proxy is not None
        refusals = list(mock.proxy.refusals)
        verified = mock.proxy.verified
        mock.stop()
    assert not refusals, f"the harness's provider refused token requests: {refusals}"
    assert verified > 0, "no token request went through the verifying proxy"


@pytest.fixture(params=["pages", "app"])
def served(request: pytest.FixtureRequest, verifying_mock: None) -> Iterator[tuple[str, int]]:
    layout: str = request.param
    if not (KIT / "run.sh").is_file():
        pytest.fail(f"the vendored conformance kit is missing: {KIT} (git checkout tests/conformance/kit)")
    port = PORTS[layout]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEXTAUTH_", "AUTH_"))}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = (ARTIFACTS / f"{layout}-server.log").open("wb")
    proc = subprocess.Popen(  # its own process group: the reloader's worker goes down with it
        start_new_session=True,
        args=[
            str(Path(sys.executable).with_name("nextauth")),
            "dev",
            str(HERE / f"{layout}-project"),
            "--port",
            str(port),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(port, proc)
        yield layout, port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        log.close()


def test_conformance_with_next_auth(served: tuple[str, int]) -> None:
    layout, port = served
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEXTAUTH_", "AUTH_"))}
    env.setdefault("CONFORMANCE_HOME", str(Path.home() / ".cache" / "nextauth-conformance"))
    run = subprocess.run(
        ["bash", str(KIT / "run.sh"), f"http://127.0.0.1:{port}", layout],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = run.stdout + run.stderr
    (ARTIFACTS / f"{layout}-report.txt").write_text(report)
    summary = next((line for line in reversed(report.splitlines()) if "matched" in line), "")
    assert run.returncode in (0, 1), f"the conformance run failed to run:\n{report[-3000:]}"
    differing = parse(run.stdout)
    assert differing == EXPECTED[layout], f"{summary}\n{run.stdout[-6000:]}"
    total_steps = int(summary.split()[0]) + int(summary.split()[2])
    assert total_steps == 158, summary
