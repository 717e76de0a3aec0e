"""OAuth 2 / OIDC flows against the real mock provider (``oidc-provider-mock`` as a subprocess)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

import pytest
from authkit import BASE, ORIGIN, SECRET, Browser, Layout, MemoryAdapter, credentials_provider, log_messages, query_of
from oidcmock import CountingServer, MockProvider

from nextauth import AuthOptions
from nextauth._core.oauth.checks import s256
from nextauth.jwt import decode, encode

pytestmark = pytest.mark.slow

SESSION = "next-auth.session-token"
STATE = "next-auth.state"
PKCE = "next-auth.pkce.code_verifier"
NONCE = "next-auth.nonce"


def options_with(mock: MockProvider, **overrides: Any) -> AuthOptions:
    provider_overrides = overrides.pop("provider", {})
    return AuthOptions(
        secret=SECRET, providers=[credentials_provider(), mock.provider(**provider_overrides)], **overrides
    )


async def start(browser: Browser, provider: str = "mock", callback_url: str = "/after", query: str = "") -> str:
    csrf = await browser.csrf()
    result = await browser.post(f"signin/{provider}{query}", form={"csrfToken": csrf, "callbackUrl": callback_url})
    assert result.status == 302, result
    assert result.location is not None
    return result.location


def callback_path(location: str) -> str:
    """Our callback URL from the provider's redirect, as a path relative to the auth base."""
    assert location.startswith(f"{BASE}/callback/"), location
    return location[len(BASE) + 1 :]


async def full_sign_in(browser: Browser, mock: MockProvider, provider: str = "mock") -> Any:
    authorize = await start(browser, provider)
    back = await mock.approve(authorize)
    return await browser.get(callback_path(back))


# ------------------------------------------------------------------------------------------ the happy path
async def test_code_flow_with_pkce_and_state(layout: Layout, mock_provider: MockProvider) -> None:
    browser = Browser.of(options_with(mock_provider), layout)
    authorize = await start(browser)
    assert authorize.startswith(f"{mock_provider.url}/oauth2/authorize?")
    query = query_of(authorize)
    assert list(query) == [
        "client_id",
        "scope",
        "response_type",
        "redirect_uri",
        "state",
        "code_challenge",
        "code_challenge_method",
    ]
    assert query["client_id"] == "client" and query["scope"] == "openid email profile"
    assert query["response_type"] == "code"
    assert query["redirect_uri"] == f"{BASE}/callback/mock"
    assert "scope=openid%20email%20profile" in authorize  # %20, not +
    state = await decode(token=browser.jar[STATE].replace("%2E", "."), secret=SECRET, salt=STATE)
    verifier = await decode(token=browser.jar[PKCE], secret=SECRET, salt=PKCE)
    assert state is not None and verifier is not None
    assert state["value"] == query["state"] and state["provider"] == "mock"
    assert state["exp"] - state["iat"] == 900
    assert len(query["state"]) == 43 and len(verifier["value"]) == 43
    assert query["code_challenge"] == s256(verifier["value"]) and query["code_challenge_method"] == "S256"

    back = await mock_provider.approve(authorize)
    result = await browser.get(callback_path(back))
    assert result.status == 302
    assert result.location == f"{ORIGIN}/after"
    deleted = {c.name for c in result.set_cookies if c.is_deletion}
    assert deleted == {STATE, PKCE}
    claims = await decode(token=browser.jar[SESSION], secret=SECRET)
    assert claims is not None
    assert {k: claims[k] for k in ("sub", "name", "email", "picture")} == {
        "sub": "bob",
        "name": "Bob",
        "email": "bob@example.com",  # lower-cased, as next-auth does
        "picture": "http://127.0.0.1/bob.png",
    }
    session = (await browser.get("session")).json()
    assert session["user"] == {"name": "Bob", "email": "bob@example.com", "image": "http://127.0.0.1/bob.png"}

    replay = await browser.get(callback_path(back))
    assert replay.status == 302 and replay.location == f"{BASE}/error?error=OAuthCallback"
    assert not any(c.is_deletion for c in replay.set_cookies)


async def test_token_request_as_the_provider_sees_it(layout: Layout, mock_provider: MockProvider) -> None:
    """client_secret_basic, form body with the code, redirect_uri and the verifier from the PKCE cookie."""
    import base64

    from oidcmock import ForwardingServer

    with ForwardingServer(mock_provider.url) as token_proxy:
        browser = Browser.of(options_with(mock_provider, provider={"token": f"{token_proxy.url}/oauth2/token"}), layout)
        authorize = await start(browser)
        verifier = await decode(token=browser.jar[PKCE], secret=SECRET, salt=PKCE)
        assert verifier is not None
        back = await mock_provider.approve(authorize)
        result = await browser.get(callback_path(back))
    assert result.location == f"{ORIGIN}/after"
    (request,) = token_proxy.requests
    assert request["method"] == "POST" and request["path"] == "/oauth2/token"
    assert request["headers"]["authorization"] == "Basic " + base64.b64encode(b"client:secret").decode()
    assert request["headers"]["content-type"].startswith("application/x-www-form-urlencoded")
    form = query_of("?" + request["body"].decode())
    assert form["grant_type"] == "authorization_code"
    assert form["code"] == query_of(back)["code"]
    assert form["redirect_uri"] == f"{BASE}/callback/mock"
    assert form["code_verifier"] == verifier["value"]
    assert s256(form["code_verifier"]) == query_of(authorize)["code_challenge"]
    assert "client_secret" not in form


async def test_check_cookie_attributes(mock_provider: MockProvider) -> None:
    browser = Browser.of(options_with(mock_provider), "pages")
    csrf = await browser.csrf()
    result = await browser.post("signin/mock", form={"csrfToken": csrf})
    for name in (STATE, PKCE):
        cookie = result.cookie(name)
        assert cookie is not None
        assert cookie.order == ["Max-Age", "Path", "Expires", "HttpOnly", "SameSite"]
        assert cookie.max_age == 900 and cookie.http_only and cookie.same_site == "Lax"


async def test_authorization_params_from_the_signin_query(layout: Layout, mock_provider: MockProvider) -> None:
    browser = Browser.of(options_with(mock_provider), layout)
    authorize = await start(browser, query="?prompt=login&login_hint=bob")
    query = query_of(authorize)
    assert list(query)[:6] == ["client_id", "scope", "response_type", "redirect_uri", "prompt", "login_hint"]
    assert query["prompt"] == "login" and query["login_hint"] == "bob"


async def test_signin_json_mode(layout: Layout, mock_provider: MockProvider) -> None:
    browser = Browser.of(options_with(mock_provider), layout)
    csrf = await browser.csrf()
    result = await browser.post("signin/mock", form={"csrfToken": csrf, "callbackUrl": "/x", "json": "true"})
    assert result.status == 200
    assert result.json()["url"].startswith(f"{mock_provider.url}/oauth2/authorize?")
    assert {STATE, PKCE} <= set(result.cookie_names)


async def test_code_flow_with_nonce(layout: Layout, mock_provider: MockProvider) -> None:
    browser = Browser.of(options_with(mock_provider, provider={"checks": ["pkce", "state", "nonce"]}), layout)
    authorize = await start(browser)
    query = query_of(authorize)
    assert list(query)[-1] == "nonce"
    nonce_cookie = await browser.post("csrf")  # any request: the nonce cookie is in the jar already
    assert nonce_cookie.status == 400
    stored = await decode(token=browser.jar[NONCE], secret=SECRET, salt=NONCE)
    assert stored is not None and stored["value"] == query["nonce"]
    result = await browser.get(callback_path(await mock_provider.approve(authorize)))
    assert result.status == 302 and result.location == f"{ORIGIN}/after"
    assert {STATE, PKCE, NONCE} == {c.name for c in result.set_cookies if c.is_deletion}


async def test_nonce_mismatch_is_oauth_callback(
    layout: Layout, mock_provider: MockProvider, logs: pytest.LogCaptureFixture
) -> None:
    browser = Browser.of(options_with(mock_provider, provider={"checks": ["state", "nonce"]}), layout)
    authorize = await start(browser)
    browser.jar[NONCE] = await encode(
        token={"value": "not-the-nonce", "provider": "mock"}, secret=SECRET, salt=NONCE, max_age=900
    )
    result = await browser.get(callback_path(await mock_provider.approve(authorize)))
    assert result.location == f"{BASE}/error?error=OAuthCallback"
    assert SESSION not in browser.jar
    assert any("nonce mismatch" in m for m in log_messages(logs, logging.ERROR))


# ------------------------------------------------------------------------------------------ profile source
@pytest.mark.parametrize("id_token", [True, False])
async def test_profile_from_id_token_or_userinfo(mock_provider: MockProvider, id_token: bool) -> None:
    raws: list[dict[str, Any]] = []

    def profile(raw: dict[str, Any]) -> dict[str, Any]:
        raws.append(raw)
        return {"id": raw["sub"], "name": raw.get("name"), "email": raw.get("email")}

    browser = Browser.of(options_with(mock_provider, provider={"id_token": id_token, "profile": profile}), "app")
    result = await full_sign_in(browser, mock_provider)
    assert result.location == f"{ORIGIN}/after"
    (raw,) = raws
    assert raw["sub"] == "bob" and raw["name"] == "Bob"
    if id_token:
        assert raw["iss"] == mock_provider.url and raw["aud"] in ("client", ["client"]) and "exp" in raw
    else:
        assert "aud" not in raw and "iss" not in raw  # the userinfo response, not ID-token claims


async def test_account_object_keys(layout: Layout, mock_provider: MockProvider) -> None:
    seen: dict[str, Any] = {}

    def jwt(token: dict[str, Any], account: dict[str, Any] | None = None, profile: Any = None) -> dict[str, Any]:
        if account is not None:
            seen["account"] = account
            seen["profile"] = profile
        return token

    browser = Browser.of(options_with(mock_provider, callbacks={"jwt": jwt}), layout)
    await full_sign_in(browser, mock_provider)
    account = seen["account"]
    assert account["provider"] == "mock" and account["type"] == "oauth"
    assert account["provider_account_id"] == "bob"
    assert {"access_token", "token_type", "id_token", "refresh_token", "scope", "expires_at"} <= set(account)
    assert "expires_in" not in account
    assert isinstance(account["expires_at"], int) and account["expires_at"] > 1_600_000_000
    assert account["token_type"].lower() == "bearer"
    assert seen["profile"]["sub"] == "bob"


# ------------------------------------------------------------------------------------------ failures
async def test_missing_state_cookie(
    layout: Layout, mock_provider: MockProvider, logs: pytest.LogCaptureFixture
) -> None:
    browser = Browser.of(options_with(mock_provider), layout)
    authorize = await start(browser)
    back = await mock_provider.approve(authorize)
    del browser.jar[STATE]
    result = await browser.get(callback_path(back))
    assert result.status == 302 and result.location == f"{BASE}/error?error=OAuthCallback"
    assert SESSION not in browser.jar
    assert any(f"({STATE}) was missing" in m for m in log_messages(logs, logging.ERROR))


@pytest.mark.parametrize("which", ["state-param", "state-cookie", "pkce-cookie", "other-provider"])
async def test_tampered_checks(layout: Layout, mock_provider: MockProvider, which: str) -> None:
    browser = Browser.of(options_with(mock_provider), layout)
    authorize = await start(browser)
    back = await mock_provider.approve(authorize)
    path = callback_path(back)
    if which == "state-param":
        path = path.replace(f"state={query_of(back)['state']}", "state=tampered-state-value")
    elif which == "state-cookie":
        browser.jar[STATE] = browser.jar[STATE][:-4] + "AAAA"
    elif which == "pkce-cookie":
        browser.jar[PKCE] = "not-a-jwe"  # (the mock does not check PKCE: a wrong verifier is seen by the provider only)
    else:
        state = query_of(back)["state"]
        browser.jar[STATE] = await encode(
            token={"value": state, "provider": "github"}, secret=SECRET, salt=STATE, max_age=900
        )
    result = await browser.get(path)
    assert result.status == 302 and result.location == f"{BASE}/error?error=OAuthCallback"
    assert SESSION not in browser.jar


async def test_state_cookie_made_for_another_salt_is_rejected(mock_provider: MockProvider) -> None:
    """The check cookies are keyed by their own name: a session-key JWE in the state cookie does not decrypt."""
    browser = Browser.of(options_with(mock_provider), "pages")
    authorize = await start(browser)
    back = await mock_provider.approve(authorize)
    browser.jar[STATE] = await encode(token={"value": query_of(back)["state"], "provider": "mock"}, secret=SECRET)
    result = await browser.get(callback_path(back))
    assert result.location == f"{BASE}/error?error=OAuthCallback"


async def test_provider_denied(layout: Layout, mock_provider: MockProvider, logs: pytest.LogCaptureFixture) -> None:
    browser = Browser.of(options_with(mock_provider), layout)
    authorize = await start(browser)
    back = await mock_provider.deny(authorize)
    assert query_of(back)["error"] == "access_denied"
    result = await browser.get(callback_path(back))
    assert result.status == 302 and result.location == f"{BASE}/error?error=Callback"  # not OAuthCallback
    assert SESSION not in browser.jar
    assert any("OAUTH_CALLBACK_HANDLER_ERROR" in m and "access_denied" in m for m in log_messages(logs, logging.ERROR))


async def test_form_post_callback_without_cookies(layout: Layout, mock_provider: MockProvider) -> None:
    browser = Browser.of(options_with(mock_provider), layout)
    for method in ("GET", "POST"):
        if method == "GET":
            result = await browser.get("callback/mock?code=made-up&state=made-up")
        else:
            result = await browser.post("callback/mock", form={"code": "made-up", "state": "made-up"})
        assert result.status == 302 and result.location == f"{BASE}/error?error=OAuthCallback"


async def test_token_endpoint_failure(
    layout: Layout, mock_provider: MockProvider, logs: pytest.LogCaptureFixture
) -> None:
    client_id, _secret = mock_provider.register_client(f"{BASE}/callback/mock", "client_secret_basic")
    browser = Browser.of(
        options_with(mock_provider, provider={"client_id": client_id, "client_secret": "wrong-secret"}), layout
    )
    result = await full_sign_in(browser, mock_provider)
    assert result.status == 302 and result.location == f"{BASE}/error?error=OAuthCallback"
    assert SESSION not in browser.jar
    errors = log_messages(logs, logging.ERROR)
    assert any("invalid_client" in m and f"redirect_uri sent: {BASE}/callback/mock" in m for m in errors), errors
    assert not any("wrong-secret" in m for m in log_messages(logs))


@pytest.mark.parametrize("method", ["client_secret_post", "client_secret_basic"])
async def test_client_authentication_method(layout: Layout, mock_provider: MockProvider, method: str) -> None:
    """A client registered for ``client_secret_post`` signs in only when the provider is told to use it."""
    client_id, secret = mock_provider.register_client(f"{BASE}/callback/mock", "client_secret_post")
    provider = {"client_id": client_id, "client_secret": secret}
    if method == "client_secret_post":
        provider["client"] = {"token_endpoint_auth_method": "client_secret_post"}
    browser = Browser.of(options_with(mock_provider, provider=provider), layout)
    result = await full_sign_in(browser, mock_provider)
    if method == "client_secret_post":
        assert result.location == f"{ORIGIN}/after"
        assert (await browser.get("session")).json()["user"]["name"] == "Bob"
    else:
        assert result.location == f"{BASE}/error?error=OAuthCallback"


async def test_discovery_is_cached(mock_provider: MockProvider) -> None:
    document = mock_provider.discovery()
    with CountingServer({"/.well-known/openid-configuration": document}) as discovery:
        provider = {"well_known": f"{discovery.url}/.well-known/openid-configuration"}
        for layout in ("pages", "app"):
            browser = Browser.of(options_with(mock_provider, provider=provider), layout)  # type: ignore[arg-type]
            result = await full_sign_in(browser, mock_provider)
            assert result.location == f"{ORIGIN}/after"
        assert discovery.hits == {"/.well-known/openid-configuration": 1}  # 2 sign-ins + 2 callbacks, 1 fetch


async def test_discovery_cache_ttl_zero_refetches(mock_provider: MockProvider) -> None:
    document = mock_provider.discovery()
    with CountingServer({"/.well-known/openid-configuration": document}) as discovery:
        provider = {
            "well_known": f"{discovery.url}/.well-known/openid-configuration",
            "http_options": {"cache_ttl": 0},
        }
        browser = Browser.of(options_with(mock_provider, provider=provider), "app")
        await full_sign_in(browser, mock_provider)
        assert discovery.hits == {"/.well-known/openid-configuration": 2}


async def test_discovery_failure_is_oauth_signin(
    layout: Layout, mock_provider: MockProvider, logs: pytest.LogCaptureFixture
) -> None:
    with CountingServer({}) as discovery:
        provider = {"well_known": f"{discovery.url}/.well-known/openid-configuration"}
        browser = Browser.of(options_with(mock_provider, provider=provider), layout)
        csrf = await browser.csrf()
        result = await browser.post("signin/mock", form={"csrfToken": csrf})
    assert result.status == 302 and result.location == f"{BASE}/error?error=OAuthSignin"
    assert STATE not in result.cookie_names
    assert any("SIGNIN_OAUTH_ERROR" in m and "404" in m for m in log_messages(logs, logging.ERROR))


# ------------------------------------------------------------------------------------------ adapter, newUser
async def test_new_user_page_then_callback_url(layout: Layout, mock_provider: MockProvider) -> None:
    adapter = MemoryAdapter()
    triggers: list[Any] = []

    def jwt(token: dict[str, Any], trigger: str | None = None, is_new_user: bool | None = None) -> dict[str, Any]:
        triggers.append((trigger, is_new_user))
        return token

    options = options_with(
        mock_provider,
        adapter=adapter,
        session={"strategy": "jwt"},
        pages={"new_user": "/welcome"},
        callbacks={"jwt": jwt},
    )
    browser = Browser.of(options, layout)
    first = await full_sign_in(browser, mock_provider)
    assert first.location == f"/welcome?callbackUrl={ORIGIN.replace(':', '%3A').replace('/', '%2F')}%2Fafter"
    assert triggers[-1] == ("signUp", True)
    # A first sign-in writes the user and the account in one step when the adapter can (MemoryAdapter can).
    assert [c for c in adapter.calls if "create_user" in c or "link_account" in c] == ["create_user_and_link_account"]
    (user,) = adapter.users.values()
    assert user["email"] == "bob@example.com" and "id" in user
    second = await full_sign_in(Browser.of(options, layout), mock_provider)
    assert second.location == f"{ORIGIN}/after"
    assert triggers[-1] == ("signIn", False)


async def test_database_sessions_with_oauth(layout: Layout, mock_provider: MockProvider) -> None:
    adapter = MemoryAdapter()
    browser = Browser.of(options_with(mock_provider, adapter=adapter), layout)
    result = await full_sign_in(browser, mock_provider)
    assert result.location == f"{ORIGIN}/after"
    token = browser.jar[SESSION]
    assert token in adapter.sessions  # the cookie is the raw session token
    session = (await browser.get("session")).json()
    assert session["user"] == {"name": "Bob", "email": "bob@example.com", "image": "http://127.0.0.1/bob.png"}
    csrf = await browser.csrf()
    await browser.post("signout", form={"csrfToken": csrf})
    assert token not in adapter.sessions
    assert (await browser.get("session")).json() == {}


def test_mock_urls_are_loopback(mock_provider: MockProvider) -> None:
    assert urlsplit(mock_provider.url).hostname == "127.0.0.1"


async def test_restarted_provider_with_new_keys_under_the_same_kid(tmp_path: Any) -> None:
    """A cached JWKS goes stale when the provider replaces a key but keeps its kid (oidc-provider-mock does on
    every start): the id_token's signature fails once against the cache, and one refetch must fix it."""
    mock = MockProvider(tmp_path / "mock.log").start()
    try:
        from nextauth._core.oauth._metadata import CACHE

        CACHE.clear()
        browser = Browser.of(options_with(mock), "app")
        first = await full_sign_in(browser, mock)
        assert first.status == 302 and first.location == f"{ORIGIN}/after", first
        mock.stop()
        mock.start()  # same port, same discovery document, a fresh signing key
        second = await full_sign_in(Browser(browser.route, "app"), mock)
        assert second.status == 302 and second.location == f"{ORIGIN}/after", second
    finally:
        mock.stop()
