"""Bounded requests: bodies read incrementally with one limit (hole 3), headers handled in linear time and
capped with a 431 (hole 4), in every way NextAuth is served: the pages layout, the app layout, the mount.

The in-process tests call the ASGI application with exact bytes and count how much of the body it pulled; the
slow ones stream 200 MB and 30,000 headers at a real uvicorn server and read its memory from /proc.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from requestkit import (
    SURFACES,
    Surface,
    asgi_request,
    auth_project,
    isolated_imports,  # noqa: F401 - a fixture
    mounted_app,
    surface_app,
)
from security_figures import record
from starlette.requests import Request

from nextauth import NextAuth, get_server_session
from nextauth.errors import ConfigurationError
from nextauth.server import ProjectError
from nextauth.server._asgi import load_project

pytestmark = pytest.mark.usefixtures("isolated_imports")

MB = 1024 * 1024
MAX_HEADER_COUNT = 256  # the documented caps (docs/serving.md); test_the_caps_are_the_documented_ones pins them
MAX_HEADER_BYTES = 64 * 1024
CHUNK = b"a" * 65536
FORM = ("content-type", "application/x-www-form-urlencoded")


@pytest.fixture(params=SURFACES)
def surface(request: pytest.FixtureRequest) -> Surface:
    value: Surface = request.param
    return value


# ------------------------------------------------------------------------------------------ bodies (hole 3)
async def test_a_streamed_body_stops_being_read_once_past_the_limit(tmp_path: Path, surface: Surface) -> None:
    app = surface_app(tmp_path, surface)
    reply = await asgi_request(app, "POST", "/api/auth/callback/credentials", headers=[FORM], body=[CHUNK] * 48)
    assert reply.status == 413
    assert b"Body exceeded 1mb limit" in reply.body
    assert reply.header("connection") == "close"  # so that the server does not read (and discard) the rest
    assert reply.body_read <= MB + len(CHUNK), f"read {reply.body_read} of a 3 MB body"
    record("request limits: oversized bodies", tried=1, accepted=int(reply.status != 413), what="413, read <= limit")


async def test_a_declared_length_over_the_limit_is_refused_before_reading(tmp_path: Path, surface: Surface) -> None:
    app = surface_app(tmp_path, surface)
    reply = await asgi_request(
        app,
        "POST",
        "/api/auth/signin/email",
        headers=[FORM, ("content-length", str(200 * MB))],
        body=[CHUNK] * 4,
    )
    assert (reply.status, reply.body_read) == (413, 0)
    assert reply.header("connection") == "close"


async def test_the_limit_is_one_setting_for_every_layout(
    tmp_path: Path, surface: Surface, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEXTAUTH_BODY_SIZE_LIMIT", "2kb")
    app = surface_app(tmp_path, surface)
    small = await asgi_request(app, "POST", "/api/auth/signout", headers=[FORM], body=b"a=" + b"x" * 1500)
    large = await asgi_request(app, "POST", "/api/auth/signout", headers=[FORM], body=[b"a=" + b"x" * 1500] * 2)
    assert small.status == 302  # the CSRF check's redirect: the body was read and handled
    assert large.status == 413 and b"Body exceeded 2kb limit" in large.body
    assert large.body_read <= 2 * 1502


def test_a_malformed_limit_stops_the_server_at_startup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEXTAUTH_BODY_SIZE_LIMIT", "plenty")
    for layout in ("pages", "app"):
        with pytest.raises(ProjectError, match="NEXTAUTH_BODY_SIZE_LIMIT"):
            load_project(auth_project(tmp_path / layout, layout), load_env=False)
    with pytest.raises(ConfigurationError, match="NEXTAUTH_BODY_SIZE_LIMIT must be a number of bytes or a size"):
        mounted_app(tmp_path)


# ------------------------------------------------------------------------------------------ headers (hole 4)
def _headers(count: int, *, repeated: bool) -> list[tuple[bytes, bytes]]:
    return [(b"x-repeated" if repeated else b"x-h%d" % i, b"v%d" % i) for i in range(count)]


def _scope(headers: list[tuple[bytes, bytes]], path: str = "/api/auth/session") -> dict[str, object]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"localhost:3000"), *headers],
        "server": ("127.0.0.1", 3000),
        "client": ("127.0.0.1", 50000),
    }


async def _receive() -> dict[str, object]:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _cost(call: Callable[[], Awaitable[object]], runs: int) -> float:
    """The least CPU time of ``runs`` calls (CPU time, not wall time: other processes on the machine do not count)."""
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        await call()
        best = min(best, time.process_time() - start)
    return best


async def _ratio(make: Callable[[int], Callable[[], Awaitable[object]]]) -> float:
    """Cost with 30,000 headers over cost with 3,000: about 10 when linear, about 100 when quadratic."""
    await make(3000)()  # warm up (imports, caches)
    small = await _cost(make(3000), 7)
    large = await _cost(make(30000), 3)
    return large / small


async def _baseline_ratio(repeated: bool) -> float:
    """The same ratio for the least any server does with headers (decode each once): on a real machine caches
    make even that a little more than 10 (3,000 headers fit in them, 30,000 do not)."""

    def make(n: int) -> Callable[[], Awaitable[object]]:
        raw = _headers(n, repeated=repeated)

        async def call() -> object:
            return [(k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in raw]

        return call

    return await _ratio(make)


@pytest.mark.parametrize("repeated", [False, True], ids=["distinct", "repeated"])
async def test_header_handling_is_linear_in_every_layout(tmp_path: Path, repeated: bool) -> None:
    """Each handler called directly (below the server's 431 cap), so the ratio is the algorithm's."""
    pages_table = load_project(auth_project(tmp_path / "pages", "pages"), load_env=False)
    (pages_endpoint,) = [endpoint for _, endpoint in pages_table]
    app_handler = NextAuth(mounted_app_options(tmp_path))

    def pages(n: int) -> Callable[[], Awaitable[object]]:
        scope = _scope(_headers(n, repeated=repeated))

        async def call() -> None:
            sent: list[object] = []

            async def send(message: object) -> None:
                sent.append(message)

            await pages_endpoint(scope, _receive, send, {"nextauth": ["session"]})

        return call

    def app(n: int) -> Callable[[], Awaitable[object]]:
        scope = _scope(_headers(n, repeated=repeated))
        return lambda: app_handler(Request(scope, _receive), {"params": {"nextauth": ["session"]}})

    def server_session(n: int) -> Callable[[], Awaitable[object]]:
        scope = _scope(_headers(n, repeated=repeated))
        return lambda: get_server_session(Request(scope, _receive), app_handler)

    ratios = {name: await _ratio(make) for name, make in (("pages", pages), ("app", app), ("session", server_session))}
    baseline = await _baseline_ratio(repeated)
    # Linear: about 10 (the baseline's ratio when caches make that higher). Quadratic (4586d69): about 100.
    bound = 2 * max(10.0, baseline)
    slow = {name: round(r, 1) for name, r in ratios.items() if r > bound}
    shown = ", ".join(f"{name} {r:.1f}" for name, r in ratios.items())
    record(
        f"request limits: 30k vs 3k headers ({'repeated' if repeated else 'distinct'})",
        tried=len(ratios),
        accepted=len(slow),
        what=f"cost ratios {shown}; a bare decode pass {baseline:.1f}",
    )
    assert not slow, f"30k/3k header cost ratios {ratios}; a linear pass: {baseline:.1f}; bound {bound:.1f}"


def mounted_app_options(tmp_path: Path) -> object:
    import importlib.util

    from requestkit import OPTIONS_MODULE

    path = tmp_path / "ratio_options.py"
    path.write_text(textwrap.dedent(OPTIONS_MODULE), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("ratio_options", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.OPTIONS


@pytest.mark.parametrize(
    ("headers", "refused"),
    [
        (_headers(MAX_HEADER_COUNT - 1, repeated=False), False),  # with Host: exactly the cap
        (_headers(MAX_HEADER_COUNT, repeated=False), True),
        (_headers(30000, repeated=False), True),
        (_headers(30000, repeated=True), True),
        ([(b"cookie", b"a=" + b"b" * (MAX_HEADER_BYTES - 200))], False),
        ([(b"cookie", b"a=" + b"b" * MAX_HEADER_BYTES)], True),
        ([(b"x-%d" % i, b"v" * 1000) for i in range(70)], True),
    ],
    ids=["at-count-cap", "over-count-cap", "30k", "30k-repeated", "under-size-cap", "one-huge", "many-large"],
)
async def test_too_many_or_too_large_headers_are_431(
    tmp_path: Path, surface: Surface, headers: list[tuple[bytes, bytes]], refused: bool
) -> None:
    app = surface_app(tmp_path, surface)
    reply = await asgi_request(app, "GET", "/api/auth/session", headers=headers)
    if refused:
        assert reply.status == 431 and reply.header("connection") == "close"
        assert reply.body == b"Request Header Fields Too Large"
    else:
        assert reply.status == 200
    record("request limits: header caps", tried=1, accepted=int(refused and reply.status != 431), what="431 past cap")


def test_the_caps_are_the_documented_ones() -> None:
    from nextauth._lib import asgi as _http

    assert (_http.MAX_HEADER_COUNT, _http.MAX_HEADER_BYTES) == (MAX_HEADER_COUNT, MAX_HEADER_BYTES)


async def test_the_cap_answers_unknown_urls_too(tmp_path: Path) -> None:
    app = surface_app(tmp_path, "app")
    reply = await asgi_request(app, "GET", "/no/such/page", headers=_headers(MAX_HEADER_COUNT + 1, repeated=False))
    assert reply.status == 431


# ------------------------------------------------------------------------------------------ a real server
SERVER = """
import sys

import uvicorn
from fastapi import FastAPI

from nextauth.server import auth_routes, create_app

sys.path.insert(0, sys.argv[1])
import mount_options  # noqa: E402

api = FastAPI()
api.router.routes.extend(auth_routes(mount_options.handler))  # /api/auth/...: the mount
api.mount("/pages", create_app(sys.argv[2]))  # /pages/api/auth/...: the pages layout
api.mount("/app", create_app(sys.argv[3]))  # /app/api/auth/...: the app layout
uvicorn.run(api, host="127.0.0.1", port=int(sys.argv[4]), http=sys.argv[5], log_level="warning")
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def uvicorn_server(tmp_path: Path, http: str) -> Iterator[tuple[int, int]]:
    """``(port, pid)`` of a uvicorn process serving all three ways in; stopped (only it) afterwards."""
    from requestkit import OPTIONS_MODULE

    (tmp_path / "mount_options.py").write_text(textwrap.dedent(OPTIONS_MODULE), encoding="utf-8")
    (tmp_path / "serve.py").write_text(textwrap.dedent(SERVER), encoding="utf-8")
    pages = auth_project(tmp_path / "pages", "pages")
    app = auth_project(tmp_path / "app", "app")
    port = _free_port()
    log = (tmp_path / "server.log").open("wb")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEXTAUTH_", "AUTH_"))}
    proc = subprocess.Popen(
        [sys.executable, str(tmp_path / "serve.py"), str(tmp_path), str(pages), str(app), str(port), http],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError((tmp_path / "server.log").read_text()) from None
                time.sleep(0.1)
        yield port, proc.pid
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
        log.close()


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def raw_exchange(port: int, head: bytes, body_size: int, *, chunked: bool) -> tuple[bytes, int]:
    """Send ``head`` then up to ``body_size`` bytes of body while reading the answer in another thread.

    Returns ``(answer, body bytes the kernel accepted)``: sending stops when the server closes the connection.
    """
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    answer = bytearray()

    def read() -> None:
        try:
            while data := sock.recv(65536):
                answer.extend(data)
        except OSError:
            pass

    reader = threading.Thread(target=read)
    reader.start()
    sent = 0
    full = b"x" * 65536
    try:
        sock.sendall(head)
        while sent < body_size:
            piece = full[: body_size - sent]
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            sent += len(piece)
        if chunked:
            sock.sendall(b"0\r\n\r\n")
    except OSError:
        pass  # the server closed the connection: exactly what should happen
    reader.join(60)
    sock.close()
    return bytes(answer), sent


@pytest.mark.slow
@pytest.mark.parametrize("http", ["httptools", "h11"])
def test_a_200_mb_body_costs_a_real_server_almost_nothing(tmp_path: Path, http: str) -> None:
    size = 200 * MB
    with uvicorn_server(tmp_path, http) as (port, pid):
        for prefix in ("", "/pages", "/app"):  # warm every path up before the first measurement
            raw_exchange(port, _post_head(prefix, "Content-Length: 3\r\nConnection: close\r\n"), 3, chunked=False)
        before = rss_kb(pid)
        results = {}
        for prefix in ("", "/pages", "/app"):
            for chunked in (True, False):
                framing = "Transfer-Encoding: chunked\r\n" if chunked else f"Content-Length: {size}\r\n"
                answer, sent = raw_exchange(port, _post_head(prefix, framing), size, chunked=chunked)
                results[(prefix or "/mount", chunked)] = (answer.split(b"\r\n", 1)[0], sent)
        grown = rss_kb(pid) - before
    failures = {k: v for k, v in results.items() if v[0] != b"HTTP/1.1 413 Request Entity Too Large" or v[1] > 32 * MB}
    most = max(sent for _, sent in results.values())
    record(
        f"request limits: 200 MB bodies (uvicorn {http})",
        tried=len(results),
        accepted=len(failures),
        what=f"413; at most {most / MB:.1f} MB accepted by the socket, server RSS {grown:+d} kB",
    )
    assert not failures, f"{failures} (answer, body bytes the server let the client send)"
    assert grown < 10 * 1024, f"the server grew by {grown} kB while refusing {len(results)} bodies of 200 MB"


def _post_head(prefix: str, framing: str) -> bytes:
    return (
        f"POST {prefix}/api/auth/callback/credentials HTTP/1.1\r\nHost: localhost:3000\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\n{framing}\r\n"
    ).encode()


@pytest.mark.slow
def test_a_real_server_answers_431_to_30k_headers(tmp_path: Path) -> None:
    headers = "".join(f"X-H{i}: v\r\n" for i in range(30000))
    with uvicorn_server(tmp_path, "httptools") as (port, _pid):
        answers = {}
        for prefix in ("", "/pages", "/app"):
            head = f"GET {prefix}/api/auth/session HTTP/1.1\r\nHost: localhost:3000\r\n{headers}\r\n".encode()
            answer, _ = raw_exchange(port, head, 0, chunked=False)
            answers[prefix or "/mount"] = answer.split(b"\r\n", 1)[0]
        plain = b"GET /api/auth/session HTTP/1.1\r\nHost: localhost:3000\r\nConnection: close\r\n\r\n"
        ok, _ = raw_exchange(port, plain, 0, chunked=False)
    refused = sum(a.startswith(b"HTTP/1.1 431 ") for a in answers.values())
    record("request limits: 30k headers (uvicorn)", tried=len(answers), accepted=len(answers) - refused, what="431")
    assert all(a.startswith(b"HTTP/1.1 431 ") for a in answers.values()), answers
    assert ok.startswith(b"HTTP/1.1 200 ")
