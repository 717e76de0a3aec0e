"""The real mock OpenID provider (``oidc-provider-mock``) as a subprocess, and small loopback servers.

* :class:`MockProvider` starts ``python -m oidc_provider_mock`` on a free port and stops it (only the PID it
  started), and plays the user at its authorize page (``sub=<user>`` approves, ``action=deny`` denies).
* :class:`CountingServer` serves fixed JSON documents and counts requests (to see caching).
* :class:`StallingServer` accepts connections and never answers (a provider that hangs).
* :class:`RecordingProxy` is an HTTP proxy that records what it is asked and answers itself.
"""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from nextauth.providers import OAuthProvider

BOB = {"sub": "bob", "name": "Bob", "email": "Bob@Example.com", "picture": "http://127.0.0.1/bob.png"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class MockProvider:
    def __init__(self, log_path: Path, *, users: list[dict[str, Any]] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.well_known = f"{self.url}/.well-known/openid-configuration"
        self._log_path = log_path
        self._users = users if users is not None else [BOB]
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> MockProvider:
        argv = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(self.port)]
        for user in self._users:
            argv += ["--user-claims", json.dumps(user)]
        log = self._log_path.open("wb")
        self._process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"oidc-provider-mock exited: {self._log_path.read_text()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.well_known, timeout=1, trust_env=False).status_code == 200:
                    return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("oidc-provider-mock did not start within 30 s")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def discovery(self) -> dict[str, Any]:
        document: dict[str, Any] = httpx.get(self.well_known, timeout=5, trust_env=False).json()
        return document

    def register_client(self, redirect_uri: str, method: str) -> tuple[str, str]:
        response = httpx.post(
            f"{self.url}/oauth2/clients",
            json={"redirect_uris": [redirect_uri], "token_endpoint_auth_method": method},
            timeout=5,
            trust_env=False,
        )
        response.raise_for_status()
        body = response.json()
        return body["client_id"], body["client_secret"]

    async def approve(self, authorize_url: str, sub: str = "bob") -> str:
        """Submit the authorize form as ``sub``; the provider's redirect back (to our callback URL)."""
        return await self._submit(authorize_url, {"sub": sub})

    async def deny(self, authorize_url: str) -> str:
        return await self._submit(authorize_url, {"action": "deny"})

    async def _submit(self, authorize_url: str, form: dict[str, str]) -> str:
        assert authorize_url.startswith(self.url), authorize_url
        async with httpx.AsyncClient(timeout=10, trust_env=False) as client:
            response = await client.post(authorize_url, data=form)
        assert response.status_code == 302, (response.status_code, response.text[:500])
        return response.headers["location"]

    def provider(self, **overrides: Any) -> OAuthProvider:
        """The conformance kit's ``mock`` provider, pointed at this instance."""
        options: dict[str, Any] = {
            "id": "mock",
            "name": "Mock OIDC",
            "type": "oauth",
            "well_known": self.well_known,
            "client_id": "client",
            "client_secret": "secret",
            "id_token": True,
            "checks": ["pkce", "state"],
            "authorization": {"params": {"scope": "openid email profile"}},
            "profile": lambda claims: {
                "id": claims["sub"],
                "name": claims.get("name"),
                "email": claims.get("email"),
                "image": claims.get("picture"),
            },
            **overrides,
        }
        return OAuthProvider(**options)


# ------------------------------------------------------------------------------------------ tiny servers
class _Server:
    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self) -> _Server:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)


class CountingServer(_Server):
    """Serves ``documents`` (path -> JSON) and counts the requests per path."""

    def __init__(self, documents: dict[str, Any]) -> None:
        self.documents = documents
        self.hits: dict[str, int] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.hits[self.path] = server.hits.get(self.path, 0) + 1
                document = server.documents.get(self.path)
                body = json.dumps(document).encode()
                self.send_response(200 if document is not None else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        super().__init__(Handler)


class StallingServer:
    """Accepts TCP connections and never sends a byte (until closed)."""

    def __init__(self) -> None:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.accepted = 0
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        self._sock.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            self._held.append(conn)

    def __enter__(self) -> StallingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for conn in self._held:
            conn.close()
        self._sock.close()


class RecordingProxy(_Server):
    """An HTTP proxy that records each request line (absolute-form ``GET http://...`` or ``CONNECT host:port``).

    It forwards plain-HTTP requests to loopback targets and refuses everything else (CONNECT gets 403), so
    a request that went through it is visible and nothing leaves the machine.
    """

    def __init__(self) -> None:
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_CONNECT(self) -> None:
                server.requests.append(f"CONNECT {self.path}")
                self._refuse()

            def _refuse(self) -> None:
                self.send_response(403)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _forward(self) -> None:
                server.requests.append(f"{self.command} {self.path}")
                if not self.path.startswith("http://127.0.0.1:"):
                    self._refuse()
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                keep = {
                    k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type", "accept")
                }
                upstream = httpx.request(
                    self.command, self.path, headers=keep, content=body, timeout=10, trust_env=False
                )
                self.send_response(upstream.status_code)
                self.send_header("Content-Type", upstream.headers.get("content-type", "application/octet-stream"))
                self.send_header("Content-Length", str(len(upstream.content)))
                self.end_headers()
                self.wfile.write(upstream.content)

            do_GET = _forward
            do_POST = _forward

            def log_message(self, format: str, *args: Any) -> None:
                pass

        super().__init__(Handler)


class ForwardingServer(_Server):
    """A reverse proxy to ``upstream`` (loopback) that records each request: method, path, headers, body."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.requests: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                server.requests.append({"method": self.command, "path": self.path, "headers": headers, "body": body})
                keep = {k: v for k, v in headers.items() if k in ("authorization", "content-type", "accept")}
                upstream = httpx.request(
                    self.command, server.upstream + self.path, headers=keep, content=body, timeout=10, trust_env=False
                )
                self.send_response(upstream.status_code)
                self.send_header("Content-Type", upstream.headers.get("content-type", "application/octet-stream"))
                self.send_header("Content-Length", str(len(upstream.content)))
                self.end_headers()
                self.wfile.write(upstream.content)

            do_GET = _forward
            do_POST = _forward

            def log_message(self, format: str, *args: Any) -> None:
                pass

        super().__init__(Handler)


@contextlib.contextmanager
def running_mock(log_path: Path, **kwargs: Any) -> Iterator[MockProvider]:
    mock = MockProvider(log_path, **kwargs).start()
    try:
        yield mock
    finally:
        mock.stop()
