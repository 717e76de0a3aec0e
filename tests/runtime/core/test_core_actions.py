"""Every REST action through the public handler, in both layouts (spec §1.3, §4, §5, §6)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from authkit import (
    BASE,
    ORIGIN,
    SECRET,
    Browser,
    Layout,
    Result,
    credentials_provider,
    json_type,
    make_options,
    query_of,
    text_type,
)

from nextauth import LoggerOptions
from nextauth._lib.csrf import csrf_hash
from nextauth.jwt import decode, encode

NO_CACHE = {"cache-control": "private, no-cache, no-store", "pragma": "no-cache", "expires": "0"}
SESSION = "next-auth.session-token"
CSRF = "next-auth.csrf-token"
CALLBACK = "next-auth.callback-url"


def assert_no_cache(result: Result, layout: Layout) -> None:
    assert result.content_type == json_type(layout)
    for name, value in NO_CACHE.items():
        assert result.header(name) == value, name


def near(when: datetime | None, seconds: float, slack: float = 5) -> bool:
    assert when is not None
    return abs((when - datetime.now(UTC)).total_seconds() - seconds) <= slack


async def signed_in(layout: Layout, **options: Any) -> Browser:
    browser = Browser.of(make_options(**options), layout)
    result = await browser.sign_in_with_credentials(username="alice", password="wonderland")
    assert result.status == 200, result
    assert SESSION in browser.jar
    return browser


# ------------------------------------------------------------------------------------------ providers
async def test_providers(layout: Layout) -> None:
    browser = Browser.of(make_options(), layout)
    result = await browser.get("providers")
    assert result.status == 200
    assert result.content_type == json_type(layout)
    assert result.json() == {
        "credentials": {
            "id": "credentials",
            "name": "Credentials",
            "type": "credentials",
            "signinUrl": f"{BASE}/signin/credentials",
            "callbackUrl": f"{BASE}/callback/credentials",
        }
    }
    assert result.set_cookies == []  # providers sets no cookies at all, not even the init ones


async def test_providers_keep_configuration_order(layout: Layout) -> None:
    options = make_options(providers=[credentials_provider(id="b", name="B"), credentials_provider(id="a", name="A")])
    result = await Browser.of(options, layout).get("providers")
    assert list(result.json()) == ["b", "a"]


# ------------------------------------------------------------------------------------------ csrf
async def test_csrf_fresh_then_reused(layout: Layout) -> None:
    browser = Browser.of(make_options(), layout)
    first = await browser.get("csrf")
    assert first.status == 200
    assert_no_cache(first, layout)
    token = first.json()["csrfToken"]
    assert len(token) == 64 and int(token, 16) >= 0
    cookie = first.cookie(CSRF)
    assert cookie is not None
    assert cookie.value == f"{token}%7C{csrf_hash(token, SECRET)}"
    assert cookie.http_only and cookie.same_site == "Lax" and cookie.path == "/"
    callback = first.cookie(CALLBACK)
    assert callback is not None and callback.value == quote(ORIGIN, safe="")
    assert first.cookie_names == [CSRF, CALLBACK]  # init cookies, csrf first

    second = await browser.get("csrf")
    assert second.json()["csrfToken"] == token
    assert second.set_cookies == []  # valid cookie: reused, nothing set


@pytest.mark.parametrize(
    "bad_cookie",
    [
        "0" * 64 + "%7C" + "f" * 64,  # well-formed, hash does not verify
        "garbage",
        "%7C",
        "a%7Cb%7Cc",
    ],
)
async def test_csrf_tampered_cookie_is_replaced(layout: Layout, bad_cookie: str) -> None:
    browser = Browser.of(make_options(), layout)
    result = await browser.get("csrf", cookies={CSRF: bad_cookie})
    token = result.json()["csrfToken"]
    assert token != "0" * 64
    cookie = result.cookie(CSRF)
    assert cookie is not None and cookie.decoded == f"{token}|{csrf_hash(token, SECRET)}"


async def test_csrf_made_with_another_secret_is_replaced(layout: Layout) -> None:
    token = "a" * 64
    foreign = quote(f"{token}|{csrf_hash(token, 'other-secret')}", safe="")
    result = await Browser.of(make_options(), layout).get("csrf", cookies={CSRF: foreign})
    assert result.json()["csrfToken"] != token
    assert result.cookie(CSRF) is not None


# ------------------------------------------------------------------------------------------ session GET
async def test_session_anonymous(layout: Layout) -> None:
    browser = Browser.of(make_options(), layout)
    result = await browser.get("session")
    assert result.status == 200
    assert result.json() == {}
    assert_no_cache(result, layout)
    assert result.cookie_names == [CSRF, CALLBACK]
    again = await browser.get("session")
    assert again.json() == {} and again.set_cookies == []


async def test_session_valid_and_rolling(layout: Layout) -> None:
    browser = await signed_in(layout, session={"max_age": 3600})
    first_token = await decode(token=browser.jar[SESSION], secret=SECRET)
    assert first_token is not None
    assert first_token["exp"] - first_token["iat"] == 30 * 24 * 3600  # sign-in uses jwt.max_age
    assert first_token["sub"] == "1"
    assert {"name": "Alice", "email": "alice@example.com"}.items() <= first_token.items()
    assert "picture" not in first_token

    result = await browser.get("session")
    assert result.status == 200
    assert_no_cache(result, layout)
    body = result.json()
    assert body["user"] == {"name": "Alice", "email": "alice@example.com"}  # no image key: no picture claim
    expires = datetime.fromisoformat(body["expires"].replace("Z", "+00:00"))
    assert body["expires"].endswith("Z") and len(body["expires"]) == len("2026-12-26T18:23:49.073Z")
    assert near(expires, 3600)
    cookie = result.cookie(SESSION)
    assert cookie is not None
    assert cookie.max_age is None and near(cookie.expires, 3600, slack=65)
    assert cookie.http_only and cookie.same_site == "Lax" and not cookie.secure
    rolled = await decode(token=cookie.value, secret=SECRET)
    assert rolled is not None
    assert rolled["exp"] - rolled["iat"] == 3600  # re-issued with session.max_age
    assert rolled["jti"] != first_token["jti"]
    assert rolled["sub"] == "1"


async def test_session_keeps_null_values(layout: Layout) -> None:
    browser = Browser.of(make_options(), layout)
    token = await encode(token={"name": None, "email": "x@y.z", "picture": None, "sub": "1"}, secret=SECRET)
    result = await browser.get("session", cookies={SESSION: token})
    assert result.json()["user"] == {"name": None, "email": "x@y.z", "image": None}


async def test_session_expired_token(layout: Layout) -> None:
    token = await encode(token={"sub": "1"}, secret=SECRET, max_age=-3600)
    result = await Browser.of(make_options(), layout).get("session", cookies={SESSION: token})
    assert result.status == 200
    assert result.json() == {}
    cookie = result.cookie(SESSION)
    assert cookie is not None and cookie.is_deletion


async def test_session_expired_within_tolerance_is_reissued(layout: Layout) -> None:
    token = await encode(token={"sub": "1", "name": "N"}, secret=SECRET, max_age=-5)
    result = await Browser.of(make_options(), layout).get("session", cookies={SESSION: token})
    assert result.json()["user"] == {"name": "N"}
    cookie = result.cookie(SESSION)
    assert cookie is not None and not cookie.is_deletion


@pytest.mark.parametrize("value", ["garbage", "a.b.c.d.e", "%E0%A4%A", "x" * 5000])
async def test_session_garbage_cookie(layout: Layout, value: str) -> None:
    result = await Browser.of(make_options(), layout).get("session", cookies={SESSION: value})
    assert result.status == 200
    assert result.json() == {}
    cookie = result.cookie(SESSION)
    assert cookie is not None and cookie.is_deletion


async def test_session_wrong_secret_deletes_every_chunk(layout: Layout) -> None:
    token = await encode(token={"sub": "1", "blob": "z" * 5000}, secret="another-secret")
    chunks = {f"{SESSION}.0": token[:3933], f"{SESSION}.1": token[3933:]}
    result = await Browser.of(make_options(), layout).get("session", cookies=chunks)
    assert result.json() == {}
    deleted = [c.name for c in result.set_cookies if c.is_deletion]
    assert deleted == [f"{SESSION}.0", f"{SESSION}.1"]


async def test_session_jwt_callback_returning_none_signs_out(layout: Layout) -> None:
    browser = await signed_in(layout)
    browser.route = Browser.of(make_options(callbacks={"jwt": lambda token, user=None: user and token}), layout).route
    browser._app = None
    result = await browser.get("session")
    assert result.json() == {}
    cookie = result.cookie(SESSION)
    assert cookie is not None and cookie.is_deletion


# ------------------------------------------------------------------------------------------ session POST
async def test_session_update_json(layout: Layout) -> None:
    seen: list[dict[str, Any]] = []

    def jwt_cb(token: dict[str, Any], trigger: str | None = None, session: Any = None) -> dict[str, Any]:
        seen.append({"trigger": trigger, "session": session})
        if trigger == "update" and isinstance(session, dict):
            return {**token, **session}
        return token

    def session_cb(session: dict[str, Any], token: dict[str, Any]) -> dict[str, Any]:
        return {**session, "fromToken": token.get("name")}

    browser = await signed_in(layout, callbacks={"jwt": jwt_cb, "session": session_cb})
    csrf = await browser.csrf()
    result = await browser.post("session", json={"csrfToken": csrf, "data": {"name": "Alicia"}})
    assert result.status == 200
    assert result.content_type == json_type(layout)
    assert result.header("cache-control") is None  # POST: only the content type
    body = result.json()
    assert body["user"]["name"] == "Alice"  # the default user comes from the *old* token (spec §19.7)
    assert body["fromToken"] == "Alicia"
    assert seen[-1] == {"trigger": "update", "session": {"name": "Alicia"}}
    claims = await decode(token=browser.jar[SESSION], secret=SECRET)
    assert claims is not None and claims["name"] == "Alicia"
    follow = await browser.get("session")
    assert follow.json()["user"]["name"] == "Alicia"


async def test_session_update_form_body(layout: Layout) -> None:
    seen: list[Any] = []

    def jwt_cb(token: dict[str, Any], trigger: str | None = None, session: Any = None) -> dict[str, Any]:
        seen.append((trigger, session))
        return token

    browser = await signed_in(layout, callbacks={"jwt": jwt_cb})
    csrf = await browser.csrf()
    result = await browser.post("session", form={"csrfToken": csrf, "data": "plain"})
    assert result.status == 200 and result.json()["user"]["name"] == "Alice"
    assert seen[-1] == ("update", "plain")


async def test_session_update_without_data(layout: Layout) -> None:
    seen: list[Any] = []

    def jwt_cb(token: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        seen.append(kwargs)
        return token

    browser = await signed_in(layout, callbacks={"jwt": jwt_cb})
    result = await browser.post("session", json={"csrfToken": await browser.csrf()})
    assert result.status == 200 and result.json()["user"]["email"] == "alice@example.com"
    assert seen[-1]["trigger"] == "update" and seen[-1]["session"] is None


@pytest.mark.parametrize("body", [{"data": {"name": "x"}}, {"csrfToken": "f" * 64, "data": {}}, {"csrfToken": 1}])
async def test_session_update_without_valid_csrf_is_400_json(layout: Layout, body: dict[str, Any]) -> None:
    browser = await signed_in(layout)
    await browser.csrf()
    result = await browser.post("session", json=body)
    assert result.status == 400
    assert result.json() == {}
    assert result.content_type == json_type(layout)  # not next-auth's app-router "[object Object]"
    assert SESSION not in result.cookie_names


async def test_session_update_signed_out_is_empty(layout: Layout) -> None:
    browser = Browser.of(make_options(), layout)
    result = await browser.post("session", json={"csrfToken": await browser.csrf(), "data": {"a": 1}})
    assert result.status == 200 and result.json() == {}


# ------------------------------------------------------------------------------------------ credentials
async def test_credentials_success_json(layout: Layout) -> None:
    browser = Browser.of(make_options(), layout)
    csrf = await browser.csrf()
    result = await browser.post(
        "callback/credentials",
        form={
            "username": "alice",
            "password": "wonderland",
            "csrfToken": csrf,
            "json": "true",
            "callbackUrl": "/after",
        },
    )
    assert result.status == 200
    assert result.content_type == json_type(layout)
    assert result.json() == {"url": f"{ORIGIN}/after"}
    cookie = result.cookie(SESSION)
    assert cookie is not None and near(cookie.expires, 30 * 24 * 3600, slack=65) and cookie.max_age is None
    claims = await decode(token=cookie.value, secret=SECRET)
    assert claims is not None
    assert {k: claims[k] for k in ("name", "email", "sub")} == {
        "name": "Alice",
        "email": "alice@example.com",
        "sub": "1",
    }
    assert result.cookie_names == [CALLBACK, SESSION]  # the csrf cookie already existed


async def test_credentials_success_redirect(layout: Layout) -> None:
    browser = Browser.of(make_options(), layout)
    csrf = await browser.csrf()
    result = await browser.post(
        "callback/credentials",
        form={"username": "alice", "password": "wonderland", "csrfToken": csrf, "callbackUrl": f"{ORIGIN}/p?q=1#h"},
    )
    assert result.status == 302
    assert result.location == f"{ORIGIN}/p?q=1#h"
    assert result.body == b""
    assert result.cookie(SESSION) is not None


async def test_credentials_wrong_password(layout: Layout) -> None:
    browser = Browser.of(make_options(), layout)
    csrf = await browser.csrf()
    failed = f"{BASE}/error?error=CredentialsSignin&provider=credentials"
    as_json = await browser.post(
        "callback/credentials", form={"username": "alice", "password": "x", "csrfToken": csrf, "json": "true"}
    )
    assert as_json.status == 401 and as_json.json() == {"url": failed}
    as_form = await browser.post("callback/credentials", form={"username": "alice", "password": "x", "csrfToken": csrf})
    assert as_form.status == 302 and as_form.location == failed
    assert SESSION not in as_json.cookie_names + as_form.cookie_names


async def test_credentials_json_boolean_true_is_not_json_mode(layout: Layout) -> None:
    browser = Browser.of(make_options(), layout)
    csrf = await browser.csrf()
    result = await browser.post(
        "callback/credentials", json={"username": "alice", "password": "x", "csrfToken": csrf, "json": True}
    )
    assert result.status == 302
    assert result.location == f"{BASE}/error?error=CredentialsSignin&provider=credentials"
    string = await browser.post(
        "callback/credentials", json={"username": "alice", "password": "x", "csrfToken": csrf, "json": "true"}
    )
    assert string.status == 401


async def test_credentials_authorize_raising(layout: Layout) -> None:
    def authorize(credentials: dict[str, Any]) -> None:
        raise ValueError("Custom failure: try again")

    browser = Browser.of(make_options(providers=[credentials_provider(authorize=authorize)]), layout)
    csrf = await browser.csrf()
    result = await browser.post("callback/credentials", form={"csrfToken": csrf, "json": "true"})
    assert result.status == 401
    assert result.json() == {"url": f"{BASE}/error?error=Custom%20failure%3A%20try%20again"}


async def test_credentials_authorize_gets_body_and_request(layout: Layout) -> None:
    seen: list[Any] = []

    async def authorize(credentials: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
        seen.append((credentials, request))
        return {"id": 5, "name": "Five"}

    browser = Browser.of(make_options(providers=[credentials_provider(authorize=authorize)]), layout)
    csrf = await browser.csrf()
    result = await browser.post(
        "callback/credentials?from=query",
        form={"username": "u", "csrfToken": csrf, "json": "true", "redirect": "false"},
    )
    assert result.status == 200
    credentials, request = seen[0]
    assert credentials == {"username": "u", "csrfToken": csrf, "json": "true", "redirect": "false"}
    assert request["method"] == "POST"
    assert request["query"] == {"from": "query"}
    assert request["body"] == credentials
    assert "content-type" in request["headers"]
    claims = await decode(token=browser.jar[SESSION], secret=SECRET)
    assert claims is not None and claims["sub"] == "5"  # sub is String(user.id)


@pytest.mark.parametrize(
    ("verdict", "status", "url"),
    [
        (False, 403, f"{BASE}/error?error=AccessDenied"),
        ("/blocked", 200, "/blocked"),
        ("https://elsewhere.example/x", 200, "https://elsewhere.example/x"),
    ],
)
async def test_credentials_sign_in_callback_verdicts(layout: Layout, verdict: Any, status: int, url: str) -> None:
    browser = Browser.of(make_options(callbacks={"sign_in": lambda user: verdict}), layout)
    result = await browser.sign_in_with_credentials(username="alice", password="wonderland")
    assert result.status == status
    assert result.json() == {"url": url}
    assert SESSION not in result.cookie_names


async def test_credentials_sign_in_callback_raising(layout: Layout) -> None:
    def deny(**_: Any) -> bool:
        raise RuntimeError("Nope / no")

    browser = Browser.of(make_options(callbacks={"sign_in": deny}), layout)
    result = await browser.sign_in_with_credentials(username="alice", password="wonderland")
    assert result.status == 200
    assert result.json() == {"url": f"{BASE}/error?error=Nope%20%2F%20no"}
    plain = await browser.post(
        "callback/credentials", form={"username": "alice", "password": "wonderland", "csrfToken": await browser.csrf()}
    )
    assert plain.status == 302 and plain.location == f"{BASE}/error?error=Nope%20%2F%20no"


@pytest.mark.parametrize("csrf", [None, "f" * 64, "cookie-value"])
async def test_credentials_without_valid_csrf(layout: Layout, csrf: str | None) -> None:
    browser = Browser.of(make_options(), layout)
    token = await browser.csrf()
    form = {"username": "alice", "password": "wonderland", "json": "true"}
    if csrf == "cookie-value":
        form["csrfToken"] = f"{token}|{csrf_hash(token, SECRET)}"
    elif csrf:
        form["csrfToken"] = csrf
    result = await browser.post("callback/credentials", form=form)
    assert result.status == 200  # next-auth's quirk: a CSRF failure in json mode is a 200 with a url
    assert result.json() == {"url": f"{BASE}/signin?csrf=true"}
    assert SESSION not in result.cookie_names
    redirect = await browser.post("callback/credentials", form={k: v for k, v in form.items() if k != "json"})
    assert redirect.status == 302 and redirect.location == f"{BASE}/signin?csrf=true"


async def test_csrf_token_in_query_or_header_does_not_count(layout: Layout) -> None:
    browser = Browser.of(make_options(), layout)
    token = await browser.csrf()
    result = await browser.post(
        f"callback/credentials?csrfToken={token}",
        form={"username": "alice", "password": "wonderland", "json": "true"},
        headers={"x-csrf-token": token, "csrf-token": token},
    )
    assert result.json() == {"url": f"{BASE}/signin?csrf=true"}


async def test_get_callback_credentials_is_500_text(layout: Layout) -> None:
    result = await Browser.of(make_options(), layout).get("callback/credentials")
    assert result.status == 500
    assert result.text == "Error: Callback for provider type credentials not supported"


# ------------------------------------------------------------------------------------------ signin
async def test_post_signin_credentials_redirects_to_signin(layout: Layout) -> None:
    browser = Browser.of(make_options(), layout)
    result = await browser.post("signin/credentials", form={"csrfToken": await browser.csrf()})
    assert result.status == 302 and result.location == f"{BASE}/signin"


@pytest.mark.parametrize("path", ["signin/unknown", "signin"])
async def test_post_signin_unknown_or_no_provider(layout: Layout, path: str) -> None:
    browser = Browser.of(make_options(), layout)
    result = await browser.post(path, form={"csrfToken": await browser.csrf(), "json": "true"})
    assert result.status == 200 and result.json() == {"url": f"{BASE}/signin?csrf=true"}


# ------------------------------------------------------------------------------------------ signout
async def test_signout_with_csrf(layout: Layout) -> None:
    browser = await signed_in(layout)
    csrf = await browser.csrf()
    result = await browser.post("signout", form={"csrfToken": csrf, "callbackUrl": "/bye"})
    assert result.status == 302
    assert result.location == f"{ORIGIN}/bye"
    cookie = result.cookie(SESSION)
    assert cookie is not None and cookie.is_deletion
    assert SESSION not in browser.jar
    again = await browser.post("signout", form={"csrfToken": csrf})
    assert again.status == 302 and again.location == f"{ORIGIN}/bye"  # the cookie's value now
    assert SESSION not in again.cookie_names


async def test_signout_json(layout: Layout) -> None:
    browser = await signed_in(layout)
    csrf = await browser.csrf()
    result = await browser.post("signout", form={"csrfToken": csrf, "callbackUrl": f"{ORIGIN}/x", "json": "true"})
    assert result.status == 200 and result.json() == {"url": f"{ORIGIN}/x"}
    assert result.cookie(SESSION) is not None
    assert (await browser.get("session")).json() == {}


async def test_signout_deletes_every_chunk(layout: Layout) -> None:
    token = await encode(token={"sub": "1", "blob": "b" * 5000}, secret=SECRET)
    browser = Browser.of(make_options(), layout)
    browser.jar.update({f"{SESSION}.0": token[:3933], f"{SESSION}.1": token[3933:]})
    result = await browser.post("signout", form={"csrfToken": await browser.csrf()})
    assert [c.name for c in result.set_cookies if c.is_deletion] == [f"{SESSION}.0", f"{SESSION}.1"]


@pytest.mark.parametrize("csrf", [None, "0" * 64])
async def test_signout_without_valid_csrf(layout: Layout, csrf: str | None) -> None:
    browser = await signed_in(layout)
    await browser.csrf()
    form = {"json": "true"} | ({"csrfToken": csrf} if csrf else {})
    result = await browser.post("signout", form=form)
    assert result.status == 200 and result.json() == {"url": f"{BASE}/signout?csrf=true"}
    assert SESSION not in result.cookie_names
    assert (await browser.get("session")).json()["user"]["name"] == "Alice"


async def test_signout_with_garbage_session_still_clears_it(layout: Layout, logs: pytest.LogCaptureFixture) -> None:
    browser = Browser.of(make_options(), layout)
    browser.jar[SESSION] = "garbage"
    result = await browser.post("signout", form={"csrfToken": await browser.csrf()})
    assert result.status == 302
    cookie = result.cookie(SESSION)
    assert cookie is not None and cookie.is_deletion


# ------------------------------------------------------------------------------------------ error, verify
@pytest.mark.parametrize(
    "code",
    [
        "Signin",
        "OAuthSignin",
        "OAuthCallback",
        "OAuthCreateAccount",
        "EmailCreateAccount",
        "Callback",
        "OAuthAccountNotLinked",
        "EmailSignin",
        "CredentialsSignin",
        "SessionRequired",
    ],
)
async def test_error_codes_of_the_signin_page_bounce_there(layout: Layout, code: str) -> None:
    browser = Browser.of(make_options(pages={"error": "/my-error"}), layout)
    result = await browser.get(f"error?error={code}&provider=credentials")
    assert result.status == 302
    assert result.location == f"{BASE}/signin?error={code}"  # provider dropped, pages.error ignored
    path_form = await browser.get(f"error/{code}")
    assert path_form.location == f"{BASE}/signin?error={code}"


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("error?error=AccessDenied", "/my-error?error=AccessDenied"),
        ("error/Verification", "/my-error?error=Verification"),
        ("error", "/my-error?error=undefined"),
        ("error?error=oauthsignin", "/my-error?error=oauthsignin"),  # the bounce is case-sensitive
    ],
)
async def test_error_with_pages_error(layout: Layout, path: str, location: str) -> None:
    result = await Browser.of(make_options(pages={"error": "/my-error"}), layout).get(path)
    assert result.status == 302 and result.location == location


async def test_error_pages_error_with_query_uses_ampersand(layout: Layout) -> None:
    result = await Browser.of(make_options(pages={"error": "/e?lang=fr"}), layout).get("error?error=AccessDenied")
    assert result.location == "/e?lang=fr&error=AccessDenied"


@pytest.mark.parametrize(
    ("error", "status", "title"),
    [
        ("configuration", 500, "Server error"),
        ("Configuration", 500, "Server error"),
        ("accessdenied", 403, "Access Denied"),
        ("Verification", 403, "Unable to sign in"),
        ("Whatever", 200, "Error"),
        (None, 200, "Error"),
    ],
)
async def test_builtin_error_page(layout: Layout, error: str | None, status: int, title: str) -> None:
    browser = Browser.of(make_options(), layout)
    result = await browser.get("error" + (f"?error={error}" if error else ""))
    assert result.status == status
    assert result.content_type is not None and result.content_type.startswith("text/html")
    assert title in result.text
    assert result.cookie_names == [CSRF, CALLBACK]  # init cookies on the error page too


async def test_verify_request_page(layout: Layout) -> None:
    result = await Browser.of(make_options(), layout).get("verify-request?provider=email&type=email")
    assert result.status == 200
    assert "Check your email" in result.text
    assert "A sign in link has been sent to your email address." in result.text
    assert f'href="{ORIGIN}"' in result.text


async def test_verify_request_custom_page(layout: Layout) -> None:
    result = await Browser.of(make_options(pages={"verify_request": "/check-mail"}), layout).get(
        "verify-request?provider=email&type=email"
    )
    assert result.status == 302 and result.location == "/check-mail"


# ------------------------------------------------------------------------------------------ pages overrides
@pytest.mark.parametrize(
    ("sign_in", "path", "location"),
    [
        ("/login", "signin", f"/login?callbackUrl={quote(ORIGIN, safe='')}"),
        ("/login?lang=en", "signin", f"/login?lang=en&callbackUrl={quote(ORIGIN, safe='')}"),
        (
            "/login",
            "signin?callbackUrl=/dash%3Fa%3D1",
            f"/login?callbackUrl={quote(ORIGIN + '/dash?a=1', safe='')}",
        ),
        ("/login", "signin/credentials", f"/login?callbackUrl={quote(ORIGIN, safe='')}&error=credentials"),
        ("/login", "signin?error=Some%20Thing", f"/login?callbackUrl={quote(ORIGIN, safe='')}&error=Some%20Thing"),
    ],
)
async def test_pages_sign_in(layout: Layout, sign_in: str, path: str, location: str) -> None:
    result = await Browser.of(make_options(pages={"sign_in": sign_in}), layout).get(path)
    assert result.status == 302
    assert result.location == location
    assert result.cookie(CSRF) is not None  # init cookies ride along


async def test_pages_sign_out(layout: Layout) -> None:
    result = await Browser.of(make_options(pages={"sign_out": "/bye?x=1"}), layout).get("signout?callbackUrl=/y")
    assert result.status == 302 and result.location == "/bye?x=1"


# ------------------------------------------------------------------------------------------ HTML pages
async def test_signin_page(layout: Layout) -> None:
    from authkit import form_actions, input_values

    browser = Browser.of(make_options(), layout)
    result = await browser.get("signin?callbackUrl=/ok")
    assert result.status == 200
    assert result.content_type is not None and result.content_type.startswith("text/html")
    html = result.text
    assert form_actions(html) == [f"{BASE}/callback/credentials"]
    csrf = browser.jar[CSRF].split("%7C")[0]
    assert input_values(html, "csrfToken") == [csrf]
    assert 'name="username"' in html and 'name="password"' in html
    assert "Sign in with Credentials" in html


@pytest.mark.parametrize(
    ("error", "message"),
    [
        ("CredentialsSignin", "Sign in failed. Check the details you provided are correct."),
        ("OAuthSignin", "Try signing in with a different account."),
        ("SessionRequired", "Please sign in to access this page."),
        ("Anything", "Unable to sign in."),
    ],
)
async def test_signin_page_error_messages(layout: Layout, error: str, message: str) -> None:
    result = await Browser.of(make_options(), layout).get(f"signin?error={error}")
    assert message in result.text


async def test_signout_page(layout: Layout) -> None:
    from authkit import form_actions, input_values

    browser = Browser.of(make_options(), layout)
    result = await browser.get("signout")
    assert result.status == 200
    assert form_actions(result.text) == [f"{BASE}/signout"]
    assert input_values(result.text, "csrfToken") == [browser.jar[CSRF].split("%7C")[0]]
    assert input_values(result.text, "callbackUrl") == []


@pytest.mark.parametrize("scheme", ["auto", "dark", "light"])
async def test_theme_body_class(layout: Layout, scheme: str) -> None:
    from authkit import body_class

    browser = Browser.of(make_options(theme={"color_scheme": scheme, "brand_color": "#ff0000"}), layout)
    for path in ("signin", "signout", "error", "verify-request"):
        result = await browser.get(path)
        assert body_class(result.text) == f"__next-auth-theme-{scheme}", path


# ------------------------------------------------------------------------------------------ _log
async def test_log_with_logger(layout: Layout) -> None:
    calls: list[tuple[str, Any, Any]] = []
    logger = LoggerOptions(
        error=lambda code, meta: calls.append(("error", code, meta)),
        warn=lambda code: calls.append(("warn", code, None)),
        debug=lambda code, meta: calls.append(("debug", code, meta)),
    )
    browser = Browser.of(make_options(logger=logger), layout)
    result = await browser.post(
        "_log", form={"level": "error", "code": "CLIENT_FETCH_ERROR", "message": "boom", "client": "true"}
    )
    assert result.status == 200
    assert result.body == b""
    assert result.content_type is None
    assert result.set_cookies == []
    assert ("error", "CLIENT_FETCH_ERROR", {"message": "boom", "client": "true"}) in calls


async def test_log_with_bad_level_logs_logger_error(layout: Layout) -> None:
    calls: list[tuple[str, Any]] = []
    logger = LoggerOptions(error=lambda code, meta: calls.append((code, meta)))
    browser = Browser.of(make_options(logger=logger), layout)
    result = await browser.post("_log", form={"level": "nope", "code": "X"})
    assert result.status == 200 and result.body == b""
    assert [c[0] for c in calls] == ["LOGGER_ERROR"]


async def test_log_without_logger_does_nothing(layout: Layout, logs: pytest.LogCaptureFixture) -> None:
    result = await Browser.of(make_options(), layout).post("_log", form={"level": "error", "code": "CLIENT_X"})
    assert result.status == 200 and result.body == b"" and result.set_cookies == []
    assert not any("CLIENT_X" in r.getMessage() for r in logs.records)


# ------------------------------------------------------------------------------------------ the uniform 400
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "foo"),
        ("GET", "callback/unknown"),
        ("POST", "callback/unknown"),
        ("POST", "providers"),
        ("POST", "csrf"),
        ("GET", "_log"),
        ("PUT", "session"),
        ("DELETE", "signout"),
        ("GET", "signin-something"),
    ],
)
async def test_unsupported_is_400_text(layout: Layout, method: str, path: str) -> None:
    result = await Browser.of(make_options(), layout).request(method, path)
    assert result.status == 400
    assert result.text == f"Error: This action with HTTP {method} is not supported by NextAuth.js"
    assert result.content_type == text_type(layout)
    assert result.set_cookies == []


async def test_head_is_400(layout: Layout) -> None:
    result = await Browser.of(make_options(), layout).request("HEAD", "session")
    assert result.status == 400
    assert result.set_cookies == []
    if layout == "app":
        assert result.body == b""  # the HTTP server drops a HEAD body; in pages-style the server does it


@pytest.mark.parametrize(
    "headers", [{"accept": "application/json"}, {"content-type": "application/json", "accept": "*/*"}]
)
async def test_unsupported_answers_json_to_json_clients(layout: Layout, headers: dict[str, str]) -> None:
    result = await Browser.of(make_options(), layout).get("nonexistent", headers=headers)
    assert result.status == 400
    assert result.content_type == json_type(layout)
    assert result.json() == {
        "message": "Error: This action with HTTP GET is not supported by NextAuth.js",
        "action": "nonexistent",
    }


# ------------------------------------------------------------------------------------------ time
async def test_session_expiry_is_computed_per_request(layout: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two reads a minute apart give expiries a minute apart (a rolling expiry, no caching of the answer)."""
    import nextauth._core.actions.session as session_action

    browser = await signed_in(layout)
    first = (await browser.get("session")).json()["expires"]
    later = datetime.now(UTC) + timedelta(seconds=60)
    monkeypatch.setattr(session_action, "utcnow", lambda: later)
    second = (await browser.get("session")).json()["expires"]
    delta = datetime.fromisoformat(second.replace("Z", "+00:00")) - datetime.fromisoformat(first.replace("Z", "+00:00"))
    assert 59 <= delta.total_seconds() <= 61


def test_query_helper() -> None:
    assert query_of("http://x/y?a=1&b=2&a=3") == {"a": "3", "b": "2"}


# ------------------------------------------------------------------------------------------ chunking
async def test_large_session_is_chunked_and_cleaned_when_it_shrinks(layout: Layout) -> None:
    size = {"blob": "b" * 8000}

    def jwt(token: dict[str, Any], user: Any = None, trigger: str | None = None, session: Any = None) -> dict[str, Any]:
        if user is not None:
            return {**token, **size}
        if trigger == "update":
            return {k: v for k, v in token.items() if k != "blob"}
        return token

    browser = Browser.of(make_options(callbacks={"jwt": jwt}), layout)
    signin = await browser.sign_in_with_credentials(username="alice", password="wonderland")
    chunks = [c for c in signin.set_cookies if c.name.startswith(SESSION)]
    assert [c.name for c in chunks] == [f"{SESSION}.0", f"{SESSION}.1", f"{SESSION}.2"]
    assert [len(c.value) for c in chunks[:2]] == [3933, 3933]
    assert all(c.max_age is None and c.expires is not None for c in chunks)
    assert SESSION not in browser.jar

    read = await browser.get("session")  # read back from the chunks, re-issued under the same names
    assert read.json()["user"]["name"] == "Alice"
    assert [c.name for c in read.set_cookies if c.name.startswith(SESSION)] == [f"{SESSION}.{i}" for i in range(3)]

    shrink = await browser.post("session", json={"csrfToken": await browser.csrf(), "data": {}})
    written = [(c.name, c.is_deletion) for c in shrink.set_cookies if c.name.startswith(SESSION)]
    assert written == [(f"{SESSION}.0", True), (f"{SESSION}.1", True), (f"{SESSION}.2", True), (SESSION, False)]
    assert sorted(k for k in browser.jar if k.startswith(SESSION)) == [SESSION]
    claims = await decode(token=browser.jar[SESSION], secret=SECRET)
    assert claims is not None and "blob" not in claims

    grow = await browser.get("session")
    assert [(c.name, c.is_deletion) for c in grow.set_cookies if c.name.startswith(SESSION)] == [(SESSION, False)]
