"""Built-in providers through a whole sign-in: NextAuth handler, real mock OpenID provider, loopback servers.

The issuer-based factories are pointed at ``oidc-provider-mock`` (plain http is allowed on loopback);
GitLab's ``base_url`` is pointed at a small fake GitLab that checks what a real one checks (client
authentication, redirect URI, PKCE verifier, bearer token).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import nextauth.providers as P
from nextauth import AuthOptions, NextAuth
from nextauth.providers import OAuthProvider

pytestmark = pytest.mark.slow

ORIGIN = "http://localhost:3000"
SECRET = "provider-flow-secret-0123456789abcdefghijklmnop"


def app_for(provider: OAuthProvider) -> Starlette:
    handler = NextAuth(AuthOptions(secret=SECRET, providers=[provider]))

    async def endpoint(request: Request) -> Response:
        segments = [s for s in request.path_params["nextauth"].split("/") if s]
        result = await handler(request, {"params": {"nextauth": segments}})
        assert isinstance(result, Response)
        return result

    return Starlette(routes=[Route("/api/auth/{nextauth:path}", endpoint, methods=["GET", "POST"])])


async def sign_in(provider: OAuthProvider, approve: Callable[[str], str]) -> tuple[dict[str, Any], str]:
    """Sign in through ``provider``; ``approve`` plays the user at the authorize URL and returns the redirect back.

    Returns the session and the authorize URL that was used.
    """
    transport = httpx.ASGITransport(app=app_for(provider))
    async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as browser:
        csrf = (await browser.get("/api/auth/csrf")).json()["csrfToken"]
        start = await browser.post(
            f"/api/auth/signin/{provider.id}", data={"csrfToken": csrf, "callbackUrl": f"{ORIGIN}/after"}
        )
        assert start.status_code == 302, start.text
        authorize = start.headers["location"]
        back = approve(authorize)
        assert back.startswith(f"{ORIGIN}/api/auth/callback/{provider.id}?"), back
        done = await browser.get(back)
        assert done.status_code == 302 and done.headers["location"] == f"{ORIGIN}/after", done.headers
        session: dict[str, Any] = (await browser.get("/api/auth/session")).json()
    return session, authorize


def mock_approve(authorize: str) -> str:
    response = httpx.post(authorize, data={"sub": "bob"}, timeout=10, trust_env=False)
    assert response.status_code == 302, response.text[:300]
    location: str = response.headers["location"]
    return location


def query(url: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}


# ------------------------------------------------------------------------------------------ OIDC factories
@pytest.mark.parametrize(
    "name",
    ["OIDCProvider", "Auth0Provider", "OktaProvider", "ZitadelProvider", "CognitoProvider", "BattleNetProvider"],
)
async def test_issuer_factories_sign_in_against_a_real_provider(name: str, oidc_issuer: str) -> None:
    provider = getattr(P, name)(client_id="client", client_secret="secret", issuer=oidc_issuer + "/")
    session, authorize = await sign_in(provider, mock_approve)
    assert authorize.startswith(f"{oidc_issuer}/oauth2/authorize?")
    sent = query(authorize)
    assert sent["scope"] == provider.authorization.params["scope"]
    assert ("code_challenge" in sent) == ("pkce" in provider.resolved_checks)
    assert "state" in sent
    assert session["expires"]
    if provider.authorization.params["scope"] == "openid":  # the mock then releases no profile claims
        assert session["user"] == {"name": None, "email": None, "image": None}
    else:
        assert session["user"] == {"name": "Bob", "email": "bob@example.com", "image": "http://127.0.0.1/bob.png"}


async def test_slack_nonce_and_a_well_known_override(oidc_issuer: str) -> None:
    provider = P.SlackProvider(
        client_id="client", client_secret="secret", well_known=f"{oidc_issuer}/.well-known/openid-configuration"
    )
    session, authorize = await sign_in(provider, mock_approve)
    assert len(query(authorize)["nonce"]) == 43
    assert session["user"] == {"name": "Bob", "email": "bob@example.com", "image": "http://127.0.0.1/bob.png"}


async def test_post_client_auth_against_a_real_provider(oidc_issuer: str) -> None:
    """LinkedIn's settings (client_secret_post, state only) with a client registered for that method."""
    registered = httpx.post(
        f"{oidc_issuer}/oauth2/clients",
        json={
            "redirect_uris": [f"{ORIGIN}/api/auth/callback/linkedin"],
            "token_endpoint_auth_method": "client_secret_post",
        },
        timeout=5,
        trust_env=False,
    ).json()
    provider = P.LinkedInProvider(
        client_id=registered["client_id"],
        client_secret=registered["client_secret"],
        well_known=f"{oidc_issuer}/.well-known/openid-configuration",
    )
    session, authorize = await sign_in(provider, mock_approve)
    assert "code_challenge" not in query(authorize)
    assert session["user"]["name"] == "Bob"


# ------------------------------------------------------------------------------------------ GitLab, self-hosted
class FakeGitLab:
    """Just enough of GitLab's OAuth 2.0 provider and REST API, on a loopback port."""

    CLIENT = ("gl-client", "gl-secret")
    USER: ClassVar[dict[str, Any]] = {
        "id": 42,
        "username": "jdoe",
        "name": "Jane Doe",
        "email": "Jane@Example.com",
        "avatar_url": "http://127.0.0.1/j.png",
    }

    def __init__(self) -> None:
        self.grants: dict[str, dict[str, str]] = {}
        self.token_requests: list[dict[str, Any]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def reply(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                path, _, raw = self.path.partition("?")
                q = {k: v[-1] for k, v in parse_qs(raw).items()}
                if path == "/gitlab/oauth/authorize":
                    code = secrets.token_urlsafe(16)
                    fake.grants[code] = q
                    back = q["redirect_uri"] + "?" + urlencode({"code": code, "state": q.get("state", "")})
                    self.reply(302, headers={"Location": back})
                elif path == "/gitlab/api/v4/user":
                    ok = self.headers.get("Authorization") == "Bearer gl-access-token"
                    self.reply(200, fake.USER) if ok else self.reply(401, {"message": "401 Unauthorized"})
                else:
                    self.reply(404, {"error": "not found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[-1] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                fake.token_requests.append({"form": form, "authorization": self.headers.get("Authorization")})
                basic = "Basic " + base64.b64encode(":".join(fake.CLIENT).encode()).decode()
                grant = fake.grants.pop(form.get("code", ""), None)
                if self.path != "/gitlab/oauth/token" or self.headers.get("Authorization") != basic or grant is None:
                    self.reply(401, {"error": "invalid_client"})
                    return
                digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
                challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
                if challenge != grant.get("code_challenge") or form.get("redirect_uri") != grant["redirect_uri"]:
                    self.reply(400, {"error": "invalid_grant"})
                    return
                self.reply(
                    200,
                    {
                        "access_token": "gl-access-token",
                        "token_type": "Bearer",
                        "expires_in": 7200,
                        "refresh_token": "gl-refresh",
                        "scope": "read_user",
                        "created_at": 1767225600,
                    },
                )

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)


@pytest.fixture
def gitlab() -> Iterator[FakeGitLab]:
    fake = FakeGitLab()
    fake.thread.start()
    try:
        yield fake
    finally:
        fake.httpd.shutdown()
        fake.httpd.server_close()
        fake.thread.join(timeout=5)


async def test_gitlab_self_hosted_sign_in(gitlab: FakeGitLab) -> None:
    provider = P.GitLabProvider(
        client_id=gitlab.CLIENT[0], client_secret=gitlab.CLIENT[1], base_url=f"{gitlab.url}/gitlab/"
    )

    def approve(authorize: str) -> str:
        response = httpx.get(authorize, timeout=5, trust_env=False)
        assert response.status_code == 302
        return response.headers["location"]

    session, authorize = await sign_in(provider, approve)
    assert authorize.startswith(f"{gitlab.url}/gitlab/oauth/authorize?")
    assert query(authorize)["scope"] == "read_user" and query(authorize)["code_challenge_method"] == "S256"
    assert session["user"] == {"name": "Jane Doe", "email": "jane@example.com", "image": "http://127.0.0.1/j.png"}
    (token_request,) = gitlab.token_requests
    assert token_request["form"]["grant_type"] == "authorization_code"
    assert "client_secret" not in token_request["form"]
