"""The real mock OpenID provider (``oidc-provider-mock``) as a subprocess, and small loopback servers.

* :class:`MockProvider` starts ``python -m oidc_provider_mock`` on a free port and stops it (only the PID it
  started), and plays the user at its authorize page (``sub=<user>`` approves, ``action=deny`` denies).
  The tests never talk to the mock directly: :class:`VerifyingProxy` sits in front of it and checks what the
  mock does not (PKCE's ``code_verifier`` against the ``code_challenge``, the ID token's ``nonce``).
* :class:`CountingServer` serves fixed JSON documents and counts requests (to see caching).
* :class:`StallingServer` accepts connections and never answers (a provider that hangs).
* :class:`RecordingProxy` is an HTTP proxy that records what it is asked and answers itself.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
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
from urllib.parse import parse_qs, urlsplit

import httpx

from nextauth.providers import OAuthProvider

BOB = {"sub": "bob", "name": "Bob", "email": "Bob@Example.com", "picture": "http://127.0.0.1/bob.png"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class MockProvider:
    """The mock on a private port behind a :class:`VerifyingProxy` on ``port``: ``url`` is the proxy's, and so is
    the issuer (the mock names its issuer and endpoints after the ``Host`` it is asked on, which the proxy keeps)."""

    def __init__(self, log_path: Path, *, users: list[dict[str, Any]] | None = None, port: int | None = None) -> None:
        self.port = port if port is not None else free_port()
        self.upstream_port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.well_known = f"{self.url}/.well-known/openid-configuration"
        self._log_path = log_path
        self._users = users if users is not None else [BOB]
        self._process: subprocess.Popen[bytes] | None = None
        self.proxy: VerifyingProxy | None = None

    def start(self) -> MockProvider:
        upstream = f"http://127.0.0.1:{self.upstream_port}"
        argv = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(self.upstream_port)]
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
                if httpx.get(f"{upstream}/.well-known/openid-configuration", timeout=1, trust_env=False).is_success:
                    try:
                        self.proxy = VerifyingProxy(upstream, port=self.port).__enter__()
                    except OSError:
                        self.stop()  # the public port is taken: do not leave the mock behind
                        raise
                    return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("oidc-provider-mock did not start within 30 s")

    def stop(self) -> None:
        proxy, self.proxy = self.proxy, None
        if proxy is not None:
            proxy.__exit__(None, None, None)
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
class _BusyHTTPServer(ThreadingHTTPServer):
    request_queue_size = 128  # the default of 5 drops connections when 50 sign-ins arrive at once


class _Server:
    def __init__(self, handler: type[BaseHTTPRequestHandler], port: int = 0) -> None:
        self.httpd = _BusyHTTPServer(("127.0.0.1", port), handler)
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


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _jwt_claims(token: str) -> dict[str, Any]:
    """A JWT's payload, unverified (the harness only reads what the mock put in it)."""
    payload = token.split(".")[1]
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return claims


_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "te", "upgrade", "proxy-connection"}


class VerifyingProxy(_Server):
    """A reverse proxy in front of ``oidc-provider-mock`` that verifies PKCE and the nonce, which the mock does not.

    * ``/oauth2/authorize`` (the approving POST): the ``code_challenge``, ``code_challenge_method`` and ``nonce``
      of the query are stored under the ``code`` of the provider's redirect.
    * ``/oauth2/token`` with ``grant_type=authorization_code``: when a challenge was stored, a missing
      ``code_verifier`` or one whose S256 (or plain) transform differs answers ``400 invalid_grant`` before the
      mock sees the request; a verifier for a code issued without a challenge is refused too. The ID token of the
      mock's answer must carry exactly the nonce sent at /authorize (none when none was sent).

    Every refusal is appended to ``refusals``. The ``Host`` header is forwarded unchanged, so the mock's issuer and
    endpoints are this proxy's URL.
    """

    def __init__(self, upstream: str, port: int = 0) -> None:
        target = urlsplit(upstream)
        self.upstream_host = target.hostname or "127.0.0.1"
        self.upstream_port = target.port or 80
        self.refusals: list[str] = []
        self.verified = 0  # token requests whose PKCE verifier was checked and matched
        self._codes: dict[str, dict[str, str | None]] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = urlsplit(self.path).path
                if self.command == "POST" and path == "/oauth2/token":
                    refusal = server._check_token_request(body)
                    if refusal is not None:
                        self._reply(400, {"error": "invalid_grant", "error_description": f"harness: {refusal}"})
                        return
                status, headers, answer = server._upstream(self.command, self.path, self.headers, body)
                if path == "/oauth2/authorize" and self.command == "POST" and status in (302, 303):
                    server._remember_code(self.path, dict(headers).get("location", ""))
                if path == "/oauth2/token" and status == 200:
                    refusal = server._check_token_response(body, answer)
                    if refusal is not None:
                        self._reply(400, {"error": "invalid_grant", "error_description": f"harness: {refusal}"})
                        return
                self.send_response(status)
                for name, value in headers:
                    if name not in _HOP_BY_HOP:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def _reply(self, status: int, document: dict[str, Any]) -> None:
                data = json.dumps(document).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Cache-Control", "no-store")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = _handle
            do_POST = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        super().__init__(Handler, port)

    def _upstream(self, method: str, path: str, headers: Any, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        conn = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=30)
        try:
            send = {k: v for k, v in headers.items() if k.lower() not in _HOP_BY_HOP | {"accept-encoding"}}
            conn.request(method, path, body=body or None, headers=send)
            response = conn.getresponse()
            answer = response.read()
            return response.status, [(k.lower(), v) for k, v in response.getheaders()], answer
        finally:
            conn.close()

    def _remember_code(self, request_path: str, location: str) -> None:
        query = parse_qs(urlsplit(request_path).query)
        code = parse_qs(urlsplit(location).query).get("code", [None])[0]
        if code is None:
            return
        with self._lock:
            self._codes[code] = {
                "challenge": query.get("code_challenge", [None])[0],
                "method": query.get("code_challenge_method", ["plain"])[0],
                "nonce": query.get("nonce", [None])[0],
            }

    def _refuse(self, reason: str) -> str:
        with self._lock:
            self.refusals.append(reason)
        return reason

    def _check_token_request(self, body: bytes) -> str | None:
        form = parse_qs(body.decode("utf-8", "replace"))
        if form.get("grant_type", [""])[0] != "authorization_code":
            return None
        code = form.get("code", [""])[0]
        with self._lock:
            stored = self._codes.get(code)
        if stored is None:
            return None  # a code the mock never issued through us: the mock refuses it itself
        verifier = form.get("code_verifier", [None])[0]
        challenge = stored["challenge"]
        if challenge is None:
            return self._refuse("code_verifier sent for a code issued without a code_challenge") if verifier else None
        if not verifier:
            return self._refuse("code_verifier missing (the authorization request had a code_challenge)")
        transformed = s256(verifier) if stored["method"] == "S256" else verifier
        if transformed != challenge:
            return self._refuse(f"code_verifier does not match the code_challenge ({stored['method']})")
        with self._lock:
            self.verified += 1
        return None

    def _check_token_response(self, body: bytes, answer: bytes) -> str | None:
        code = parse_qs(body.decode("utf-8", "replace")).get("code", [""])[0]
        with self._lock:
            stored = self._codes.pop(code, None)
        if stored is None:
            return None
        id_token = json.loads(answer).get("id_token")
        if isinstance(id_token, str) and _jwt_claims(id_token).get("nonce") != stored["nonce"]:
            return self._refuse("the id_token's nonce is not the one sent at /authorize")
        return None


@contextlib.contextmanager
def running_mock(log_path: Path, **kwargs: Any) -> Iterator[MockProvider]:
    mock = MockProvider(log_path, **kwargs).start()
    try:
        yield mock
    finally:
        mock.stop()
