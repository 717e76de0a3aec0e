"""`nextauth start` against the real next-auth 4.24.15 (`next start`) and a bare uvicorn hello, over HTTP.

    .venv/bin/python benchmarks/versus_nextauth.py                    # ~2 min: 2 rounds of 3 s per figure
    .venv/bin/python benchmarks/versus_nextauth.py --seconds 5 --rounds 3
    .venv/bin/python benchmarks/versus_nextauth.py --no-next          # without Node: ours and hello only

Servers, all on 127.0.0.1 and all started and stopped by this script:

* ``next-auth``: the conformance kit's oracle app (pages router, config A) as a production build, started with
  ``oracle-app/start.sh PORT``: ``tests/conformance/kit/oracle-app`` when vendored, else
  ``../shared/conformance/oracle-app`` (the first run installs and builds it: a minute or two, npm registry).
* ``pages``/``app``: ``nextauth start`` on a copy of ``tests/conformance/{pages,app}-project`` without its
  ``middleware.py``; ``pages+mw``/``app+mw`` the same with the scaffold's ``middleware.py`` kept (its matcher
  does not select ``/api/auth``, so those routes should cost the same).
* ``hello``: uvicorn serving a two-message ASGI app (access log off), the floor for any Python server here.

Each figure is wrk (``apt-get install wrk``; 1 thread, ``--connections`` connections) for ``--seconds``, the servers
taken in turn and the whole set repeated ``--rounds`` times, so every server sees the same machine load; the
median over rounds is printed. CPU µs per request is the server's user+system time (from ``/proc/<pid>/stat``,
summed over the server's whole process tree, so next's worker counts) divided by the requests wrk completed.
Routes: GET /api/auth/csrf, /api/auth/providers, and /api/auth/session with a valid JWE session cookie. Ratios:
requests/s against next-auth's and against the hello's. Numbers from a shared machine are noisy; compare the
ratios within one run, never figures across runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "runtime"))

SECRET = "oracle-secret-not-for-production-0123456789"  # the conformance kit's public secret
ROUTES = ("csrf", "providers", "session")
CLK_TCK = os.sysconf("SC_CLK_TCK")
HELLO = """
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", b"5")]})
    await send({"type": "http.response.body", "body": b"hello"})
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(url: str, timeout: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2, trust_env=False).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def tree_cpu_ticks(root: int) -> int:
    """utime+stime of ``root`` and every live descendant, plus what finished children left (cutime+cstime)."""
    parents: dict[int, int] = {}
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        stats[int(entry.name)] = fields
        parents[int(entry.name)] = int(fields[1])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        fields = stats.get(pid)
        if fields is None:
            continue
        # fields[0] is the state (stat field 3): utime/stime/cutime/cstime are stat fields 14-17.
        total += sum(int(fields[i]) for i in (11, 12, 13, 14))
        todo.extend(child for child, parent in parents.items() if parent == pid)
    return total


@dataclass
class Server:
    name: str
    url: str
    pid: int
    stop: list[str] | None = None
    process: subprocess.Popen[bytes] | None = None
    routes: tuple[str, ...] = ROUTES

    def close(self) -> None:
        if self.stop:
            subprocess.run(self.stop, check=False, capture_output=True)
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Figure:
    rps: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    errors: int = 0


def start_ours(layout: str, keep_middleware: bool, work: Path) -> Server:
    project = work / f"{layout}{'-mw' if keep_middleware else ''}"
    shutil.copytree(ROOT / "tests" / "conformance" / f"{layout}-project", project)
    if not keep_middleware:
        (project / "middleware.py").unlink()
    port = free_port()
    env = {**os.environ, "NEXTAUTH_URL": f"http://127.0.0.1:{port}", "NEXTAUTH_SECRET": SECRET}
    nextauth = str(Path(sys.executable).with_name("nextauth"))
    process = subprocess.Popen(
        [nextauth, "start", str(project), "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    server = Server(f"{layout}{'+mw' if keep_middleware else ''}", url, process.pid, process=process)
    try:
        wait_for(f"{url}/api/auth/providers")
    except RuntimeError:
        server.close()
        raise
    return server


def start_hello(work: Path) -> Server:
    (work / "hello_app.py").write_text(HELLO)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "hello_app:app", "--port", str(port), "--no-access-log",
         "--log-level", "warning", "--no-server-header"],
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    server = Server("hello", url, process.pid, process=process, routes=("hello",))
    wait_for(url)
    return server


def oracle_dir() -> Path | None:
    for candidate in (ROOT / "tests/conformance/kit/oracle-app", ROOT.parent / "shared/conformance/oracle-app"):
        if (candidate / "start.sh").is_file():
            return candidate
    return None


def start_next(oracle: Path) -> Server:
    port = free_port()
    env = {**os.environ, "ORACLE_SECRET": SECRET}
    subprocess.run([str(oracle / "start.sh"), str(port)], env=env, check=True)
    home = os.environ.get("ORACLE_APP_HOME") or str(
        Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nextauth-oracle-app"
    )
    pid = int(Path(home, "run", f"next-{port}.pid").read_text().strip())
    return Server("next-auth", f"http://127.0.0.1:{port}", pid, stop=[str(oracle / "stop.sh"), str(port)])


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if match is None:
        raise ValueError(f"unexpected wrk latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def run_wrk(url: str, cookie: str | None, seconds: float, connections: int) -> tuple[int, float, float, float, int]:
    """(requests, requests/s, p50 ms, p99 ms, non-2xx/3xx responses + socket errors) of one wrk run."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s*50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s*99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return requests, rps, p50, p99, errors


def settle(servers: list[Server], quiet: float = 0.3, limit: float = 5.0) -> None:
    """Wait until no server uses CPU (no tick over ``quiet`` seconds), for at most ``limit``: a server that keeps
    working after its run (Node's garbage collector after next-auth's) would take CPU from the next one measured."""
    deadline = time.monotonic() + limit
    last = [tree_cpu_ticks(server.pid) for server in servers]
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = [tree_cpu_ticks(server.pid) for server in servers]
        if now == last:
            return
        last = now


def measure(server: Server, route: str, cookie: str, seconds: float, connections: int, figure: Figure) -> None:
    url = server.url + ("/" if route == "hello" else f"/api/auth/{route}")
    before = tree_cpu_ticks(server.pid)
    requests, rps, p50, p99, errors = run_wrk(url, cookie if route == "session" else None, seconds, connections)
    used = tree_cpu_ticks(server.pid) - before
    figure.rps.append(rps)
    figure.p50.append(p50)
    figure.p99.append(p99)
    figure.cpu.append(used / CLK_TCK * 1e6 / max(requests, 1))
    figure.errors += errors


def session_cookie() -> str:
    from nextauth import jwt

    token = asyncio.run(
        jwt.encode(token={"name": "Alice", "email": "alice@example.com", "sub": "user-1"}, secret=SECRET, max_age=86400)
    )
    return f"next-auth.session-token={token}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per figure and round (default 3)")
    parser.add_argument("--rounds", type=int, default=2, help="how many times each figure is taken (default 2)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--no-next", action="store_true", help="skip next-auth (no Node, or no ../shared)")
    parser.add_argument("--no-middleware", action="store_true", help="skip the +mw servers")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is needed: apt-get install -y wrk", file=sys.stderr)
        return 2
    cookie = session_cookie()
    servers: list[Server] = []
    with tempfile.TemporaryDirectory(prefix="nextauth-bench-") as tmp:
        work = Path(tmp)
        try:
            if not args.no_next:
                oracle = oracle_dir()
                if oracle is None:
                    print("next-auth skipped: no oracle-app (tests/conformance/kit or ../shared/conformance)")
                else:
                    print(f"next-auth from {oracle}")
                    servers.append(start_next(oracle))
            for layout in ("pages", "app"):
                servers.append(start_ours(layout, False, work))
                if not args.no_middleware:
                    servers.append(start_ours(layout, True, work))
            servers.append(start_hello(work))
            for server in servers:  # warm-up: JIT for node, imports and caches for Python
                for route in server.routes:
                    measure(server, route, cookie, 1, args.connections, Figure())
            figures: dict[tuple[str, str], Figure] = {}
            for _ in range(args.rounds):
                for route in (*ROUTES, "hello"):
                    for server in servers:
                        if route in server.routes:
                            figure = figures.setdefault((server.name, route), Figure())
                            settle(servers)
                            measure(server, route, cookie, args.seconds, args.connections, figure)
        finally:
            for server in servers:
                server.close()
    report(figures, args)
    return 0


def report(figures: dict[tuple[str, str], Figure], args: argparse.Namespace) -> None:
    cpus = os.cpu_count()
    print(
        f"wrk -t1 -c{args.connections}, {args.seconds:g} s x {args.rounds} rounds (median), {cpus} CPUs, "
        f"Python {sys.version.split()[0]}"
    )
    hello = figures.get(("hello", "hello"))
    hello_rps = statistics.median(hello.rps) if hello else None
    head = f"{'route':<10} {'server':<10} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'CPU µs/req':>10} "
    print(head + f"{'vs next':>8} {'vs hello':>8} {'errors':>6}")
    for route in (*ROUTES, "hello"):
        nxt = figures.get(("next-auth", route))
        next_rps = statistics.median(nxt.rps) if nxt else None
        for (name, r), figure in figures.items():
            if r != route:
                continue
            rps = statistics.median(figure.rps)
            vs_next = f"{rps / next_rps:.2f}x" if next_rps and name != "next-auth" else ""
            vs_hello = f"{rps / hello_rps:.0%}" if hello_rps and name != "hello" else ""
            print(
                f"{route:<10} {name:<10} {rps:>8.0f} {statistics.median(figure.p50):>7.2f} "
                f"{statistics.median(figure.p99):>7.2f} {statistics.median(figure.cpu):>10.0f} "
                f"{vs_next:>8} {vs_hello:>8} {figure.errors:>6}"
            )


if __name__ == "__main__":
    sys.exit(main())
