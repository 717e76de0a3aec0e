"""A harness layer in front of the mock provider's token endpoint that rotates and revokes refresh tokens.

``oidc-provider-mock`` keeps one refresh token valid forever and never issues a new one. This proxy hands out
refresh tokens of its own (each standing for the mock's), and on every ``grant_type=refresh_token`` request:
refuses (``400 invalid_grant``) a token it revoked or already rotated away, and otherwise forwards the mock's
answer with a fresh refresh token, so a refresh token works exactly once. Every token answer gets a short
``expires_in``. Everything else is forwarded unchanged, ``Host`` included, so the issuer is this proxy's URL.
"""

from __future__ import annotations

import http.client
import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from oidcmock import _HOP_BY_HOP, MockProvider, _Server


class RotatingProxy(_Server):
    def __init__(self, mock: MockProvider, *, expires_in: int = 60, rotate: bool = True) -> None:
        target = urlsplit(mock.url)
        self.mock = mock
        self.upstream = (target.hostname or "127.0.0.1", target.port or 80)
        self.expires_in = expires_in
        self.rotate = rotate
        self.refresh_requests = 0
        self.refused: list[str] = []
        self.revoked: set[str] = set()
        self._upstream_of: dict[str, str] = {}  # our refresh token -> the mock's
        self._used: set[str] = set()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if self.command == "POST" and urlsplit(self.path).path == "/oauth2/token":
                    status, answer = server._token(self.headers, body)
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Cache-Control", "no-store")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                    return
                status, headers, answer = server._forward(self.command, self.path, self.headers, body)
                self.send_response(status)
                for name, value in headers:
                    if name not in _HOP_BY_HOP:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_GET = _handle
            do_POST = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        super().__init__(Handler)
        self.well_known = f"{self.url}/.well-known/openid-configuration"

    def provider(self, **overrides: Any) -> Any:
        return self.mock.provider(well_known=self.well_known, **overrides)

    def revoke_all(self) -> None:
        with self._lock:
            self.revoked.update(self._upstream_of)

    def _forward(self, method: str, path: str, headers: Any, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        conn = http.client.HTTPConnection(*self.upstream, timeout=30)
        try:
            send = {k: v for k, v in headers.items() if k.lower() not in _HOP_BY_HOP | {"accept-encoding"}}
            conn.request(method, path, body=body or None, headers=send)
            response = conn.getresponse()
            return response.status, [(k.lower(), v) for k, v in response.getheaders()], response.read()
        finally:
            conn.close()

    def _token(self, headers: Any, body: bytes) -> tuple[int, bytes]:
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        ours: str | None = None
        if form.get("grant_type") == "refresh_token":
            ours = form.get("refresh_token", "")
            with self._lock:
                self.refresh_requests += 1
                upstream_token = self._upstream_of.get(ours)
                if upstream_token is None or ours in self.revoked or (self.rotate and ours in self._used):
                    self.refused.append(ours)
                    return 400, json.dumps({"error": "invalid_grant", "error_description": "harness"}).encode()
                if self.rotate:
                    self._used.add(ours)
            form["refresh_token"] = upstream_token
            body = urlencode(form).encode()
        status, _, answer = self._forward("POST", "/oauth2/token", headers, body)
        if status != 200:
            return status, answer
        document = json.loads(answer)
        document["expires_in"] = self.expires_in
        upstream_refresh = document.get("refresh_token") or (self._upstream_of.get(ours) if ours else None)
        if upstream_refresh and (self.rotate or ours is None):
            mine = secrets.token_urlsafe(16)
            with self._lock:
                self._upstream_of[mine] = upstream_refresh
            document["refresh_token"] = mine
        else:
            document.pop("refresh_token", None)
        return 200, json.dumps(document).encode()
