"""The parts of the browser suite: npm packages, the esbuild bundle, the Python server, next-auth in Node, chromium.

* :func:`node_modules` finds ``tests/browser/app``'s packages (installed by ``scripts/bootstrap`` in place), or
  installs them once per lock file with ``npm ci`` into ``${XDG_CACHE_HOME:-~/.cache}/nextauth-tests/``.
* :func:`build_bundle` runs ``app/build.mjs``: React 18 and the real ``next-auth/react`` as one static script.
* :class:`ProjectServer` runs ``python -m nextauth.server tests/browser/project`` on a free port, and stops it.
* :class:`NextServer` runs ``next dev`` on ``tests/browser/nextjs``, rewriting ``/api/auth/*`` to a ProjectServer.
* :class:`NextAuthNode` runs ``app/nextauth-rpc.cjs``: next-auth's own handler, ``getServerSession``, ``getToken``.
* :class:`Client` drives the test page (``/``) and reads what next-auth/react returned.
* :func:`chromium` is Debian's chromium, installed with apt-get when missing and possible.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
APP_DIR = HERE / "app"
NEXTJS_DIR = HERE / "nextjs"
PROJECT_DIR = HERE / "project"
ARTIFACTS = ROOT / "tests" / "artifacts" / "browser"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SECRET = "browser-tests-secret-not-for-production-0123456789"
OFF_MACHINE = re.compile(r"^(?!https?://127\.0\.0\.1[:/])")  # what browser contexts must not reach (aborted)
_ENV_PREFIXES = ("NEXTAUTH_", "AUTH_")
_ENV_NAMES = ("VERCEL", "VERCEL_URL", "NODE_ENV", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without what changes next-auth's behaviour (or routes requests via a proxy)."""
    env = {
        k: v for k, v in os.environ.items() if not k.upper().startswith(_ENV_PREFIXES) and k.upper() not in _ENV_NAMES
    }
    env.update(extra)
    return env


# ------------------------------------------------------------------------------------------------ npm
def _cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nextauth-tests"


def node_modules(package: Path = APP_DIR) -> Path:
    """``node_modules`` for ``package`` (``tests/browser/app`` or ``tests/browser/nextjs``), as its lock file says.

    The copy ``scripts/bootstrap`` installed in place is used when it matches the lock; otherwise ``npm ci`` runs
    once per lock file into the user's cache directory (a few seconds from the npm registry), and later runs
    reuse it.
    """
    lock = (package / "package-lock.json").read_bytes()
    in_tree = package / "node_modules"
    stamp = in_tree / ".bootstrap-lock"  # scripts/bootstrap stamps the lock it installed
    if stamp.is_file() and stamp.read_bytes() == lock and (in_tree / "next-auth" / "package.json").is_file():
        return in_tree
    digest = hashlib.sha256(lock + (package / "package.json").read_bytes()).hexdigest()[:16]
    target = _cache_root() / f"{package.name}-{digest}"
    marker = target / "node_modules" / ".installed"
    if marker.is_file():
        return target / "node_modules"
    where = package.relative_to(ROOT)
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.fail(
            "the browser tests need Node.js >= 18 and npm on PATH (Debian: apt-get install nodejs npm), "
            f"then `bash scripts/bootstrap` (or `npm ci` in {where})"
        )
    _cache_root().mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{package.name}-", dir=_cache_root()))
    try:
        for name in ("package.json", "package-lock.json", ".npmrc"):
            shutil.copyfile(package / name, staging / name)
        completed = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=staging,
            env=clean_env(NEXT_TELEMETRY_DISABLED="1"),
            capture_output=True,
            text=True,
            timeout=600,
        )
        if completed.returncode != 0:
            pytest.fail(
                f"`npm ci` for {where} failed (exit {completed.returncode}); run it there yourself to see why:\n"
                f"{completed.stderr[-3000:]}"
            )
        (staging / "node_modules" / ".installed").write_bytes(lock)
        try:
            staging.rename(target)  # atomic: a concurrent run either wins or finds the finished copy
        except OSError:
            if not marker.is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target / "node_modules"


def build_bundle(modules: Path, outfile: Path, nextauth_url: str) -> Path:
    """``app/src/main.jsx`` bundled by esbuild with ``process.env.NEXTAUTH_URL = nextauth_url``."""
    completed = subprocess.run(
        ["node", str(APP_DIR / "build.mjs"), str(outfile), nextauth_url],
        env=clean_env(NEXTAUTH_TEST_NODE_MODULES=str(modules)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if completed.returncode != 0 or not outfile.is_file():
        pytest.fail(f"esbuild failed to bundle tests/browser/app (exit {completed.returncode}):\n{completed.stderr}")
    return outfile


# ------------------------------------------------------------------------------------------ processes
def _stop(process: subprocess.Popen[Any]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class ProjectServer:
    """``python -m nextauth.server tests/browser/project`` on a free port (one process; stop() ends it)."""

    def __init__(self, port: int, env: dict[str, str], log_path: Path) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.base = f"{self.url}/api/auth"
        self.log_path = log_path
        log = log_path.open("wb")
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "nextauth.server", str(PROJECT_DIR), "--port", str(port), "--log-level", "info"],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        finally:
            log.close()
        try:
            self._wait()
        except BaseException:
            self.stop()
            raise

    def _wait(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the test server exited: {self.log_path.read_text()[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.base}/providers", timeout=1, trust_env=False).status_code == 200:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"the test server did not answer within 30 s: {self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        _stop(self._process)


class NextServer:
    """``next dev`` for ``tests/browser/nextjs`` in a work directory of its own, with ``/api/auth/*`` rewritten to
    ``backend``; stop() ends its process group (``next dev`` forks its server)."""

    def __init__(self, modules: Path, workdir: Path, port: int, backend: str, log_path: Path) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        for name in ("package.json", "next.config.js"):
            shutil.copyfile(NEXTJS_DIR / name, workdir / name)
        shutil.copytree(NEXTJS_DIR / "pages", workdir / "pages")
        (workdir / "components").mkdir()
        shutil.copyfile(APP_DIR / "src" / "Client.jsx", workdir / "components" / "Client.jsx")
        (workdir / "node_modules").symlink_to(modules, target_is_directory=True)
        env = clean_env(
            NEXTAUTH_URL=self.url,
            NEXTAUTH_SECRET=SECRET,
            AUTH_BACKEND_URL=backend,
            NEXT_TELEMETRY_DISABLED="1",  # also turns off next dev's version check against the npm registry
        )
        log = log_path.open("wb")
        try:
            self._process = subprocess.Popen(
                ["node", str(modules / "next" / "dist" / "bin" / "next"), "dev", "-H", "127.0.0.1", "-p", str(port)],
                cwd=workdir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            log.close()
        try:
            self._wait()
        except BaseException:
            self.stop()
            raise

    def _wait(self) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"next dev exited: {self.log_path.read_text()[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                # The first request compiles the page: give it time.
                if httpx.get(f"{self.url}/", timeout=60, trust_env=False).status_code == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"next dev did not serve / within 120 s: {self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self._process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._process.pid, signal.SIGTERM)
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait(timeout=10)
        # next dev's forked server is in the same group: make sure it is gone too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signal.SIGKILL)


class NodeError(Exception):
    """next-auth threw in Node."""


class NextAuthNode:
    """A running ``app/nextauth-rpc.cjs``: ``call("getToken", secret=..., cookies=...)`` is next-auth's answer."""

    def __init__(self, modules: Path) -> None:
        self._process = subprocess.Popen(
            ["node", str(APP_DIR / "nextauth-rpc.cjs")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=clean_env(NEXTAUTH_TEST_NODE_MODULES=str(modules)),
        )
        self._ids = itertools.count()
        self._lock = threading.Lock()

    def call(self, op: str, **args: Any) -> Any:
        with self._lock:
            request_id = next(self._ids)
            assert self._process.stdin is not None and self._process.stdout is not None
            self._process.stdin.write(json.dumps({"id": request_id, "op": op, **args}) + "\n")
            self._process.stdin.flush()
            line = self._process.stdout.readline()
        if not line:
            stderr = self._process.stderr.read() if self._process.stderr else ""
            raise RuntimeError(f"nextauth-rpc.cjs exited: {stderr[-2000:]}")
        answer = json.loads(line)
        assert answer["id"] == request_id
        if not answer["ok"]:
            error = answer["error"]
            raise NodeError(f"{error.get('name')}: {error.get('message')}")
        return answer["result"]

    def close(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _stop(self._process)
        for stream in (self._process.stdout, self._process.stderr):
            if stream:
                stream.close()


def set_cookies(lines: list[str]) -> dict[str, str]:
    """Name → value of ``Set-Cookie`` lines (values as sent, i.e. still percent-encoded); deletions left out."""
    out: dict[str, str] = {}
    for line in lines:
        pair, *attributes = (part.strip() for part in line.split(";"))
        name, _, value = pair.partition("=")
        if any(a.lower() == "max-age=0" for a in attributes):
            out.pop(name, None)
        else:
            out[name] = value
    return out


# ------------------------------------------------------------------------------------------ page helpers
class Client:
    """The test app (``/``) in a page: click a button, read what next-auth/react returned."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self) -> Client:
        self.page.goto("/")
        self.wait_until_settled()
        return self

    def wait_until_settled(self) -> str:
        self.page.wait_for_function("document.getElementById('status')?.textContent !== 'loading'")
        return self.status()

    def status(self) -> str:
        return self.page.locator("#status").text_content() or ""

    def history(self) -> list[str]:
        return (self.page.locator("#status-history").text_content() or "").split(",")

    def session(self) -> Any:
        return json.loads(self.page.locator("#session").text_content() or "null")

    def wait_for_status(self, status: str) -> None:
        self.page.wait_for_function(f"document.getElementById('status')?.textContent === {json.dumps(status)}")

    def call(self, button: str, result: str) -> Any:
        """Click ``#button`` and return the JSON the page wrote into ``#result-<result>`` when the call finished."""
        shown = self.page.locator(f"#result-{result}")
        seq = int(shown.get_attribute("data-seq") or "0")
        self.page.click(f"#{button}")
        self.page.wait_for_selector(f'#result-{result}[data-seq="{seq + 1}"]', state="attached")
        text = shown.text_content() or ""
        assert shown.get_attribute("data-state") == "done", f"{button} threw: {text}"
        return json.loads(text)

    def sign_in(self, username: str, password: str) -> Any:
        self.page.fill("#username", username)
        self.page.fill("#password", password)
        return self.call("signin-credentials", "signin")


# ------------------------------------------------------------------------------------------- chromium
def chromium() -> str:
    """The path of Debian's chromium; installs it with apt-get when missing and this process may."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if shutil.which("apt-get") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, check=False, timeout=600)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"],
            env=env,
            capture_output=True,
            check=False,
            timeout=1200,
        )
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium` (scripts/bootstrap does)")
    return CHROMIUM
