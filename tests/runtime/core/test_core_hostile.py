"""Hostile input: every case has a defined answer, and none reaches the safety net or shows a traceback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from authkit import BASE, ORIGIN, SECRET, Browser, Layout, Result, app_for, json_type, make_options

from nextauth import NextAuth
from nextauth.jwt import encode

SESSION = "next-auth.session-token"
CONFIG_MESSAGE = "There is a problem with the server configuration. Check the server logs for more information."


@pytest.fixture(autouse=True)
def no_unhandled_errors(logs: pytest.LogCaptureFixture) -> Iterator[None]:
    """Hostile input must be answered by design, never by the handler's last-resort 500."""
    yield
    for record in logs.records:
        message = record.getMessage()
        assert "UNHANDLED_ERROR" not in message, message
        assert record.exc_info is None, message


def clean(result: Result) -> Result:
    assert b"Traceback" not in result.body
    assert b'File "' not in result.body
    assert result.status != 500 or result.json() == {"message": CONFIG_MESSAGE} or b"<html" in result.body
    return result


# ------------------------------------------------------------------------------------------ cookies
@pytest.mark.parametrize(
    "value",
    [
        "",
        "garbage",
        "%E0%A4%A",  # malformed percent-encoding: kept raw, then not a JWE
        "%00%01",
        "a.b.c.d.e",
        "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAAA.AAAA.AAAA",
        '"quoted"',
        "x" * 20_000,
    ],
)
async def test_bad_session_cookie(layout: Layout, value: str) -> None:
    result = clean(await Browser.of(make_options(), layout).get("session", cookies={SESSION: value}))
    assert result.status == 200 and result.json() == {}


async def test_tampered_session_cookie(layout: Layout) -> None:
    token = await encode(token={"sub": "1", "role": "user"}, secret=SECRET)
    header, key, iv, ciphertext, tag = token.split(".")
    mid = len(ciphertext) // 2
    forged = ".".join(
        [header, key, iv, ciphertext[:mid] + ("A" if ciphertext[mid] != "A" else "B") + ciphertext[mid + 1 :], tag]
    )
    result = clean(await Browser.of(make_options(), layout).get("session", cookies={SESSION: forged}))
    assert result.json() == {}
    cookie = result.cookie(SESSION)
    assert cookie is not None and cookie.is_deletion


async def test_many_garbage_chunks_are_all_deleted(layout: Layout) -> None:
    chunks = {f"{SESSION}.{i}": "junk" for i in range(150)}
    result = clean(await Browser.of(make_options(), layout).get("session", cookies=chunks))
    assert result.json() == {}
    assert sorted(c.name for c in result.set_cookies if c.is_deletion) == sorted(chunks)


@pytest.mark.parametrize("value", ["%E0%A4%A", "a|b|c", "|", "x" * 5000, "%7C%7C"])
async def test_bad_csrf_cookie_gets_a_fresh_token(layout: Layout, value: str) -> None:
    browser = Browser.of(make_options(), layout)
    result = clean(await browser.get("csrf", cookies={"next-auth.csrf-token": value}))
    assert result.status == 200 and len(result.json()["csrfToken"]) == 64
    assert result.cookie("next-auth.csrf-token") is not None


@pytest.mark.parametrize("value", ["javascript%3Aalert(1)", "%E0%A4%A", "foo", "data%3Atext%2Fhtml%2Cx"])
async def test_bad_callback_url_cookie_is_ignored(layout: Layout, value: str) -> None:
    result = clean(await Browser.of(make_options(), layout).get("session", cookies={"next-auth.callback-url": value}))
    assert result.status == 200
    cookie = result.cookie("next-auth.callback-url")
    assert cookie is not None and cookie.decoded == ORIGIN


async def test_foreign_callback_url_cookie_is_neutralised(layout: Layout) -> None:
    browser = Browser.of(make_options(), layout)
    browser.jar["next-auth.callback-url"] = "http%3A%2F%2Fevil.example%2F"
    result = clean(await browser.sign_in_with_credentials(username="alice", password="wonderland"))
    assert result.json() == {"url": ORIGIN}


# ------------------------------------------------------------------------------------------ callbackUrl
@pytest.mark.parametrize(
    "value",
    ["http://evil.example/", "//evil.example", "javascript:alert(1)", "foo", "\\\\evil.example", "http://a\x00b/", ""],
)
async def test_foreign_or_malformed_body_callback_url(layout: Layout, value: str) -> None:
    browser = Browser.of(make_options(), layout)
    csrf = await browser.csrf()
    result = clean(await browser.post("signout", form={"csrfToken": csrf, "callbackUrl": value, "json": "true"}))
    assert result.status == 200
    url = result.json()["url"]
    assert url in (ORIGIN, f"{ORIGIN}{value}")  # only "/..." values are kept, prefixed with the origin
    assert url.startswith(ORIGIN + "/") or url == ORIGIN


@pytest.mark.parametrize("value", ["javascript:alert(1)", "%E0%A4%A", "foo", "mailto:x@y.z"])
async def test_malformed_query_callback_url_is_the_configuration_error(layout: Layout, value: str) -> None:
    result = clean(await Browser.of(make_options(), layout).get(f"session?callbackUrl={value}"))
    assert result.status == 500 and result.json() == {"message": CONFIG_MESSAGE}


async def test_foreign_query_callback_url_is_neutralised(layout: Layout) -> None:
    browser = Browser.of(make_options(), layout)
    result = clean(await browser.get("session?callbackUrl=http://evil.example/"))
    assert result.status == 200
    assert browser.jar["next-auth.callback-url"] == "http%3A%2F%2Flocalhost%3A3000"


# ------------------------------------------------------------------------------------------ bodies
async def test_oversized_body_is_413_in_the_app_layout() -> None:
    browser = Browser.of(make_options(), "app")
    result = clean(
        await browser.post(
            "callback/credentials",
            content=b"a=" + b"x" * (1024 * 1024 + 1),
            content_type="application/x-www-form-urlencoded",
        )
    )
    assert result.status == 413
    assert result.content_type == "application/json"
    assert result.json() == {"message": "Body exceeded 1mb limit"}


async def test_a_body_just_under_the_limit_is_handled(layout: Layout) -> None:
    browser = Browser.of(make_options(), layout)
    csrf = await browser.csrf()
    result = clean(
        await browser.post(
            "callback/credentials",
            form={
                "username": "alice",
                "password": "wonderland",
                "csrfToken": csrf,
                "json": "true",
                "pad": "p" * 900_000,
            },
        )
    )
    assert result.status == 200 and result.json() == {"url": ORIGIN}


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        ("{not json", "application/json"),
        ("[1, 2, 3]", "application/json"),
        ('"a string"', "application/json"),
        ("null", "application/json"),
        ("", "application/json"),
        ("\xff\xfe", "application/x-www-form-urlencoded"),
        ("<xml/>", "application/xml"),
        ("csrfToken", "text/plain"),
        ("a=%ZZ&csrfToken=%E0", "application/x-www-form-urlencoded"),
    ],
)
async def test_malformed_bodies(layout: Layout, content: str, content_type: str) -> None:
    browser = Browser.of(make_options(), layout)
    await browser.csrf()
    for path, expected in (
        ("callback/credentials", f"{BASE}/signin?csrf=true"),
        ("signin/credentials", f"{BASE}/signin?csrf=true"),
        ("signout", f"{BASE}/signout?csrf=true"),
    ):
        result = clean(await browser.post(path, content=content.encode("latin-1"), content_type=content_type))
        assert result.status == 302 and result.location == expected
    session = clean(await browser.post("session", content=content.encode("latin-1"), content_type=content_type))
    assert session.status == 400 and session.json() == {}


@pytest.mark.parametrize(
    "body",
    [
        {"csrfToken": 123},
        {"csrfToken": None},
        {"csrfToken": ["TOKEN"]},
        {"csrfToken": {"token": "TOKEN"}},
        {"csrfToken": True},
    ],
)
async def test_non_string_csrf_tokens_never_verify(layout: Layout, body: dict[str, Any]) -> None:
    browser = Browser.of(make_options(), layout)
    token = await browser.csrf()
    payload = json.loads(json.dumps(body).replace("TOKEN", token))
    result = clean(
        await browser.post("callback/credentials", json={**payload, "username": "alice", "password": "wonderland"})
    )
    assert result.status == 302 and result.location == f"{BASE}/signin?csrf=true"


@pytest.mark.parametrize(
    "extra",
    [
        {"callbackUrl": ["/a", "/b"]},
        {"callbackUrl": {"url": "/x"}},
        {"callbackUrl": 42},
        {"callbackUrl": None},
        {"json": ["true"]},
        {"username": ["alice"], "password": {"p": 1}},
        {"username": 12345, "password": 1.5},
        {"redirect": False, "data": [1, {"a": None}]},
    ],
)
async def test_non_string_values_in_a_json_body(layout: Layout, extra: dict[str, Any]) -> None:
    browser = Browser.of(make_options(), layout)
    csrf = await browser.csrf()
    result = clean(
        await browser.post(
            "callback/credentials", json={"username": "alice", "password": "wonderland", "csrfToken": csrf, **extra}
        )
    )
    assert result.status == 302
    assert result.location in (ORIGIN, f"{BASE}/error?error=CredentialsSignin&provider=credentials")


async def test_repeated_form_fields_take_the_last_value_in_both_layouts(layout: Layout) -> None:
    browser = Browser.of(make_options(), layout)
    csrf = await browser.csrf()
    result = clean(
        await browser.post(
            "callback/credentials",
            content=f"username=bob&username=alice&password=wonderland&csrfToken=bad&csrfToken={csrf}&json=true",
            content_type="application/x-www-form-urlencoded",
        )
    )
    assert result.status == 200 and result.json() == {"url": ORIGIN}


async def test_session_update_with_hostile_data(layout: Layout) -> None:
    browser = Browser.of(make_options(), layout)
    await browser.sign_in_with_credentials(username="alice", password="wonderland")
    csrf = await browser.csrf()
    deep: Any = "x"
    for _ in range(200):
        deep = {"d": deep}
    result = clean(await browser.post("session", json={"csrfToken": csrf, "data": deep}))
    assert result.status == 200 and result.json()["user"]["name"] == "Alice"


# ------------------------------------------------------------------------------------------ actions, providers
@pytest.mark.parametrize(
    ("method", "segments", "status"),
    [
        ("GET", ["nonexistent"], 400),
        ("GET", ["callback", "nope"], 400),
        ("POST", ["callback", "../../etc/passwd"], 400),
        ("GET", ["callback", "credentials/../x"], 400),
        ("GET", ["SESSION"], 400),
        ("GET", ["session", "extra", "segments"], 200),
        ("GET", ["%2e%2e"], 400),
        ("GET", ["\u202e"], 400),
        ("PATCH", ["session"], 400),
    ],
)
async def test_unknown_actions_and_providers_in_pages_layout(method: str, segments: list[str], status: int) -> None:
    """Pages layout: segments reach the handler verbatim (path characters included)."""
    from nextauth import ApiRequest, ApiResponse

    res = ApiResponse()
    await NextAuth(make_options())(ApiRequest(method=method, query={"nextauth": segments}), res)
    result = clean(Result(res.status_code, res.header_items, res.body))
    assert result.status == status
    if status == 400:
        assert result.text == f"Error: This action with HTTP {method} is not supported by NextAuth.js"


@pytest.mark.parametrize(
    ("method", "raw_path", "status"),
    [
        ("GET", "/api/auth/nonexistent", 400),
        ("GET", "/api/auth/callback/..%2F..%2Fetc", 400),
        ("GET", "/api/auth/callback/a%2Fb", 400),
        ("POST", "/api/auth/callback/%00", 400),
        ("GET", "/api/auth/%E0%A4%A", 400),
        ("GET", "/api/auth/session/%ZZ", 200),
        ("GET", "/api/auth/providers?%ZZ=%E0", 200),
        ("GET", "/api/auth/csrf?callbackUrl=%2F%2F%2Fevil", 200),
    ],
)
async def test_raw_paths_in_app_layout(method: str, raw_path: str, status: int) -> None:
    app = app_for(NextAuth(make_options()))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=ORIGIN) as client:
        request = client.build_request(method, ORIGIN)
        request.url = request.url.copy_with(raw_path=raw_path.encode())
        response = await client.send(request)
    result = clean(Result(response.status_code, list(response.headers.multi_items()), response.content))
    assert result.status == status


async def test_post_signin_unknown_provider_with_path_characters(layout: Layout) -> None:
    browser = Browser.of(make_options(), layout)
    csrf = await browser.csrf()
    result = clean(await browser.post("signin/..%2F..%2Fadmin", form={"csrfToken": csrf}))
    assert result.status == 302 and result.location == f"{BASE}/signin?csrf=true"


# ------------------------------------------------------------------------------------------ headers
async def test_very_long_headers(layout: Layout) -> None:
    browser = Browser.of(make_options(), layout)
    browser.jar.update({f"junk{i}": "v" * 100 for i in range(300)})
    headers = {"user-agent": "u" * 65_536, "x-forwarded-host": "h" * 8192, "accept": "*/*;" * 2000}
    result = clean(await browser.get("session", headers=headers))
    assert result.status == 200 and result.json() == {}
    assert result.content_type == json_type(layout)


async def test_hostile_host_headers_do_not_move_urls(layout: Layout) -> None:
    browser = Browser.of(make_options(), layout)
    result = clean(
        await browser.get(
            "providers",
            headers={"host": "evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "gopher"},
        )
    )
    assert result.json()["credentials"]["callbackUrl"] == f"{BASE}/callback/credentials"


async def test_hostile_forwarded_host_with_trust_host(layout: Layout) -> None:
    """Trusted forwarded headers that are not a host give a defined answer, not a crash."""
    browser = Browser.of(make_options(trust_host=True), layout)
    result = clean(
        await browser.get("providers", headers={"x-forwarded-host": "a b/c?d#e@f", "x-forwarded-proto": "http"})
    )
    assert result.status == 400  # not a host name: refused (issue 11, hole 6), never a 500


async def test_bearer_header_is_not_a_session_for_the_rest_api(layout: Layout) -> None:
    """``Authorization: Bearer`` is for get_token in your own routes; /session reads only the cookie."""
    token = await encode(token={"sub": "1", "name": "X"}, secret=SECRET)
    result = clean(
        await Browser.of(make_options(), layout).get("session", headers={"authorization": f"Bearer {token}"})
    )
    assert result.json() == {}


@pytest.mark.parametrize("field", ["csrfToken", "callbackUrl", "username", "json", "data"])
async def test_lone_surrogates_in_a_json_body(layout: Layout, field: str) -> None:
    """JSON can carry unpaired surrogates ("\\ud800") that no UTF-8 encoder accepts."""
    browser = Browser.of(make_options(), layout)
    csrf = await browser.csrf()
    body = {"username": "alice", "password": "wonderland", "csrfToken": csrf, "json": "true", field: "/\ud800x"}
    raw = json.dumps(body)  # ensure_ascii keeps the escape
    for path in ("callback/credentials", "session", "signout"):
        result = clean(await browser.post(path, content=raw, content_type="application/json"))
        assert result.status in (200, 302, 400, 401)


@pytest.mark.parametrize("path", ["/日本?q=ü", "/café", "/a b", "/\u2028"])
async def test_non_ascii_callback_url_in_a_redirect(layout: Layout, path: str) -> None:
    """Location must be ASCII on the wire (HTTP/1.1 headers are latin-1 at best): non-ASCII is percent-encoded."""
    browser = Browser.of(make_options(), layout)
    csrf = await browser.csrf()
    result = clean(await browser.post("signout", form={"csrfToken": csrf, "callbackUrl": path}))
    assert result.status == 302
    assert result.location is not None and result.location.isascii()
    assert result.location.startswith(ORIGIN + "/")
    from urllib.parse import unquote

    assert unquote(result.location) == ORIGIN + path


@pytest.mark.parametrize("path", ["/x\r\nSet-Cookie: evil=1", "/x\nLocation: http://evil.example/", "/a\tb\x00c\x7f"])
async def test_control_characters_in_callback_url_cannot_split_headers(layout: Layout, path: str) -> None:
    browser = Browser.of(make_options(), layout)
    csrf = await browser.csrf()
    result = clean(await browser.post("signout", form={"csrfToken": csrf, "callbackUrl": path}))
    assert result.status == 302
    assert result.location is not None
    assert all("!" <= c <= "~" for c in result.location), result.location
    assert "evil" not in "".join(c.name for c in result.set_cookies)
    assert len(result.header_values("location")) == 1
