"""Configuration errors, origin detection, secure cookies, the cookies option, callbackUrl rules.

Spec §1.2, §2, §3 and §5.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

import pytest
from authkit import (
    BASE,
    ORIGIN,
    SECRET,
    Browser,
    Layout,
    credentials_provider,
    json_type,
    log_messages,
    make_options,
)

from nextauth import AuthOptions, CookieOption, CookiesOptions, NextAuth
from nextauth._lib.callback_url import default_redirect, is_valid_http_url
from nextauth._lib.types import CookieOptions
from nextauth.jwt import decode

CONFIG_MESSAGE = "There is a problem with the server configuration. Check the server logs for more information."


def no_secret_options(**overrides: Any) -> AuthOptions:
    return AuthOptions(providers=[credentials_provider()], **overrides)


# ------------------------------------------------------------------------------------------ NO_SECRET
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "csrf"),
        ("GET", "session"),
        ("GET", "providers"),
        ("POST", "signin/credentials"),
        ("POST", "signin"),
        ("POST", "_log"),
    ],
)
async def test_no_secret_api_actions_are_500_json(
    layout: Layout, logs: pytest.LogCaptureFixture, method: str, path: str
) -> None:
    result = await Browser.of(no_secret_options(), layout).request(method, path)
    assert result.status == 500
    assert result.content_type == json_type(layout)
    assert result.json() == {"message": CONFIG_MESSAGE}
    assert result.set_cookies == []
    errors = log_messages(logs, logging.ERROR)
    assert any("[next-auth][error][NO_SECRET]" in m and "nextauth secret" in m for m in errors), errors


async def test_no_secret_html_page_is_500_html(layout: Layout) -> None:
    result = await Browser.of(no_secret_options(), layout).get("signin")
    assert result.status == 500
    assert result.content_type is not None and result.content_type.startswith("text/html")
    assert "Server error" in result.text
    assert result.set_cookies == []


@pytest.mark.parametrize("path", ["signin", "signout", "error", "verify-request"])
async def test_no_secret_html_page_with_pages_error_redirects(layout: Layout, path: str) -> None:
    result = await Browser.of(no_secret_options(pages={"error": "/oops"}), layout).get(path)
    assert result.status == 302
    assert result.location == "/oops?error=Configuration"


async def test_no_secret_on_the_error_page_itself_renders_builtin(
    layout: Layout, logs: pytest.LogCaptureFixture
) -> None:
    result = await Browser.of(no_secret_options(pages={"error": "/oops"}), layout).get("signin?callbackUrl=/oops/x")
    assert result.status == 500
    assert "Server error" in result.text
    assert any("AUTH_ON_ERROR_PAGE_ERROR" in m for m in log_messages(logs, logging.ERROR))


@pytest.mark.parametrize("variable", ["NEXTAUTH_SECRET", "AUTH_SECRET"])
async def test_secret_from_environment(layout: Layout, monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.setenv(variable, SECRET)
    browser = Browser.of(no_secret_options(), layout)
    result = await browser.sign_in_with_credentials(username="alice", password="wonderland")
    assert result.status == 200
    assert await decode(token=browser.jar["next-auth.session-token"], secret=SECRET) is not None


async def test_option_secret_wins_over_environment(layout: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEXTAUTH_SECRET", "env-secret")
    browser = Browser.of(make_options(), layout)
    await browser.sign_in_with_credentials(username="alice", password="wonderland")
    assert await decode(token=browser.jar["next-auth.session-token"], secret=SECRET) is not None


async def test_deprecated_jwt_secret_is_a_fallback_only_in_pages_layout(layout: Layout) -> None:
    browser = Browser.of(no_secret_options(jwt={"secret": SECRET}), layout)
    result = await browser.get("csrf")
    if layout == "pages":
        assert result.status == 200
    else:
        assert result.status == 500  # next-auth's route handler does not consult jwt.secret


# ------------------------------------------------------------------------------------------ callbackUrl
@pytest.mark.parametrize("bad", ["javascript:alert(1)", "foo", "ftp://example.com/x", "data:text/html,hi", "%ZZ"])
async def test_invalid_query_callback_url_is_a_configuration_error(
    layout: Layout, logs: pytest.LogCaptureFixture, bad: str
) -> None:
    browser = Browser.of(make_options(), layout)
    result = await browser.get(f"csrf?callbackUrl={quote(bad, safe='%')}")
    assert result.status == 500
    assert result.json() == {"message": CONFIG_MESSAGE}
    assert result.set_cookies == []
    assert any("INVALID_CALLBACK_URL_ERROR" in m for m in log_messages(logs, logging.ERROR))
    page = await browser.get(f"signin?callbackUrl={quote(bad, safe='%')}")
    assert page.status == 500 and "Server error" in page.text


async def test_invalid_query_callback_url_with_pages_error(layout: Layout) -> None:
    result = await Browser.of(make_options(pages={"error": "/oops"}), layout).get("signin?callbackUrl=javascript:x")
    assert result.status == 302 and result.location == "/oops?error=Configuration"


async def test_poisoned_callback_url_cookie_is_ignored_and_overwritten(layout: Layout) -> None:
    """Deliberately unlike next-auth, which would lock the user out with 500s until the cookie expires."""
    browser = Browser.of(make_options(), layout)
    browser.jar["next-auth.callback-url"] = quote("javascript:alert(1)", safe="")
    result = await browser.get("csrf")
    assert result.status == 200
    cookie = result.cookie("next-auth.callback-url")
    assert cookie is not None and cookie.decoded == ORIGIN
    second = await browser.get("session?callbackUrl=/fine")
    assert second.status == 200


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/dashboard", f"{ORIGIN}/dashboard"),
        ("/", f"{ORIGIN}/"),
        ("/a?b=1#c", f"{ORIGIN}/a?b=1#c"),
        ("//evil.example/x", f"{ORIGIN}//evil.example/x"),  # next-auth: a path, prefixed with the origin
        (f"{ORIGIN}/p?q=1#h", f"{ORIGIN}/p?q=1#h"),
        (ORIGIN, ORIGIN),
        ("HTTP://LOCALHOST:3000/x", "HTTP://LOCALHOST:3000/x"),  # same origin after normalisation
        ("http://localhost:3000:80/", ORIGIN),
        ("http://evil.example/", ORIGIN),
        ("https://localhost:3000/x", ORIGIN),  # another scheme is another origin
        ("http://localhost:3001/x", ORIGIN),
        ("http://localhost/x", ORIGIN),
        ("http://localhost:3000.evil.example/", ORIGIN),
        ("http://localhost:3000@evil.example/", ORIGIN),  # userinfo trick
        ("http://user:pw@localhost:3000/", ORIGIN),  # credentials in the authority: never same-origin
        ("http://evil.example\\@localhost:3000/", ORIGIN),  # backslash trick
        ("http:\\\\evil.example", ORIGIN),
        ("http://localhost:3000\\@evil.example/", ORIGIN),
        ("http://localhost:3000/\tx", ORIGIN),
        (" http://localhost:3000/", ORIGIN),
        ("foo", ORIGIN),  # next-auth crashes with a 500 here; we give the fallback
        ("javascript:alert(1)", ORIGIN),
        ("", ORIGIN),
    ],
)
def test_default_redirect_rules(url: str, expected: str) -> None:
    assert default_redirect(url, ORIGIN) == expected


@pytest.mark.parametrize(
    ("url", "valid"),
    [
        ("/x", True),
        ("//evil.example", True),
        ("http://a.example", True),
        ("https://a.example/x?y#z", True),
        ("javascript:alert(1)", False),
        ("foo", False),
        ("mailto:a@b.c", False),
        ("", False),
    ],
)
def test_callback_url_validity(url: str, valid: bool) -> None:
    assert is_valid_http_url(url) is valid


@pytest.mark.parametrize(
    ("callback_url", "landing"),
    [
        ("/after", f"{ORIGIN}/after"),
        ("http://evil.example/", ORIGIN),
        ("//evil.example/x", f"{ORIGIN}//evil.example/x"),
        ("foo", ORIGIN),
        ("http://localhost:3000@evil.example/", ORIGIN),
    ],
)
async def test_body_callback_url_through_credentials(layout: Layout, callback_url: str, landing: str) -> None:
    browser = Browser.of(make_options(), layout)
    csrf = await browser.csrf()
    result = await browser.post(
        "callback/credentials",
        form={
            "username": "alice",
            "password": "wonderland",
            "csrfToken": csrf,
            "json": "true",
            "callbackUrl": callback_url,
        },
    )
    assert result.status == 200
    assert result.json() == {"url": landing}
    assert browser.jar["next-auth.callback-url"] == quote(landing, safe="")  # written only when it changed


async def test_body_wins_over_query_wins_over_cookie(layout: Layout) -> None:
    browser = Browser.of(make_options(), layout)
    csrf = await browser.csrf()
    browser.jar["next-auth.callback-url"] = quote(f"{ORIGIN}/from-cookie", safe="")
    both = await browser.post(
        "signout?callbackUrl=/from-query", form={"csrfToken": csrf, "callbackUrl": "/from-body", "json": "true"}
    )
    assert both.json() == {"url": f"{ORIGIN}/from-body"}
    query = await browser.post("signout?callbackUrl=/from-query", form={"csrfToken": csrf, "json": "true"})
    assert query.json() == {"url": f"{ORIGIN}/from-query"}
    cookie = await browser.post("signout", form={"csrfToken": csrf, "json": "true"})
    assert cookie.json() == {"url": f"{ORIGIN}/from-query"}  # the previous request stored it


async def test_custom_redirect_callback(layout: Layout) -> None:
    calls: list[tuple[str, str]] = []

    async def redirect(url: str, base_url: str) -> str:
        calls.append((url, base_url))
        return "https://allowed.example/landing"

    browser = Browser.of(make_options(callbacks={"redirect": redirect}), layout)
    result = await browser.sign_in_with_credentials(username="alice", password="wonderland")
    assert result.json() == {"url": "https://allowed.example/landing"}
    assert calls[0] == ("https://allowed.example/landing", ORIGIN) or calls[0][1] == ORIGIN


# ------------------------------------------------------------------------------------------ origin
async def test_default_origin_ignores_host_and_warns_once(layout: Layout, logs: pytest.LogCaptureFixture) -> None:
    browser = Browser.of(make_options(), layout)
    result = await browser.get("providers", headers={"host": "evil.example", "x-forwarded-host": "evil.example"})
    assert result.json()["credentials"]["signinUrl"] == "http://localhost:3000/api/auth/signin/credentials"
    await browser.get("providers")
    warnings = [m for m in log_messages(logs, logging.WARNING) if "[next-auth][warn][NEXTAUTH_URL]" in m]
    assert len(warnings) == 1
    assert "Set NEXTAUTH_URL" in warnings[0]


async def test_nextauth_url_with_a_path(layout: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEXTAUTH_URL", "https://app.example.com/custom/auth/")
    browser = Browser.of(make_options(), layout)
    providers = (await browser.get("providers")).json()
    assert providers["credentials"]["signinUrl"] == "https://app.example.com/custom/auth/signin/credentials"
    result = await browser.sign_in_with_credentials(username="alice", password="x")
    assert result.json() == {
        "url": "https://app.example.com/custom/auth/error?error=CredentialsSignin&provider=credentials"
    }


@pytest.mark.parametrize(
    ("nextauth_url", "signin_url"),
    [
        ("canon.io", "https://canon.io/api/auth/signin/credentials"),
        ("http://canon.io/", "http://canon.io/api/auth/signin/credentials"),
        ("http://canon.io:8080", "http://canon.io:8080/api/auth/signin/credentials"),
        ("https://canon.io:443/base", "https://canon.io/base/signin/credentials"),
        ("http://Canon.IO/Auth", "http://canon.io/Auth/signin/credentials"),
    ],
)
async def test_nextauth_url_parsing(
    layout: Layout, monkeypatch: pytest.MonkeyPatch, nextauth_url: str, signin_url: str
) -> None:
    monkeypatch.setenv("NEXTAUTH_URL", nextauth_url)
    result = await Browser.of(make_options(), layout).get("providers")
    assert result.json()["credentials"]["signinUrl"] == signin_url


@pytest.mark.parametrize(
    ("headers", "origin"),
    [
        ({"x-forwarded-host": "proxy.example", "x-forwarded-proto": "http"}, "http://proxy.example"),
        ({"x-forwarded-host": "proxy.example"}, "https://proxy.example"),
        ({"x-forwarded-host": "proxy.example", "x-forwarded-proto": "https"}, "https://proxy.example"),
        ({"host": "direct.example:8443"}, "https://direct.example:8443"),
    ],
)
@pytest.mark.parametrize("trust", ["env", "env-true", "option"])
async def test_trusted_forwarded_host(
    layout: Layout, monkeypatch: pytest.MonkeyPatch, headers: dict[str, str], origin: str, trust: str
) -> None:
    if trust == "option":
        options = make_options(trust_host=True)
    else:
        monkeypatch.setenv("AUTH_TRUST_HOST", "true" if trust == "env-true" else "1")
        options = make_options()
    result = await Browser.of(options, layout).get("providers", headers=headers)
    assert result.json()["credentials"]["signinUrl"] == f"{origin}/api/auth/signin/credentials"


async def test_nextauth_url_wins_over_trusted_host(layout: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH_TRUST_HOST", "true")
    monkeypatch.setenv("VERCEL", "1")
    monkeypatch.setenv("NEXTAUTH_URL", "http://public.example")
    result = await Browser.of(make_options(), layout).get(
        "providers", headers={"x-forwarded-host": "internal:8080", "x-forwarded-proto": "http"}
    )
    assert result.json()["credentials"]["signinUrl"] == "http://public.example/api/auth/signin/credentials"


@pytest.mark.parametrize("value", ["false", "0", "off", "no", "FALSE"])
async def test_auth_trust_host_false_means_false(layout: Layout, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    """next-auth trusts the forwarded host for any non-empty AUTH_TRUST_HOST, "false" included; we do not."""
    monkeypatch.setenv("AUTH_TRUST_HOST", value)
    result = await Browser.of(make_options(), layout).get("providers", headers={"x-forwarded-host": "proxy.example"})
    assert result.json()["credentials"]["signinUrl"] == f"{BASE}/signin/credentials"


async def test_trust_host_option_false_beats_environment(layout: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH_TRUST_HOST", "1")
    result = await Browser.of(make_options(trust_host=False), layout).get(
        "providers", headers={"x-forwarded-host": "proxy.example"}
    )
    assert result.json()["credentials"]["signinUrl"] == f"{BASE}/signin/credentials"


# ------------------------------------------------------------------------------------------ secure cookies
async def test_https_nextauth_url_gives_secure_prefixed_cookies(
    layout: Layout, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEXTAUTH_URL", "https://app.example.com")
    browser = Browser.of(make_options(), layout, origin="https://app.example.com")
    result = await browser.get("csrf")
    assert result.cookie_names == ["__Host-next-auth.csrf-token", "__Secure-next-auth.callback-url"]
    assert all(c.secure and c.path == "/" for c in result.set_cookies)
    signin = await browser.sign_in_with_credentials(username="alice", password="wonderland")
    cookie = signin.cookie("__Secure-next-auth.session-token")
    assert cookie is not None and cookie.secure and cookie.http_only
    session = await browser.get("session")
    assert session.json()["user"]["name"] == "Alice"


async def test_use_secure_cookies_false_on_https(layout: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEXTAUTH_URL", "https://app.example.com")
    result = await Browser.of(make_options(use_secure_cookies=False), layout).get("csrf")
    assert result.cookie_names == ["next-auth.csrf-token", "next-auth.callback-url"]
    assert not any(c.secure for c in result.set_cookies)


async def test_use_secure_cookies_true_on_http(layout: Layout) -> None:
    result = await Browser.of(make_options(use_secure_cookies=True), layout).get("csrf")
    assert result.cookie_names == ["__Host-next-auth.csrf-token", "__Secure-next-auth.callback-url"]
    assert all(c.secure for c in result.set_cookies)


async def test_custom_cookies_option(layout: Layout) -> None:
    cookies = CookiesOptions(
        csrf_token=CookieOption(
            name="my-csrf", options=CookieOptions(http_only=False, same_site="strict", path="/", domain="example.test")
        ),
        session_token=CookieOption(name="my-session", options=CookieOptions(same_site="strict", path="/app")),
    )
    browser = Browser.of(make_options(cookies=cookies), layout)
    result = await browser.get("csrf")
    csrf = result.cookie("my-csrf")
    assert csrf is not None
    assert csrf.line.startswith("my-csrf=")
    assert csrf.line.endswith("; Domain=example.test; Path=/; SameSite=Strict")  # no HttpOnly
    assert result.cookie("next-auth.callback-url") is not None  # the other defaults stay
    signin = await browser.sign_in_with_credentials(username="alice", password="wonderland")
    session = signin.cookie("my-session")
    assert session is not None and session.path == "/app" and session.same_site == "Strict"
    assert (await browser.get("session")).json()["user"]["name"] == "Alice"


async def test_cookies_option_as_dicts_in_nextauth_spelling(layout: Layout) -> None:
    options = make_options(
        cookies={
            "sessionToken": {
                "name": "sid",
                "options": {"httpOnly": True, "same_site": "lax", "path": "/", "secure": True},
            }
        }
    )
    browser = Browser.of(options, layout)
    result = await browser.sign_in_with_credentials(username="alice", password="wonderland")
    cookie = result.cookie("sid")
    assert cookie is not None and cookie.secure and cookie.http_only


def test_cookie_attribute_order_matches_the_cookie_package() -> None:
    """``Max-Age, Domain, Path, Expires, HttpOnly, Secure, SameSite`` — checked on real responses elsewhere."""
    from nextauth._lib.cookies import serialize
    from nextauth._lib.types import SetCookie

    line = serialize(SetCookie("a", "b", CookieOptions(max_age=1, domain="d", secure=True)))
    assert line == "a=b; Max-Age=1; Domain=d; Path=/; HttpOnly; Secure; SameSite=Lax"


async def test_session_cookie_attributes_on_the_wire(layout: Layout) -> None:
    browser = Browser.of(make_options(session={"max_age": 7200}), layout)
    result = await browser.sign_in_with_credentials(username="alice", password="wonderland")
    cookie = result.cookie("next-auth.session-token")
    assert cookie is not None
    assert cookie.order == ["Path", "Expires", "HttpOnly", "SameSite"]
    assert cookie.attrs["expires"].endswith(" GMT")  # RFC 1123, as toUTCString()
    import re

    assert re.fullmatch(r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT", str(cookie.attrs["expires"]))


# ------------------------------------------------------------------------------------------ options shape
def test_options_from_a_dict_with_nextauth_spelling() -> None:
    handler = NextAuth(
        {"secret": SECRET, "providers": [credentials_provider()], "session": {"maxAge": 60}, "useSecureCookies": False}
    )
    assert handler.options.session.max_age == 60
    assert handler.options.use_secure_cookies is False


def test_unknown_option_names_the_closest_key() -> None:
    from nextauth.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match=r"unknown option `session.max_agee`; did you mean `max_age`\?"):
        NextAuth({"secret": SECRET, "providers": [], "session": {"max_agee": 1}})


def test_providers_must_be_a_list() -> None:
    from nextauth.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="must be a list of providers"):
        AuthOptions(providers={"credentials": credentials_provider()})  # type: ignore[arg-type]


def test_duplicate_provider_ids_are_rejected() -> None:
    from nextauth.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="two providers have the id 'credentials'"):
        NextAuth(make_options(providers=[credentials_provider(), credentials_provider()]))
