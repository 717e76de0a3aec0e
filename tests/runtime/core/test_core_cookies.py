"""Cookie mechanics (spec §3): names, serialisation like the ``cookie`` npm package, chunking, reading."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from nextauth._lib.cookies import (
    CHUNK_SIZE,
    CookieDef,
    SessionStore,
    decode_uri_component,
    default_cookies,
    deletion,
    encode_uri_component,
    parse_cookie_header,
    serialize,
)
from nextauth._lib.types import CookieOptions, SetCookie


def test_default_names_plain() -> None:
    c = default_cookies(False)
    assert [c.session_token.name, c.callback_url.name, c.csrf_token.name] == [
        "next-auth.session-token",
        "next-auth.callback-url",
        "next-auth.csrf-token",
    ]
    assert [c.pkce_code_verifier.name, c.state.name, c.nonce.name] == [
        "next-auth.pkce.code_verifier",
        "next-auth.state",
        "next-auth.nonce",
    ]
    assert all(not d.options.secure for d in (c.session_token, c.csrf_token, c.state))


def test_default_names_secure() -> None:
    c = default_cookies(True)
    assert c.session_token.name == "__Secure-next-auth.session-token"
    assert c.callback_url.name == "__Secure-next-auth.callback-url"
    assert c.csrf_token.name == "__Host-next-auth.csrf-token"
    assert c.pkce_code_verifier.name == "__Secure-next-auth.pkce.code_verifier"
    assert c.state.name == "__Secure-next-auth.state"
    assert c.nonce.name == "__Secure-next-auth.nonce"
    assert all(d.options.secure for d in (c.session_token, c.callback_url, c.csrf_token, c.state, c.nonce))


def test_check_cookie_max_ages() -> None:
    c = default_cookies(False)
    assert c.state.options.max_age == 900
    assert c.pkce_code_verifier.options.max_age == 900
    assert c.nonce.options.max_age is None  # next-auth: the nonce has only an Expires
    assert c.session_token.options.max_age is None


def test_serialize_attribute_order_and_format() -> None:
    expires = datetime(2026, 11, 26, 18, 38, 49, 123456, tzinfo=UTC)
    options = CookieOptions(max_age=900, domain="example.com", expires=expires, secure=True, same_site="strict")
    line = serialize(SetCookie("next-auth.state", "a|b c", options))
    assert line == (
        "next-auth.state=a%7Cb%20c; Max-Age=900; Domain=example.com; Path=/; "
        "Expires=Thu, 26 Nov 2026 18:38:49 GMT; HttpOnly; Secure; SameSite=Strict"
    )


def test_serialize_minimal() -> None:
    line = serialize(SetCookie("n", "v", CookieOptions(http_only=False, same_site=None, path="")))
    assert line == "n=v"


def test_deletion_has_max_age_zero_and_no_expires() -> None:
    defn = CookieDef("next-auth.session-token", CookieOptions(expires=datetime.now(UTC), secure=True))
    line = serialize(deletion(defn, "next-auth.session-token.1"))
    assert line == "next-auth.session-token.1=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax"


@pytest.mark.parametrize(
    ("raw", "encoded"),
    [
        ("http://localhost:3000", "http%3A%2F%2Flocalhost%3A3000"),
        ("tok|hash", "tok%7Chash"),
        ("-_.!~*'()", "-_.!~*'()"),
        ("a b+c=d&e;f,g", "a%20b%2Bc%3Dd%26e%3Bf%2Cg"),
        ("Zoë ✓", "Zo%C3%AB%20%E2%9C%93"),
    ],
)
def test_encode_uri_component_matches_javascript(raw: str, encoded: str) -> None:
    assert encode_uri_component(raw) == encoded
    assert decode_uri_component(encoded) == raw


@pytest.mark.parametrize("bad", ["%", "%E0%A4%A", "%zz", "abc%4", "%C3%28"])
def test_decode_uri_component_rejects_malformed_input(bad: str) -> None:
    with pytest.raises(ValueError):
        decode_uri_component(bad)


def test_parse_cookie_header_like_the_cookie_package() -> None:
    header = 'a=1; b="quoted"; a=2; c=http%3A%2F%2Fx; bad=%E0%A4%A; noequals; =x; d='
    assert parse_cookie_header(header) == {
        "a": "1",
        "b": "quoted",
        "c": "http://x",
        "bad": "%E0%A4%A",
        "d": "",
    }
    assert parse_cookie_header(None) == {}
    assert parse_cookie_header("") == {}


def _store(cookies: dict[str, str]) -> SessionStore:
    return SessionStore(CookieDef("next-auth.session-token", CookieOptions()), cookies)


def test_chunk_size_is_3933() -> None:
    assert CHUNK_SIZE == 3933


def test_small_value_is_one_plain_cookie() -> None:
    expires = datetime.now(UTC) + timedelta(days=30)
    out = _store({}).chunk("x" * CHUNK_SIZE, expires)
    assert [(c.name, len(c.value)) for c in out] == [("next-auth.session-token", CHUNK_SIZE)]
    assert out[0].options.expires == expires
    assert out[0].options.max_age is None


def test_large_value_is_split_3933_3933_rest() -> None:
    out = _store({}).chunk("y" * 6000 + "z" * 3000, datetime.now(UTC))
    assert [(c.name, len(c.value)) for c in out] == [
        ("next-auth.session-token.0", 3933),
        ("next-auth.session-token.1", 3933),
        ("next-auth.session-token.2", 1134),
    ]
    assert "".join(c.value for c in out) == "y" * 6000 + "z" * 3000


def test_shrinking_token_deletes_stale_chunks_first() -> None:
    store = _store({"next-auth.session-token.0": "a", "next-auth.session-token.1": "b", "other": "keep"})
    out = store.chunk("small", datetime.now(UTC))
    assert [(c.name, c.value, c.options.max_age) for c in out] == [
        ("next-auth.session-token.0", "", 0),
        ("next-auth.session-token.1", "", 0),
        ("next-auth.session-token", "small", None),
    ]


def test_growing_token_replaces_the_plain_cookie() -> None:
    store = _store({"next-auth.session-token": "old"})
    out = store.chunk("q" * 5000, datetime.now(UTC))
    assert [(c.name, c.options.max_age) for c in out] == [
        ("next-auth.session-token", 0),
        ("next-auth.session-token.0", None),
        ("next-auth.session-token.1", None),
    ]


def test_rewriting_the_same_names_keeps_one_entry_each() -> None:
    store = _store({"next-auth.session-token.0": "a", "next-auth.session-token.1": "b"})
    out = store.chunk("r" * 5000, datetime.now(UTC))
    assert [c.name for c in out] == ["next-auth.session-token.0", "next-auth.session-token.1"]
    assert all(c.value for c in out)


def test_reading_sorts_chunks_numerically() -> None:
    cookies = {f"next-auth.session-token.{i}": str(i) for i in (10, 2, 0, 1, 11, 3, 4, 5, 6, 7, 8, 9)}
    assert _store(cookies).value == "".join(str(i) for i in range(12))


def test_reading_ignores_other_cookies_and_clean_deletes_every_chunk() -> None:
    store = _store({"next-auth.session-token.0": "a", "next-auth.session-token.1": "b", "next-auth.csrf-token": "c"})
    assert store.value == "ab"
    assert [c.name for c in store.clean()] == ["next-auth.session-token.0", "next-auth.session-token.1"]
    assert _store({}).value == ""
    assert _store({}).clean() == []
