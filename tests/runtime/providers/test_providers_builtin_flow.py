"""Whole sign-ins through the data-only providers that have code (issue 16): NextAuth handler, loopback fakes.

A fake of each provider's API (``FakeAPI``, one loopback server) checks what the real one checks for the code
under test: Bungie's X-API-Key and member URL, Foursquare's ``oauth_token``/``v`` query, HubSpot's token in the
path, Todoist's sync body, Trakt's API headers; client authentication, redirect URI and PKCE at the token
endpoint. The discovery-based ones sign in against the real ``oidc-provider-mock``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from test_providers_flow import ORIGIN, app_for, mock_approve, query, sign_in

from nextauth.providers import OAuthProvider, from_id

pytestmark = pytest.mark.slow

CLIENT = ("fake-client", "fake-secret")


class FakeAPI:
    """Authorize, token and the userinfo endpoints of several providers, on one loopback port."""

    def __init__(self) -> None:
        self.grants: dict[str, dict[str, str]] = {}
        self.token_requests: list[dict[str, Any]] = []
        self.userinfo_requests: list[dict[str, Any]] = []
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
                q = {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}
                if path.endswith("/authorize"):
                    code = secrets.token_urlsafe(16)
                    fake.grants[code] = q
                    back = q["redirect_uri"] + "?" + urlencode({"code": code, "state": q.get("state", "")})
                    self.reply(302, headers={"Location": back})
                    return
                fake.userinfo_requests.append({"path": path, "query": q, "headers": dict(self.headers)})
                status, body = fake.userinfo(path, q, dict(self.headers), None)
                self.reply(status, body)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                path = self.path.partition("?")[0]
                if not path.endswith("/token"):
                    fake.userinfo_requests.append({"path": path, "body": raw, "headers": dict(self.headers)})
                    status, body = fake.userinfo(path, {}, dict(self.headers), raw)
                    self.reply(status, body)
                    return
                form = {k: v[-1] for k, v in parse_qs(raw).items()}
                auth = self.headers.get("Authorization", "")
                basic = "Basic " + base64.b64encode(":".join(CLIENT).encode()).decode()
                method = "client_secret_basic" if auth == basic else ""
                if (form.get("client_id"), form.get("client_secret")) == CLIENT:
                    method = "client_secret_post"
                fake.token_requests.append({"path": path, "form": form, "method": method})
                grant = fake.grants.pop(form.get("code", ""), None)
                if not method or grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
                    self.reply(400, {"error": "invalid_grant"})
                    return
                if "code_challenge" in grant:
                    digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
                    if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["code_challenge"]:
                        self.reply(400, {"error": "invalid_grant", "error_description": "PKCE"})
                        return
                tokens = {"access_token": "at/1+x", "token_type": "Bearer", "expires_in": 3600}
                self.reply(200, {**tokens, "membership_id": "4611"})

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def userinfo(self, path: str, q: dict[str, str], headers: dict[str, str], body: str | None) -> tuple[int, Any]:
        bearer = headers.get("Authorization") == "Bearer at/1+x"
        if path == "/bungie/User/GetBungieAccount/4611/254/":
            if not bearer or headers.get("X-API-Key") != "bungie-api-key":
                return 401, {"ErrorStatus": "ApiKeyMissingFromRequest"}
            user = {"membershipId": "4611", "displayName": "Ada", "profilePicturePath": "/img/ada.gif"}
            return 200, {"Response": {"bungieNetUser": user}}
        if path == "/foursquare/users/self":
            if q != {"v": "20230131", "oauth_token": "at/1+x"}:
                return 401, {"meta": {"code": 401}}
            user = {"id": "f1", "firstName": "Ada", "lastName": "L", "contact": {"email": "Ada@4sq.io"}}
            return 200, {"response": {"user": {**user, "photo": {"prefix": "https://fs/", "suffix": "/a.jpg"}}}}
        if path == "/hubspot/access-tokens/at%2F1%2Bx":
            return 200, {"user_id": 123, "user": "ada@hs.io", "hub_id": 9}
        if path == "/todoist/sync":
            if not bearer or json.loads(body or "{}") != {"sync_token": "*", "resource_types": '["user"]'}:
                return 400, {"error": "bad sync"}
            return 200, {"user": {"id": "t1", "email": "ada@td.io", "full_name": "Ada L", "avatar_big": "https://t/a"}}
        if path == "/trakt/users/me":
            ok = headers.get("trakt-api-version") == "2" and headers.get("trakt-api-key") == CLIENT[0]
            if not (bearer and ok and q == {"extended": "full"}):
                return 401, {"error": "trakt headers"}
            return 200, {"ids": {"slug": "ada"}, "name": "Ada", "images": {"avatar": {"full": "https://tr/a"}}}
        if path == "/eve/verify" and bearer:
            return 200, {"CharacterID": 95465499, "CharacterName": "Ada"}
        if path == "/yandex/info" and bearer and q == {"format": "json"}:
            return 200, {"id": "y1", "display_name": "ada", "default_email": "a@ya.ru", "default_avatar_id": "131"}
        if path in ("/boxyhq/api/oauth/userinfo", "/osso/oauth/me") and bearer:
            return 200, {"id": "u1", "email": "ada@x.io", "firstName": "Ada", "lastName": "L", "name": "Ada L"}
        return 404, {"error": "not found", "path": path}


@pytest.fixture
def api() -> Iterator[FakeAPI]:
    fake = FakeAPI()
    fake.thread.start()
    try:
        yield fake
    finally:
        fake.httpd.shutdown()
        fake.httpd.server_close()
        fake.thread.join(timeout=5)


def approve(authorize: str) -> str:
    response = httpx.get(authorize, timeout=5, trust_env=False)
    assert response.status_code == 302, response.text
    location: str = response.headers["location"]
    return location


def at(api: FakeAPI, pid: str, userinfo: str, **options: Any) -> OAuthProvider:
    """The provider ``pid`` with its endpoints moved to the fake (its own code kept)."""
    return from_id(
        pid,
        client_id=CLIENT[0],
        client_secret=CLIENT[1],
        authorization={"url": f"{api.url}/{pid}/authorize"},
        token={"url": f"{api.url}/{pid}/token"},
        userinfo={"url": f"{api.url}{userinfo}"},
        **options,
    )


CASES: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
    (
        "bungie",
        "/bungie/User/GetBungieAccount/{membershipId}/254/",
        {"api_key": "bungie-api-key"},
        {"name": "Ada", "email": None, "image": "https://www.bungie.net/img/ada.gif"},
    ),
    (
        "foursquare",
        "/foursquare/users/self",
        {},
        {"name": "Ada L", "email": "ada@4sq.io", "image": "https://fs/original/a.jpg"},
    ),
    ("hubspot", "/hubspot/access-tokens", {}, {"name": "ada@hs.io", "email": "ada@hs.io", "image": None}),
    ("todoist", "/todoist/sync", {}, {"name": "Ada L", "email": "ada@td.io", "image": "https://t/a"}),
    ("trakt", "/trakt/users/me", {}, {"name": "Ada", "email": None, "image": "https://tr/a"}),
    (
        "eveonline",
        "/eve/verify",
        {},
        {"name": "Ada", "email": None, "image": "https://image.eveonline.com/Character/95465499_128.jpg"},
    ),
    (
        "yandex",
        "/yandex/info",
        {},
        {"name": "ada", "email": "a@ya.ru", "image": "https://avatars.yandex.net/get-yapic/131/islands-200"},
    ),
]


@pytest.mark.parametrize(("pid", "userinfo", "options", "user"), CASES)
async def test_sign_in_through_the_providers_code(
    api: FakeAPI, pid: str, userinfo: str, options: dict[str, Any], user: dict[str, Any]
) -> None:
    provider = at(api, pid, userinfo, **options)
    session, authorize = await sign_in(provider, approve)
    assert session["user"] == user
    (token_request,) = api.token_requests
    assert token_request["method"] == provider.client.get("token_endpoint_auth_method", "client_secret_basic")
    assert token_request["form"]["grant_type"] == "authorization_code"
    assert len(api.userinfo_requests) == 1
    assert query(authorize)["client_id"] == CLIENT[0]


async def test_bungie_with_a_wrong_api_key_fails_the_sign_in(api: FakeAPI) -> None:
    provider = at(api, "bungie", "/bungie/User/GetBungieAccount/{membershipId}/254/", api_key="wrong-key")
    transport = httpx.ASGITransport(app=app_for(provider))
    async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as browser:
        csrf = (await browser.get("/api/auth/csrf")).json()["csrfToken"]
        start = await browser.post("/api/auth/signin/bungie", data={"csrfToken": csrf})
        done = await browser.get(approve(start.headers["location"]))
        assert done.status_code == 302 and "error=OAuthCallback" in done.headers["location"]
        assert (await browser.get("/api/auth/session")).json() == {}
    assert api.userinfo_requests[0]["headers"]["X-API-Key"] == "wrong-key"


@pytest.mark.parametrize(("pid", "base"), [("boxyhq-saml", "/boxyhq"), ("osso", "/osso/")])
async def test_issuer_placed_providers_sign_in_at_the_issuer(api: FakeAPI, pid: str, base: str) -> None:
    provider = from_id(pid, client_id=CLIENT[0], client_secret=CLIENT[1], issuer=api.url + base)
    session, authorize = await sign_in(provider, approve)
    assert urlsplit(authorize).path == base.rstrip("/") + (
        "/api/oauth/authorize" if pid == "boxyhq-saml" else "/oauth/authorize"
    )
    assert session["user"]["email"] == "ada@x.io"
    assert session["user"]["name"] == ("Ada L")
    assert ("code_challenge" in query(authorize)) == (pid == "boxyhq-saml")


BOB = {"name": "Bob", "email": "bob@example.com", "image": None}
NOBODY = {"name": None, "email": None, "image": None}  # scope openid only: the mock releases no profile claims


@pytest.mark.parametrize(
    ("pid", "user"),
    [
        ("duende-identityserver6", BOB),  # next-auth maps no image
        ("identity-server4", BOB),
        ("passage", {**BOB, "name": None}),  # scope openid email; next-auth maps no name
        ("fusionauth", NOBODY),  # openid offline_access; name is preferred_username
        ("azure-ad-b2c", NOBODY),  # the B2C issuer given whole (no tenant_id/primary_user_flow)
        ("united-effects", BOB | {"name": None}),
    ],
)
async def test_discovery_providers_sign_in_against_a_real_provider(
    oidc_issuer: str, pid: str, user: dict[str, Any]
) -> None:
    provider = from_id(pid, client_id="client", client_secret="secret", issuer=oidc_issuer + "/")
    session, authorize = await sign_in(provider, mock_approve)
    assert authorize.startswith(f"{oidc_issuer}/oauth2/authorize?")
    sent = query(authorize)
    assert sent["scope"] == provider.authorization.params.get("scope", "openid")
    assert ("code_challenge" in sent) == ("pkce" in provider.resolved_checks)
    assert session["user"] == user
