"""A small OpenID provider whose every answer the test controls, to attack the runtime from the provider's side.

:class:`HostileIdP` is a real HTTP server on loopback (a thread) with the endpoints of an OIDC provider:
discovery, JWKS, ``/authorize`` (approves at once: a 302 back to the client with ``code``, ``state`` and, when
set, ``iss``), ``/token`` and ``/userinfo``. By default it behaves correctly (RS256 id_token with the right
``iss``, ``aud``, ``nonce`` and ``at_hash``); a test then changes one thing:

* ``alg`` / ``hs_key``: how the id_token is signed (``RS256``/``RS512``/``PS256`` with its RSA key, ``HS*`` with
  ``hs_key``, ``none``);
* ``claims``: claims to set in the id_token (:data:`DROP` removes one);
* ``discovery``, ``userinfo``, ``token``: entries to set in those JSON answers;
* ``callback_iss``: the RFC 9207 ``iss`` parameter of the redirect back (``None``: not sent);
* ``behaviours[path]``: take over an endpoint entirely (:func:`hang`, :func:`dribble`, :func:`huge`).

``hits`` counts requests per path; ``sent`` counts the body bytes a behaviour managed to write before the client
went away, which shows that the runtime stopped reading.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "hostile-client"
CLIENT_SECRET = "the-client-secret-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789-ABCDEF"  # 72 bytes: HS512-sized
KID = "hostile-key-1"
DROP = object()
"""In ``claims``: remove this claim from the id_token."""

Behaviour = Callable[["HostileIdP", BaseHTTPRequestHandler], None]

_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token_hash(value: str, size: int = 256) -> str:
    digest = {256: hashlib.sha256, 384: hashlib.sha384, 512: hashlib.sha512}[size](value.encode()).digest()
    return b64url(digest[: len(digest) // 2])


def hs_sign(claims: dict[str, Any], key: str, alg: str = "HS256", kid: str | None = None) -> str:
    """An HS* JWT built by hand (pyjwt refuses, or warns about, the weak keys an attacker would use)."""
    header: dict[str, Any] = {"alg": alg, "typ": "JWT"}
    if kid:
        header["kid"] = kid
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[alg]
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
    signature = hmac.new(key.encode(), signing_input.encode(), digest).digest()
    return f"{signing_input}.{b64url(signature)}"


# ------------------------------------------------------------------------------------------ behaviours
def hang(idp: HostileIdP, handler: BaseHTTPRequestHandler) -> None:
    """Accept the request and never answer (until the server stops)."""
    idp.stopping.wait(60)


def dribble(interval: float = 0.02, total: int = 100_000) -> Behaviour:
    """Answer 200 with a JSON content type, then one body byte every ``interval`` seconds."""

    def behaviour(idp: HostileIdP, handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.end_headers()
        path = urlsplit(handler.path).path
        for _ in range(total):
            if idp.stopping.wait(interval):
                return
            try:
                handler.wfile.write(b" ")
                handler.wfile.flush()
            except OSError:
                return
            idp.sent[path] += 1

    return behaviour


def huge(size: int, *, declare: bool = False, chunk: int = 64 * 1024) -> Behaviour:
    """Answer 200 with a ``size``-byte JSON string, streamed (with a Content-Length when ``declare``)."""

    def behaviour(idp: HostileIdP, handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        if declare:
            handler.send_header("Content-Length", str(size))
        handler.end_headers()
        path = urlsplit(handler.path).path
        block = b"x" * chunk
        try:
            handler.wfile.write(b'"')
            idp.sent[path] += 1
            while idp.sent[path] < size - 1 and not idp.stopping.is_set():
                handler.wfile.write(block)
                idp.sent[path] += len(block)
            handler.wfile.write(b'"')
        except OSError:
            return

    return behaviour


# ------------------------------------------------------------------------------------------ the provider
class HostileIdP:
    def __init__(self) -> None:
        self.alg = "RS256"
        self.hs_key = CLIENT_SECRET
        self.claims: dict[str, Any] = {}
        self.discovery: dict[str, Any] = {}
        self.token: dict[str, Any] = {}
        self.userinfo: dict[str, Any] = {}
        self.callback_iss: str | None = None
        self.behaviours: dict[str, Behaviour] = {}
        self.hits: Counter[str] = Counter()
        self.sent: Counter[str] = Counter()
        self.stopping = threading.Event()
        self._nonces: dict[str, str | None] = {}
        self._lock = threading.Lock()
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                path = urlsplit(self.path).path
                with idp._lock:
                    idp.hits[path] += 1
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                behaviour = idp.behaviours.get(path)
                if behaviour is not None:
                    behaviour(idp, self)
                    return
                status, headers, answer = idp.answer(self.command, self.path, body)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_GET = _handle
            do_POST = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.well_known = f"{self.url}/.well-known/openid-configuration"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self) -> HostileIdP:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)

    # -------------------------------------------------------------------------------------- answers
    def discovery_document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }
        doc.update(self.discovery)
        return doc

    def jwks(self) -> dict[str, Any]:
        jwk = RSAAlgorithm.to_jwk(_KEY.public_key(), as_dict=True)
        jwk.update({"kid": KID, "use": "sig"})
        return {"keys": [jwk]}

    def id_token(self, nonce: str | None, access_token: str) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.url,
            "sub": "bob",
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "name": "Bob",
            "email": "bob@example.com",
            "at_hash": token_hash(access_token),
        }
        if nonce is not None:
            claims["nonce"] = nonce
        for name, value in self.claims.items():
            if value is DROP:
                claims.pop(name, None)
            else:
                claims[name] = value
        if self.alg.startswith("HS"):
            return hs_sign(claims, self.hs_key, self.alg, KID)
        if self.alg == "none":
            header = b64url(json.dumps({"alg": "none", "kid": KID}).encode())
            return f"{header}.{b64url(json.dumps(claims).encode())}."
        return jwt.encode(claims, _KEY, algorithm=self.alg, headers={"kid": KID})

    def answer(self, method: str, target: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(target)
        path = parts.path
        if path == "/.well-known/openid-configuration":
            return self._json(self.discovery_document())
        if path == "/jwks":
            return self._json(self.jwks())
        if path == "/authorize":
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            code = secrets.token_urlsafe(16)
            with self._lock:
                self._nonces[code] = query.get("nonce")
            back = {"code": code}
            if "state" in query:
                back["state"] = query["state"]
            if self.callback_iss is not None:
                back["iss"] = self.callback_iss
            return 302, {"Location": f"{query['redirect_uri']}?{urlencode(back)}"}, b""
        if path == "/token" and method == "POST":
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            with self._lock:
                nonce = self._nonces.pop(form.get("code", ""), None)
            access_token = "at-" + secrets.token_urlsafe(16)
            tokens: dict[str, Any] = {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self.id_token(nonce, access_token),
            }
            tokens.update(self.token)
            return self._json(tokens)
        if path == "/userinfo":
            info = {"sub": "bob", "name": "Bob", "email": "bob@example.com"}
            info.update(self.userinfo)
            return self._json(info)
        return 404, {"Content-Type": "text/plain"}, b"not found"

    @staticmethod
    def _json(document: Any) -> tuple[int, dict[str, str], bytes]:
        return 200, {"Content-Type": "application/json", "Cache-Control": "no-store"}, json.dumps(document).encode()
