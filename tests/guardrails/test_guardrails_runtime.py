"""Issue 7, runtime rows: the failures NextAuth.js users hit most, reproduced, each with its exact outcome."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from authkit import (
    BASE,
    ORIGIN,
    Browser,
    Layout,
    MemoryAdapter,
    credentials_provider,
    json_type,
    log_messages,
    query_of,
    text_type,
)
from oidcmock import MockProvider, RecordingProxy, StallingServer

from nextauth import AuthOptions, NextAuth
from nextauth.errors import ConfigurationError, MissingAdapterMethodsError
from nextauth.jwt import decode, encode
from nextauth.providers import EmailProvider, OAuthProvider

SESSION = "next-auth.session-token"
NEW, OLD = "new-secret-0123456789abcdef0123456789", "old-secret-0123456789abcdef0123456789"


def corp_provider(**overrides: Any) -> OAuthProvider:
    """An OAuth provider with explicit endpoints: signing in needs no network."""
    options: dict[str, Any] = {
        "id": "corp",
        "name": "Corp",
        "client_id": "client-1",
        "client_secret": "secret-1",
        "authorization": "https://sso.corp.example/authorize",
        "token": "https://sso.corp.example/token",
        "userinfo": "https://sso.corp.example/userinfo",
        "issuer": "https://sso.corp.example",
        "checks": ["pkce", "state"],
        **overrides,
    }
    return OAuthProvider(**options)


# ============================================================================ JWEDecryptionFailed after a secret change
async def signed_in_under(secret: str, layout: Layout) -> Browser:
    browser = Browser.of(AuthOptions(secret=secret, providers=[credentials_provider()]), layout)
    result = await browser.sign_in_with_credentials(username="alice", password="wonderland")
    assert result.status == 200
    return browser


def switch(browser: Browser, options: AuthOptions) -> None:
    """The server restarts with new options; the browser keeps its cookies."""
    browser.route = NextAuth(options)
    browser._app = None


@pytest.mark.parametrize("where", ["option", "env"])
async def test_rotated_secret_with_the_old_one_listed_keeps_users_signed_in(
    layout: Layout, monkeypatch: pytest.MonkeyPatch, logs: pytest.LogCaptureFixture, where: str
) -> None:
    browser = await signed_in_under(OLD, layout)
    old_csrf = browser.jar["next-auth.csrf-token"]
    if where == "env":
        monkeypatch.setenv("NEXTAUTH_SECRET", f"{NEW},{OLD}")
        switch(browser, AuthOptions(providers=[credentials_provider()]))
    else:
        switch(browser, AuthOptions(secret=[NEW, OLD], providers=[credentials_provider()]))
    result = await browser.get("session")
    assert result.status == 200
    assert result.json()["user"] == {"name": "Alice", "email": "alice@example.com"}
    reissued = result.cookie(SESSION)
    assert reissued is not None and not reissued.is_deletion
    assert await decode(token=reissued.value, secret=NEW) is not None  # re-encrypted under the new secret
    # The CSRF cookie keeps its token and gets the new secret's hash.
    csrf = result.cookie("next-auth.csrf-token")
    assert csrf is not None and csrf.value.split("%7C")[0] == old_csrf.split("%7C")[0] != ""
    # From now on the old secret is not needed.
    switch(browser, AuthOptions(secret=NEW, providers=[credentials_provider()]))
    monkeypatch.delenv("NEXTAUTH_SECRET", raising=False)
    assert (await browser.get("session")).json()["user"]["name"] == "Alice"
    assert log_messages(logs, logging.ERROR) == []


async def test_dropped_secret_means_signed_out_cleared_and_a_debug_line(
    layout: Layout, logs: pytest.LogCaptureFixture
) -> None:
    browser = await signed_in_under(OLD, layout)
    switch(browser, AuthOptions(secret=NEW, providers=[credentials_provider()], debug=True))
    result = await browser.get("session")
    assert result.status == 200
    assert result.json() == {}
    cookie = result.cookie(SESSION)
    assert cookie is not None and cookie.is_deletion
    assert SESSION not in browser.jar
    assert log_messages(logs, logging.ERROR) == []
    debug = [m for m in log_messages(logs, logging.DEBUG) if "JWT_SESSION_ERROR" in m]
    assert debug == ["[next-auth][debug][JWT_SESSION_ERROR] JWEDecryptionFailedError: decryption operation failed"]
    # The browser no longer sends the cookie: nothing more is logged.
    again = await browser.get("session")
    assert again.json() == {} and again.set_cookies == []
    assert len([m for m in log_messages(logs, logging.DEBUG) if "JWT_SESSION_ERROR" in m]) == 1


async def test_dropped_secret_is_quiet_without_debug(layout: Layout, logs: pytest.LogCaptureFixture) -> None:
    browser = await signed_in_under(OLD, layout)
    switch(browser, AuthOptions(secret=NEW, providers=[credentials_provider()]))
    result = await browser.get("session")
    assert result.status == 200 and result.json() == {}
    assert [m for m in log_messages(logs) if "JWT_SESSION_ERROR" in m] == []
    assert log_messages(logs, logging.ERROR) == []


async def test_dropped_secret_on_sign_out_and_update_is_not_a_500(layout: Layout) -> None:
    browser = await signed_in_under(OLD, layout)
    switch(browser, AuthOptions(secret=NEW, providers=[credentials_provider()]))
    csrf = await browser.csrf()  # a new CSRF cookie: the old hash no longer verifies
    browser.jar[SESSION] = browser.jar.get(SESSION) or ""
    update = await browser.post("session", json={"csrfToken": csrf, "data": {"x": 1}})
    assert update.status == 200 and update.json() == {}
    signout = await browser.post("signout", form={"csrfToken": csrf, "json": "true"})
    assert signout.status == 200 and signout.json() == {"url": ORIGIN}


# ================================================================================ wrong public URL behind a proxy
MISMATCH = (
    "nextauth: a request arrived for {seen} but URLs are built for {base} (NEXTAUTH_URL). Redirects and cookies "
    "will point there. If this app is reached through a proxy or another domain, set NEXTAUTH_URL to the "
    "public URL (or AUTH_TRUST_HOST=true / AuthOptions(trust_host=True) when the proxy sets "
    "X-Forwarded-Host and NEXTAUTH_URL is unset)."
)


@pytest.mark.parametrize(
    ("headers", "seen"),
    [
        ({"host": "internal-app:8080"}, "internal-app:8080"),
        ({"host": "app.example.com", "x-forwarded-host": "other.example.org"}, "other.example.org"),
        ({"host": "app.example.com", "x-forwarded-proto": "http"}, "http://app.example.com"),
    ],
)
async def test_request_through_a_proxy_with_another_host(
    layout: Layout,
    monkeypatch: pytest.MonkeyPatch,
    logs: pytest.LogCaptureFixture,
    headers: dict[str, str],
    seen: str,
) -> None:
    monkeypatch.setenv("NEXTAUTH_URL", "https://app.example.com")
    browser = Browser.of(
        AuthOptions(secret=NEW, providers=[credentials_provider()]), layout, origin="https://app.example.com"
    )
    result = await browser.get("providers", headers=headers)
    assert result.json()["credentials"]["signinUrl"] == "https://app.example.com/api/auth/signin/credentials"
    warnings = [m for m in log_messages(logs, logging.WARNING) if "a request arrived for" in m]
    assert warnings == [MISMATCH.format(seen=seen, base="https://app.example.com/api/auth")]
    signin = await browser.sign_in_with_credentials(username="alice", password="nope")
    assert signin.json() == {
        "url": "https://app.example.com/api/auth/error?error=CredentialsSignin&provider=credentials"
    }
    assert len([m for m in log_messages(logs, logging.WARNING) if "a request arrived for" in m]) == 1  # once


async def test_matching_host_gives_no_warning(
    layout: Layout, monkeypatch: pytest.MonkeyPatch, logs: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("NEXTAUTH_URL", "https://app.example.com")
    browser = Browser.of(
        AuthOptions(secret=NEW, providers=[credentials_provider()]), layout, origin="https://app.example.com"
    )
    await browser.get("providers", headers={"host": "app.example.com", "x-forwarded-proto": "https"})
    assert [m for m in log_messages(logs, logging.WARNING) if "a request arrived for" in m] == []
    infos = [m for m in log_messages(logs, logging.INFO) if "base URL" in m]
    assert infos == ["nextauth: base URL https://app.example.com/api/auth"]


# ================================================================================ CLIENT_FETCH_ERROR
@pytest.mark.parametrize("path", ["nonexistent", "session/extra/../x", "signin.json", "callback/nope"])
async def test_unknown_action_asked_for_as_json_gets_json(layout: Layout, path: str) -> None:
    """next-auth/react sends ``Content-Type: application/json`` on its GETs: it gets JSON it can parse."""
    browser = Browser.of(AuthOptions(secret=NEW, providers=[credentials_provider()]), layout)
    result = await browser.get(path, headers={"content-type": "application/json"})
    if path.startswith("session/"):
        assert result.status == 200 and result.json() == {}
        return
    assert result.status == 400
    assert result.content_type == json_type(layout)
    body = result.json()
    assert body["message"] == "Error: This action with HTTP GET is not supported by NextAuth.js"


async def test_unknown_action_is_never_html(layout: Layout) -> None:
    browser = Browser.of(AuthOptions(secret=NEW, providers=[credentials_provider()]), layout)
    result = await browser.get("nonexistent", headers={"accept": "text/html"})
    assert result.status == 400
    assert result.content_type == text_type(layout)
    assert b"<" not in result.body


async def test_missing_catch_all_segments_is_a_json_500(layout: Layout, logs: pytest.LogCaptureFixture) -> None:
    browser = Browser.of(AuthOptions(secret=NEW, providers=[credentials_provider()]), layout)
    result = await browser.get("")
    assert result.status == 500
    assert result.content_type == json_type(layout)
    assert any(
        "MISSING_NEXTAUTH_API_ROUTE_ERROR" in m and "[...nextauth]" in m for m in log_messages(logs, logging.ERROR)
    )


# ================================================================================ missing state / PKCE cookies
LIKELY_CAUSES = (
    "Likely causes: the sign-in started on another host or scheme than the callback arrived on "
    f"(check NEXTAUTH_URL: {BASE}), the browser refused the cookie (SameSite, third-party cookie blocking, "
    "Secure cookies over plain http), or the sign-in took longer than 15 minutes."
)


@pytest.mark.parametrize(
    ("cookie", "label"), [("next-auth.state", "state"), ("next-auth.pkce.code_verifier", "PKCE code_verifier")]
)
async def test_check_cookie_dropped_before_the_callback(
    layout: Layout, logs: pytest.LogCaptureFixture, cookie: str, label: str
) -> None:
    browser = Browser.of(AuthOptions(secret=NEW, providers=[corp_provider()]), layout)
    csrf = await browser.csrf()
    start = await browser.post("signin/corp", form={"csrfToken": csrf})
    state = query_of(start.location or "")["state"]
    del browser.jar[cookie]
    result = await browser.get(f"callback/corp?code=abc&state={state}")
    assert result.status == 302
    assert result.location == f"{BASE}/error?error=OAuthCallback"
    expected = f"The {label} cookie ({cookie}) was missing from the callback request. {LIKELY_CAUSES}"
    errors = log_messages(logs, logging.ERROR)
    assert any("[next-auth][error][OAUTH_CALLBACK_ERROR]" in m and expected in m for m in errors), errors


async def test_state_cookie_older_than_15_minutes(layout: Layout, logs: pytest.LogCaptureFixture) -> None:
    browser = Browser.of(AuthOptions(secret=NEW, providers=[corp_provider(checks=["state"])]), layout)
    browser.jar["next-auth.state"] = await encode(
        token={"value": "s", "provider": "corp"}, secret=NEW, salt="next-auth.state", max_age=-60
    )
    result = await browser.get("callback/corp?code=abc&state=s")
    assert result.location == f"{BASE}/error?error=OAuthCallback"
    expected = "The state cookie (next-auth.state) expired: more than 15 minutes passed since the sign-in started."
    assert any(expected in m for m in log_messages(logs, logging.ERROR))


async def test_state_cookie_from_another_secret(layout: Layout, logs: pytest.LogCaptureFixture) -> None:
    browser = Browser.of(AuthOptions(secret=NEW, providers=[corp_provider(checks=["state"])]), layout)
    browser.jar["next-auth.state"] = await encode(
        token={"value": "s", "provider": "corp"}, secret=OLD, salt="next-auth.state"
    )
    result = await browser.get("callback/corp?code=abc&state=s")
    assert result.location == f"{BASE}/error?error=OAuthCallback"
    expected = "The state cookie (next-auth.state) could not be read (JWEDecryptionFailedError); was the secret changed"
    assert any(expected in m for m in log_messages(logs, logging.ERROR))


# ================================================================================ provider timeouts
@pytest.mark.parametrize("how", ["option", "provider"])
async def test_discovery_endpoint_that_never_answers(layout: Layout, logs: pytest.LogCaptureFixture, how: str) -> None:
    with StallingServer() as stalled:
        well_known = f"{stalled.url}/.well-known/openid-configuration"
        if how == "option":
            options = AuthOptions(
                secret=NEW,
                providers=[
                    OAuthProvider(id="slow", name="Slow", client_id="c", client_secret="s", well_known=well_known)
                ],
                http_timeout=0.3,
            )
        else:
            provider = OAuthProvider(
                id="slow",
                name="Slow",
                client_id="c",
                client_secret="s",
                well_known=well_known,
                http_options={"timeout": 0.3},
            )
            options = AuthOptions(secret=NEW, providers=[provider])
        browser = Browser.of(options, layout)
        csrf = await browser.csrf()
        result = await browser.post("signin/slow", form={"csrfToken": csrf})
        callback = await browser.get("callback/slow?code=x&state=y")
        assert stalled.accepted >= 1
    assert result.status == 302 and result.location == f"{BASE}/error?error=OAuthSignin"
    assert "next-auth.state" not in result.cookie_names
    # httpx's ReadTimeout or the overall deadline (issue 11), whichever fires first: both are 0.3 s
    expected = re.compile(
        re.escape(f"TimeoutError: {well_known} did not answer within 0.3 s (")
        + r"(ReadTimeout|overall deadline)"
        + re.escape(
            "). Is the provider reachable from this server (proxy: HTTPS_PROXY/NO_PROXY)? A slow provider needs a "
            "longer timeout: AuthOptions(http_timeout=...) or the provider's http_options={'timeout': ...}."
        )
    )
    errors = log_messages(logs, logging.ERROR)
    assert any("[next-auth][error][SIGNIN_OAUTH_ERROR]" in m and expected.search(m) for m in errors), errors
    assert callback.location == f"{BASE}/error?error=OAuthCallback"  # no state cookie: refused before any request


def test_default_provider_timeout_is_sane() -> None:
    assert 1 <= AuthOptions(providers=[]).http_timeout <= 30


# ================================================================================ configuration errors at build time
CREDENTIALS_DATABASE = (
    "Signing in with credentials only works with JWT sessions: the credentials provider never creates "
    "a database session. Use session={'strategy': 'jwt'} (you can keep the adapter for other providers)."
)
EMAIL_WITHOUT_ADAPTER = (
    "The email provider needs an adapter to store verification tokens and users: add "
    "adapter=SQLAlchemyAdapter('sqlite:///./nextauth.db') (run `nextauth db init` once)."
)


@pytest.mark.parametrize("spelling", ["dataclass", "dict", "nextauth-js"])
def test_credentials_only_with_database_sessions(spelling: str) -> None:
    if spelling == "dataclass":
        options: Any = AuthOptions(
            secret=NEW, providers=[credentials_provider()], adapter=MemoryAdapter(), session={"strategy": "database"}
        )
    elif spelling == "dict":
        options = {
            "secret": NEW,
            "providers": [credentials_provider()],
            "adapter": MemoryAdapter(),
            "session": {"strategy": "database"},
        }
    else:  # an adapter alone makes the strategy "database"
        options = {"secret": NEW, "providers": [credentials_provider()], "adapter": MemoryAdapter()}
    with pytest.raises(ConfigurationError) as raised:
        NextAuth(options)
    assert str(raised.value) == CREDENTIALS_DATABASE


def test_credentials_plus_oauth_with_database_sessions_is_allowed() -> None:
    handler = NextAuth(
        AuthOptions(secret=NEW, providers=[credentials_provider(), corp_provider()], adapter=MemoryAdapter())
    )
    assert handler.core.prepared.strategy == "database"


def test_database_strategy_without_adapter() -> None:
    with pytest.raises(ConfigurationError) as raised:
        NextAuth(AuthOptions(secret=NEW, providers=[corp_provider()], session={"strategy": "database"}))
    assert str(raised.value) == (
        "session.strategy is 'database' but no adapter is set: add adapter=SQLAlchemyAdapter(DATABASE_URL) "
        "or use session={'strategy': 'jwt'}"
    )


def test_email_without_adapter() -> None:
    with pytest.raises(ConfigurationError) as raised:
        NextAuth(AuthOptions(secret=NEW, providers=[EmailProvider(server="smtp://localhost:25")]))
    assert str(raised.value) == EMAIL_WITHOUT_ADAPTER


def test_email_with_an_incomplete_adapter() -> None:
    class Partial:
        async def get_user_by_email(self, email: str) -> None:
            return None

    with pytest.raises(MissingAdapterMethodsError) as raised:
        NextAuth(AuthOptions(secret=NEW, providers=[EmailProvider()], adapter=Partial(), session={"strategy": "jwt"}))
    assert raised.value.code == "MISSING_ADAPTER_METHODS_ERROR"
    assert raised.value.missing == (
        "create_verification_token",
        "use_verification_token",
        "create_user",
        "update_user",
        "get_user",
    )
    assert "email sign-in needs create_verification_token, use_verification_token" in str(raised.value)


def test_configuration_errors_are_raised_before_any_request() -> None:
    """The error comes from NextAuth(options) itself: a server fails at startup, not at the first sign-in."""
    with pytest.raises(ConfigurationError):
        NextAuth({"secret": NEW, "providers": [credentials_provider()], "adapter": MemoryAdapter()})


# ================================================================================ HTTPS_PROXY / NO_PROXY
async def test_https_proxy_is_used_for_provider_requests(
    layout: Layout, monkeypatch: pytest.MonkeyPatch, logs: pytest.LogCaptureFixture
) -> None:
    with RecordingProxy() as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        provider = OAuthProvider(
            id="idp",
            name="IdP",
            client_id="c",
            client_secret="s",
            well_known="https://idp.example.test/.well-known/openid-configuration",
        )
        browser = Browser.of(AuthOptions(secret=NEW, providers=[provider]), layout)
        csrf = await browser.csrf()
        result = await browser.post("signin/idp", form={"csrfToken": csrf})
    assert proxy.requests == ["CONNECT idp.example.test:443"]  # the proxy refused: nothing left the machine
    assert result.location == f"{BASE}/error?error=OAuthSignin"


@pytest.mark.slow
async def test_http_proxy_carries_the_whole_flow(monkeypatch: pytest.MonkeyPatch, mock_provider: MockProvider) -> None:
    with RecordingProxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        browser = Browser.of(AuthOptions(secret=NEW, providers=[mock_provider.provider()]), "app")
        csrf = await browser.csrf()
        start = await browser.post("signin/mock", form={"csrfToken": csrf})
        back = await mock_provider.approve(start.location or "")
        result = await browser.get(back[len(BASE) + 1 :])
    assert result.location == ORIGIN
    assert (await browser.get("session")).json()["user"]["name"] == "Bob"
    assert proxy.requests == [
        f"GET {mock_provider.well_known}",
        f"POST {mock_provider.url}/oauth2/token",
        f"GET {mock_provider.url}/jwks",
    ]


@pytest.mark.slow
@pytest.mark.parametrize("no_proxy", ["127.0.0.1", "127.0.0.1,localhost", "*"])
async def test_no_proxy_bypasses_the_proxy(
    monkeypatch: pytest.MonkeyPatch, mock_provider: MockProvider, no_proxy: str
) -> None:
    with RecordingProxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", no_proxy)
        browser = Browser.of(AuthOptions(secret=NEW, providers=[mock_provider.provider()]), "pages")
        csrf = await browser.csrf()
        start = await browser.post("signin/mock", form={"csrfToken": csrf})
        back = await mock_provider.approve(start.location or "")
        result = await browser.get(back[len(BASE) + 1 :])
    assert result.location == ORIGIN
    assert proxy.requests == []


# Provider configuration (issue 7: "a provider missing its client id or secret, an issuer that is not an absolute
# https URL"): found by NextAuth(options), with a message that names the field to fix.
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"client_id": ""}, "client_id"),
        ({"client_secret": None}, "client_secret"),
        ({"issuer": "sso.corp.example"}, "issuer"),
        ({"issuer": "http://sso.corp.example"}, "issuer"),
    ],
)
def test_provider_configuration_errors_name_the_field(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ConfigurationError, match=field):
        NextAuth(AuthOptions(secret=NEW, providers=[corp_provider(**overrides)]))


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"issuer": "http://127.0.0.1:9400", "well_known": "http://127.0.0.1:9400/.well-known/openid-configuration"},
        {"issuer": "http://localhost:8080"},
        {"client_secret": None, "client": {"token_endpoint_auth_method": "none"}},  # a public client (PKCE)
    ],
)
def test_valid_provider_configurations_are_accepted(overrides: dict[str, Any]) -> None:
    NextAuth(AuthOptions(secret=NEW, providers=[corp_provider(**overrides)]))
