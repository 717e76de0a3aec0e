"""OAuth 1.0a sign-in (Twitter legacy, ``version="1.0A"``) against a local OAuth 1.0a server.

``OAuth1Server`` is written from RFC 5849 for these tests, independently of the client's signing (authlib): it
rebuilds the signature base string (§3.4.1) from what arrives on the wire and checks the HMAC-SHA1 signature
with the consumer secret and the token secret of the step (§3.4.2), refuses a reused nonce, a stale timestamp,
an unknown or used token and a wrong verifier. Then the hostile callbacks: a forged or missing verifier, another
sign-in's token, no secret cookie, a denied authorization, all end in a clean ``?error=`` redirect, never a 5xx.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import httpx
import pytest
from security_figures import record
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from nextauth import AuthOptions, NextAuth
from nextauth.providers import OAuthProvider, TwitterProvider

pytestmark = pytest.mark.slow

ORIGIN = "http://localhost:3000"
SECRET = "oauth1-test-secret-0123456789abcdefghijklmnop"
CONSUMER = ("consumer-key", "consumer-secret")
PROFILE = {
    "id_str": "783214",
    "name": "Twitter Dev",
    "email": "Dev@Example.com",
    "profile_image_url_https": "https://pbs.twimg.com/profile_images/1/pic_normal.jpg",
}


def enc(value: str) -> str:
    return quote(value, safe="-._~")  # RFC 5849 §3.6


def oauth_header(value: str) -> dict[str, str]:
    assert value.startswith("OAuth "), value
    out = {}
    for item in value[len("OAuth ") :].split(","):
        key, _, raw = item.strip().partition("=")
        out[unquote(key)] = unquote(raw.strip('"'))
    return out


def signature(method: str, base_uri: str, params: list[tuple[str, str]], consumer: str, token: str) -> str:
    pairs = sorted((enc(k), enc(v)) for k, v in params if k not in ("oauth_signature", "realm"))
    normalized = "&".join(f"{k}={v}" for k, v in pairs)
    base = "&".join([method.upper(), enc(base_uri), enc(normalized)])
    key = f"{enc(consumer)}&{enc(token)}".encode()
    return base64.b64encode(hmac.new(key, base.encode(), hashlib.sha1).digest()).decode()


class OAuth1Server:
    def __init__(self) -> None:
        self.request_tokens: dict[str, dict[str, str]] = {}  # token -> secret, callback, verifier
        self.access_tokens: dict[str, str] = {}
        self.nonces: set[str] = set()
        self.refusals: list[str] = []
        self.confirm_callback = True
        self.last_request_token_body: dict[str, str] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def reply(self, status: int, body: str = "", headers: dict[str, str] | None = None) -> None:
                data = body.encode()
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def verified(self, token_secret_of: Any) -> dict[str, str] | None:
                """The request's OAuth parameters when its signature holds, else ``None`` (and a 401 sent)."""
                path, _, query = self.path.partition("?")
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                oauth = oauth_header(self.headers.get("Authorization", "OAuth "))
                params = parse_qsl(query, keep_blank_values=True) + list(oauth.items())
                if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
                    form = parse_qsl(body, keep_blank_values=True)
                    params += form
                    server.last_request_token_body = dict(form)
                base_uri = f"http://127.0.0.1:{server.port}{path}"
                problem = None
                token_secret = token_secret_of(oauth.get("oauth_token"))
                if oauth.get("oauth_consumer_key") != CONSUMER[0]:
                    problem = "consumer"
                elif oauth.get("oauth_signature_method") != "HMAC-SHA1" or oauth.get("oauth_version", "1.0") != "1.0":
                    problem = "method"
                elif token_secret is None:
                    problem = "token"
                elif abs(int(oauth.get("oauth_timestamp", "0")) - time.time()) > 300:
                    problem = "timestamp"
                elif not oauth.get("oauth_nonce") or oauth["oauth_nonce"] in server.nonces:
                    problem = "nonce"
                else:
                    expected = signature(self.command, base_uri, params, CONSUMER[1], token_secret)
                    if not hmac.compare_digest(expected, oauth.get("oauth_signature", "")):
                        problem = "signature"
                if problem:
                    server.refusals.append(problem)
                    self.reply(401, json.dumps({"errors": [{"code": 32, "message": problem}]}))
                    return None
                server.nonces.add(oauth["oauth_nonce"])
                return oauth

            def do_POST(self) -> None:
                if self.path == "/oauth/request_token":
                    oauth = self.verified(lambda token: "" if token is None else None)
                    if oauth is None:
                        return
                    if "/api/auth/callback/" not in oauth.get("oauth_callback", ""):
                        server.refusals.append("callback")
                        self.reply(401, "oauth_callback missing")
                        return
                    token, secret = secrets.token_urlsafe(16), secrets.token_urlsafe(24)
                    server.request_tokens[token] = {"secret": secret, "callback": oauth["oauth_callback"]}
                    answer = {"oauth_token": token, "oauth_token_secret": secret}
                    if server.confirm_callback:
                        answer["oauth_callback_confirmed"] = "true"
                    self.reply(200, urlencode(answer), {"Content-Type": "application/x-www-form-urlencoded"})
                elif self.path == "/oauth/access_token":

                    def request_secret(token: str | None) -> str | None:
                        grant = server.request_tokens.get(token or "")
                        return grant["secret"] if grant and "verifier" in grant else None

                    oauth = self.verified(request_secret)
                    if oauth is None:
                        return
                    grant = server.request_tokens.pop(oauth["oauth_token"])  # single use
                    if not hmac.compare_digest(grant["verifier"], oauth.get("oauth_verifier", "")):
                        server.refusals.append("verifier")
                        self.reply(401, "Error processing your OAuth request: Invalid oauth_verifier parameter")
                        return
                    token, secret = "783214-" + secrets.token_urlsafe(16), secrets.token_urlsafe(24)
                    server.access_tokens[token] = secret
                    answer = {"oauth_token": token, "oauth_token_secret": secret, "user_id": "783214"}
                    self.reply(200, urlencode(answer), {"Content-Type": "application/x-www-form-urlencoded"})
                else:
                    self.reply(404)

            def do_GET(self) -> None:
                path, _, query = self.path.partition("?")
                if path == "/oauth/authenticate":  # the user approves
                    token = dict(parse_qsl(query)).get("oauth_token", "")
                    grant = server.request_tokens.get(token)
                    if grant is None:
                        self.reply(400, "unknown token")
                        return
                    grant["verifier"] = secrets.token_urlsafe(12)
                    back = (
                        grant["callback"] + "?" + urlencode({"oauth_token": token, "oauth_verifier": grant["verifier"]})
                    )
                    self.reply(302, headers={"Location": back})
                elif path == "/1.1/account/verify_credentials.json":
                    if self.verified(lambda token: server.access_tokens.get(token or "")) is None:
                        return
                    if dict(parse_qsl(query)).get("include_email") != "true":
                        self.reply(400, "include_email missing")
                        return
                    self.reply(200, json.dumps(PROFILE), {"Content-Type": "application/json"})
                else:
                    self.reply(404)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def server() -> Iterator[OAuth1Server]:
    fake = OAuth1Server()
    try:
        yield fake
    finally:
        fake.close()


def legacy_twitter(server: OAuth1Server, **overrides: Any) -> OAuthProvider:
    options: dict[str, Any] = {
        "client_id": CONSUMER[0],
        "client_secret": CONSUMER[1],
        "version": "1.0A",
        "authorization": f"{server.base}/oauth/authenticate",
        "request_token_url": f"{server.base}/oauth/request_token",
        "access_token_url": f"{server.base}/oauth/access_token",
        "profile_url": f"{server.base}/1.1/account/verify_credentials.json?include_email=true",
        **overrides,
    }
    return TwitterProvider(**options)


def app(provider: OAuthProvider, **options: Any) -> Starlette:
    handler = NextAuth(AuthOptions(secret=SECRET, providers=[provider], **options))

    async def endpoint(request: Request) -> Response:
        segments = [s for s in request.path_params["nextauth"].split("/") if s]
        result = await handler(request, {"params": {"nextauth": segments}})
        assert isinstance(result, Response)
        return result

    return Starlette(routes=[Route("/api/auth/{nextauth:path}", endpoint, methods=["GET", "POST"])])


def browser(provider: OAuthProvider, **options: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app(provider, **options)), base_url=ORIGIN)


async def start(client: httpx.AsyncClient) -> httpx.Response:
    csrf = (await client.get("/api/auth/csrf")).json()["csrfToken"]
    return await client.post("/api/auth/signin/twitter", data={"csrfToken": csrf, "callbackUrl": f"{ORIGIN}/after"})


def approve(authorize: str) -> str:
    response = httpx.get(authorize, timeout=10, trust_env=False)
    assert response.status_code == 302, response.text
    return str(response.headers["location"])


async def test_full_sign_in(server: OAuth1Server) -> None:
    signed_in: list[dict[str, Any]] = []

    def jwt(token: dict[str, Any], account: dict[str, Any] | None = None) -> dict[str, Any]:
        if account:
            signed_in.append(account)
        return token

    async with browser(legacy_twitter(server), callbacks={"jwt": jwt}) as client:
        started = await start(client)
        assert started.status_code == 302
        authorize = started.headers["location"]
        assert authorize.startswith(f"{server.base}/oauth/authenticate?oauth_token=")
        assert "secret" not in authorize  # next-auth puts oauth_token_secret in this URL; it stays in the cookie
        cookie = started.cookies.get("next-auth.oauth_token_secret")
        assert cookie and cookie.count(".") == 4  # an encrypted JWE, not the secret
        request_token = dict(parse_qsl(urlsplit(authorize).query))["oauth_token"]
        assert server.request_tokens[request_token]["secret"] not in cookie
        back = approve(authorize)
        assert back.startswith(f"{ORIGIN}/api/auth/callback/twitter?oauth_token=")
        done = await client.get(back)
        assert done.status_code == 302 and done.headers["location"] == f"{ORIGIN}/after", done.headers
        deleted = [h for h in done.headers.get_list("set-cookie") if h.startswith("next-auth.oauth_token_secret=;")]
        assert len(deleted) == 1 and "Max-Age=0" in deleted[0]
        session = (await client.get("/api/auth/session")).json()
    assert session["user"] == {
        "name": "Twitter Dev",
        "email": "dev@example.com",
        "image": "https://pbs.twimg.com/profile_images/1/pic.jpg",
    }
    (account,) = signed_in
    assert account["provider"] == "twitter" and account["provider_account_id"] == "783214"
    assert account["oauth_token"] in server.access_tokens
    assert account["oauth_token_secret"] == server.access_tokens[account["oauth_token"]]
    assert server.refusals == []


async def test_request_token_params_and_secure_cookie(server: OAuth1Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """The authorization params go with the request-token request (next-auth's rule); https gets __Secure-."""
    monkeypatch.setenv("NEXTAUTH_URL", "https://app.example.com")
    provider = legacy_twitter(server, authorization={"params": {"x_auth_access_type": "read"}})
    handler = app(provider, use_secure_cookies=True)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=handler), base_url="https://app.example.com") as c:
        csrf = (await c.get("/api/auth/csrf")).json()["csrfToken"]
        started = await c.post("/api/auth/signin/twitter", data={"csrfToken": csrf})
    assert started.status_code == 302
    assert server.refusals == [] and server.last_request_token_body == {"x_auth_access_type": "read"}
    token = dict(parse_qsl(urlsplit(started.headers["location"]).query))["oauth_token"]
    assert server.request_tokens[token]["callback"] == "https://app.example.com/api/auth/callback/twitter"
    assert any(h.startswith("__Secure-next-auth.oauth_token_secret=") for h in started.headers.get_list("set-cookie"))


async def test_wrong_consumer_secret_is_refused_by_the_server(server: OAuth1Server) -> None:
    async with browser(legacy_twitter(server, client_secret="not-the-secret")) as client:
        started = await start(client)
    assert started.status_code == 302 and started.headers["location"] == f"{ORIGIN}/api/auth/error?error=OAuthSignin"
    assert server.refusals == ["signature"]  # the server's check is real: a wrong key fails it


async def test_unconfirmed_callback_is_refused(server: OAuth1Server) -> None:
    server.confirm_callback = False
    async with browser(legacy_twitter(server)) as client:
        started = await start(client)
    assert started.headers["location"] == f"{ORIGIN}/api/auth/error?error=OAuthSignin"


async def test_hostile_callbacks_end_in_a_clean_error(server: OAuth1Server) -> None:
    error = f"{ORIGIN}/api/auth/error?error=OAuthCallback"
    tried = accepted = server_errors = 0

    async def attempt(client: httpx.AsyncClient, url: str) -> None:
        nonlocal tried, accepted, server_errors
        tried += 1
        response = await client.get(url)
        server_errors += response.status_code >= 500
        if response.headers.get("location") != error:
            accepted += 1
        if (await client.get("/api/auth/session")).json():
            accepted += 1

    async with browser(legacy_twitter(server)) as client:
        back = approve((await start(client)).headers["location"])
        token = dict(parse_qsl(urlsplit(back).query))["oauth_token"]
        cb = "/api/auth/callback/twitter"
        await attempt(client, f"{cb}?{urlencode({'oauth_token': token, 'oauth_verifier': 'forged'})}")
        assert server.refusals[-1] == "verifier"  # the provider refused the forged verifier
    for query in (
        {"oauth_token": "{token}"},  # no verifier
        {"oauth_token": "{token}", "oauth_verifier": ""},
        {"oauth_verifier": "{verifier}"},  # no token
        {"oauth_token": "another-sign-ins-token", "oauth_verifier": "{verifier}"},
        {"oauth_token": "{token}", "oauth_verifier": "{verifier}" + "x" * 2000},
        {"denied": "{token}"},
    ):
        async with browser(legacy_twitter(server)) as client:
            back = approve((await start(client)).headers["location"])
            real = dict(parse_qsl(urlsplit(back).query))
            filled = {k: v.format(token=real["oauth_token"], verifier=real["oauth_verifier"]) for k, v in query.items()}
            await attempt(client, f"/api/auth/callback/twitter?{urlencode(filled)}")
    async with browser(legacy_twitter(server)) as client:  # the callback without the secret cookie
        back = approve((await start(client)).headers["location"])
        client.cookies.delete("next-auth.oauth_token_secret")
        await attempt(client, back)
    async with browser(legacy_twitter(server)) as client:  # a tampered secret cookie
        back = approve((await start(client)).headers["location"])
        sealed = client.cookies["next-auth.oauth_token_secret"]
        client.cookies.delete("next-auth.oauth_token_secret")
        client.cookies.set(
            "next-auth.oauth_token_secret", sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")
        )
        await attempt(client, back)
    record(
        "oauth1: hostile callbacks", tried=tried, accepted=accepted, what="forged/missing verifier or token, no cookie"
    )
    assert accepted == 0 and server_errors == 0
