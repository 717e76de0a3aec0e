"""Session tokens: next-auth's JWE (dir + A256GCM, HKDF key) — spec §8 and the §18 test vectors."""

from __future__ import annotations

import base64
import json
import os
import time
import uuid
from typing import Any

import pytest
from authkit import SECRET
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from starlette.requests import Request

from nextauth import ApiRequest, get_token
from nextauth._core.oauth.checks import s256
from nextauth._lib.csrf import csrf_hash
from nextauth._lib.jose import HEADER_B64, b64url_encode, derive_key
from nextauth.errors import JWEDecryptionFailedError, JWEInvalidError, JWTError, JWTExpiredError
from nextauth.jwt import decode, encode

VECTOR_SECRET = "test-secret-123"


# ------------------------------------------------------------------------------ §18 test vectors
@pytest.mark.parametrize(
    ("salt", "key_hex"),
    [
        ("", "3c87c423559305999f9e4541051b770700ce81bce7b01f653d18d8dd67b67bc0"),
        ("next-auth.state", "dd237827deadf4de7cf5ceb3cdf99f08a134bef8f3070d69ebf3eb8ff7ab6080"),
        (
            "__Secure-next-auth.pkce.code_verifier",
            "e6f53980773fade869c2e2cea83a65a2b9d50ddb8ccca2738c92422f7a286f82",
        ),
    ],
)
def test_hkdf_key_matches_next_auth(salt: str, key_hex: str) -> None:
    assert derive_key(VECTOR_SECRET, salt).hex() == key_hex
    assert derive_key(VECTOR_SECRET.encode(), salt).hex() == key_hex  # bytes secrets are the same key


def test_csrf_hash_vector() -> None:
    assert csrf_hash("abc", VECTOR_SECRET) == "c5b9187beadf50e19df7fa3e83d75cc297150f8332c284e77c3a5d5d2b053ca1"


def test_pkce_s256_vector() -> None:
    assert s256("--Se2hOnlwuHmzokHZTWVvch8Q0YGNXRSDU-2hbBEeg") == "hJx2Lf6MBI3eqA8wuvatKbQtdbd02pJXuHeGz8178qs"


async def test_protected_header_is_byte_exact() -> None:
    token = await encode(token={"sub": "1"}, secret=VECTOR_SECRET)
    header, encrypted_key, iv, _ciphertext, tag = token.split(".")
    assert header == HEADER_B64 == "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0"
    assert json.loads(base64.urlsafe_b64decode(header + "==")) == {"alg": "dir", "enc": "A256GCM"}
    assert encrypted_key == ""
    assert len(base64.urlsafe_b64decode(iv + "=" * (-len(iv) % 4))) == 12
    assert len(base64.urlsafe_b64decode(tag + "=" * (-len(tag) % 4))) == 16
    assert "=" not in token


async def test_token_decrypts_by_hand_with_the_hkdf_key() -> None:
    """What a third party (or next-auth) does: AES-GCM, key = HKDF, AAD = the header's ASCII."""
    token = await encode(token={"sub": "1", "name": "Zoë"}, secret=VECTOR_SECRET)
    header, _, iv, ciphertext, tag = token.split(".")

    def unb64(s: str) -> bytes:
        return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))

    plain = AESGCM(derive_key(VECTOR_SECRET)).decrypt(unb64(iv), unb64(ciphertext) + unb64(tag), header.encode())
    claims = json.loads(plain)
    assert claims["sub"] == "1"
    assert claims["name"] == "Zoë"


# ------------------------------------------------------------------------------ encode / decode
async def test_round_trip_adds_iat_exp_jti() -> None:
    before = int(time.time())
    token = await encode(token={"sub": "42", "name": "Bob", "nested": {"a": [1, 2]}}, secret=SECRET, max_age=3600)
    claims = await decode(token=token, secret=SECRET)
    after = int(time.time())
    assert claims is not None
    assert claims["sub"] == "42"
    assert claims["nested"] == {"a": [1, 2]}
    assert before <= claims["iat"] <= after
    assert claims["exp"] == claims["iat"] + 3600
    assert uuid.UUID(claims["jti"]).version == 4
    assert set(claims) == {"sub", "name", "nested", "iat", "exp", "jti"}  # no nbf/iss/aud


async def test_encode_overwrites_old_iat_exp_jti() -> None:
    token = await encode(token={"sub": "1", "iat": 1, "exp": 2, "jti": "old"}, secret=SECRET)
    claims = await decode(token=token, secret=SECRET)
    assert claims is not None
    assert claims["iat"] > 1_600_000_000
    assert claims["exp"] == claims["iat"] + 30 * 24 * 60 * 60  # the default max_age
    assert claims["jti"] != "old"


async def test_two_encodings_differ() -> None:
    """A fresh IV and jti every time: equal claims never give equal tokens."""
    a = await encode(token={"sub": "1"}, secret=SECRET)
    b = await encode(token={"sub": "1"}, secret=SECRET)
    assert a != b


async def test_expired_ten_seconds_ago_still_decodes() -> None:
    token = await encode(token={"sub": "1"}, secret=SECRET, max_age=-10)
    claims = await decode(token=token, secret=SECRET)
    assert claims is not None and claims["sub"] == "1"


async def test_expired_twenty_seconds_ago_is_rejected() -> None:
    token = await encode(token={"sub": "1"}, secret=SECRET, max_age=-20)
    with pytest.raises(JWTExpiredError):
        await decode(token=token, secret=SECRET)


async def test_wrong_secret_fails_to_decrypt() -> None:
    token = await encode(token={"sub": "1"}, secret=SECRET)
    with pytest.raises(JWEDecryptionFailedError):
        await decode(token=token, secret="another-secret")


async def test_salt_separates_keys() -> None:
    token = await encode(token={"value": "x"}, secret=SECRET, salt="next-auth.state")
    assert await decode(token=token, secret=SECRET, salt="next-auth.state") is not None
    with pytest.raises(JWEDecryptionFailedError):
        await decode(token=token, secret=SECRET)
    with pytest.raises(JWEDecryptionFailedError):
        await decode(token=token, secret=SECRET, salt="__Secure-next-auth.state")


def _flip(segment: str) -> str:
    """Change one base64url character in the middle of a segment (never the padding bits at the end)."""
    i = len(segment) // 2
    return segment[:i] + ("A" if segment[i] != "A" else "B") + segment[i + 1 :]


@pytest.mark.parametrize(("index", "error"), [(0, JWEInvalidError), (2, JWTError), (3, JWTError), (4, JWTError)])
async def test_tampered_segment_is_rejected(index: int, error: type[Exception]) -> None:
    parts = (await encode(token={"sub": "1", "role": "user"}, secret=SECRET)).split(".")
    parts[index] = _flip(parts[index])
    with pytest.raises(error):
        await decode(token=".".join(parts), secret=SECRET)


async def test_tampered_ciphertext_and_tag_are_decryption_failures() -> None:
    parts = (await encode(token={"sub": "1"}, secret=SECRET)).split(".")
    for index in (2, 3, 4):
        bad = list(parts)
        bad[index] = _flip(bad[index])
        with pytest.raises(JWEDecryptionFailedError):
            await decode(token=".".join(bad), secret=SECRET)


async def test_encrypted_key_segment_must_be_empty() -> None:
    parts = (await encode(token={"sub": "1"}, secret=SECRET)).split(".")
    parts[1] = "AAAA"
    with pytest.raises(JWEInvalidError):
        await decode(token=".".join(parts), secret=SECRET)


@pytest.mark.parametrize(
    "garbage",
    [
        "garbage",
        "a.b.c.d.e",
        "a.b.c",
        "....",
        "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..!!!.???.***",
        "ünïcödé.token.with.five.parts",
        "eyJhbGciOiJub25lIn0..AAAA.AAAA.AAAA",  # alg none
        b64url_encode(b'{"alg":"dir","enc":"A128GCM"}') + "..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA",
        b64url_encode(b"[1,2]") + "..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA",
        "x" * 10_000,
    ],
)
async def test_garbage_is_jwe_invalid(garbage: str) -> None:
    with pytest.raises(JWEInvalidError):
        await decode(token=garbage, secret=SECRET)


async def test_empty_token_decodes_to_none() -> None:
    assert await decode(token="", secret=SECRET) is None
    assert await decode(token=None, secret=SECRET) is None


def _seal(plaintext: bytes, secret: str = SECRET) -> str:
    iv = os.urandom(12)
    sealed = AESGCM(derive_key(secret)).encrypt(iv, plaintext, HEADER_B64.encode())
    return f"{HEADER_B64}..{b64url_encode(iv)}.{b64url_encode(sealed[:-16])}.{b64url_encode(sealed[-16:])}"


@pytest.mark.parametrize("plaintext", [b"[1,2,3]", b'"a string"', b"42", b"null", b"not json", b"\xff\xfe"])
async def test_claims_must_be_a_json_object(plaintext: bytes) -> None:
    with pytest.raises(JWEInvalidError):
        await decode(token=_seal(plaintext), secret=SECRET)


@pytest.mark.parametrize(
    "claims",
    [{"sub": "1", "exp": "tomorrow"}, {"sub": "1", "iat": None}, {"sub": "1", "nbf": [1]}, {"sub": "1", "exp": True}],
)
async def test_time_claims_must_be_numbers(claims: dict[str, Any]) -> None:
    with pytest.raises(JWEInvalidError):
        await decode(token=_seal(json.dumps(claims).encode()), secret=SECRET)


async def test_a_token_without_exp_decodes() -> None:
    """jose checks ``exp`` only when present; next-auth's own tokens always have one."""
    claims = await decode(token=_seal(b'{"sub":"1"}'), secret=SECRET)
    assert claims == {"sub": "1"}


async def test_no_secret_is_an_error_not_a_silent_success() -> None:
    with pytest.raises(JWTError):
        await encode(token={"sub": "1"}, secret=[])
    with pytest.raises(JWTError):
        await decode(token="x.y.z.w.v", secret="")


# ------------------------------------------------------------------------------ rotation
async def test_first_secret_encrypts_every_secret_decrypts() -> None:
    token = await encode(token={"sub": "1"}, secret=["new-secret", "old-secret"])
    assert await decode(token=token, secret="new-secret") is not None
    with pytest.raises(JWEDecryptionFailedError):
        await decode(token=token, secret="old-secret")

    old = await encode(token={"sub": "2"}, secret="old-secret")
    claims = await decode(token=old, secret=["new-secret", "old-secret"])
    assert claims is not None and claims["sub"] == "2"
    with pytest.raises(JWEDecryptionFailedError):
        await decode(token=old, secret=["new-secret"])


# ------------------------------------------------------------------------------ get_token
def _starlette_request(headers: dict[str, str]) -> Request:
    raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    return Request({"type": "http", "method": "GET", "path": "/", "query_string": b"", "headers": raw})


async def test_get_token_from_cookie_in_both_request_kinds() -> None:
    token = await encode(token={"sub": "7", "name": "Seven"}, secret=SECRET)
    api = ApiRequest(method="GET", cookies={"next-auth.session-token": token})
    star = _starlette_request({"cookie": f"next-auth.session-token={token}"})
    for request in (api, star):
        claims = await get_token(request, secret=SECRET)
        assert isinstance(claims, dict) and claims["sub"] == "7"


async def test_get_token_secret_defaults_to_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    token = await encode(token={"sub": "7"}, secret="from-env")
    request = ApiRequest(method="GET", cookies={"next-auth.session-token": token})
    assert await get_token(request) is None  # no secret anywhere: None, not an exception
    monkeypatch.setenv("AUTH_SECRET", "from-env")
    assert isinstance(await get_token(request), dict)
    monkeypatch.setenv("NEXTAUTH_SECRET", "wins-over-auth-secret")
    assert await get_token(request) is None


async def test_get_token_reads_chunks_in_numeric_order() -> None:
    token = await encode(token={"sub": "1", "blob": "x" * 9000}, secret=SECRET)
    size = 3933
    chunks = {f"next-auth.session-token.{i}": token[i * size : (i + 1) * size] for i in range(-(-len(token) // size))}
    assert len(chunks) >= 3
    # Insert in a scrambled order, including a ".10"-style sort trap: numeric, not lexical, ordering.
    scrambled = dict(reversed(list(chunks.items())))
    claims = await get_token(ApiRequest(method="GET", cookies=scrambled), secret=SECRET)
    assert isinstance(claims, dict) and claims["blob"] == "x" * 9000


async def test_get_token_numeric_chunk_order_beyond_nine() -> None:
    token = await encode(token={"sub": "1", "blob": os.urandom(20_000).hex()}, secret=SECRET)
    size = 3933
    count = -(-len(token) // size)
    assert count > 10
    chunks = {f"next-auth.session-token.{i}": token[i * size : (i + 1) * size] for i in range(count)}
    raw = await get_token(ApiRequest(method="GET", cookies=chunks), secret=SECRET, raw=True)
    assert raw == token


async def test_get_token_secure_cookie_name_follows_https_nextauth_url(monkeypatch: pytest.MonkeyPatch) -> None:
    token = await encode(token={"sub": "1"}, secret=SECRET)
    plain = ApiRequest(method="GET", cookies={"next-auth.session-token": token})
    secure = ApiRequest(method="GET", cookies={"__Secure-next-auth.session-token": token})
    monkeypatch.setenv("NEXTAUTH_URL", "https://app.example.com")
    assert await get_token(plain, secret=SECRET) is None  # next-auth: the plain name is not found [V]
    assert isinstance(await get_token(secure, secret=SECRET), dict)
    assert isinstance(await get_token(plain, secret=SECRET, secure_cookie=False), dict)
    monkeypatch.setenv("NEXTAUTH_URL", "http://localhost:3000")
    assert isinstance(await get_token(plain, secret=SECRET), dict)
    assert await get_token(secure, secret=SECRET) is None


async def test_get_token_vercel_means_secure_without_nextauth_url(monkeypatch: pytest.MonkeyPatch) -> None:
    token = await encode(token={"sub": "1"}, secret=SECRET)
    monkeypatch.setenv("VERCEL", "1")
    secure = ApiRequest(method="GET", cookies={"__Secure-next-auth.session-token": token})
    assert isinstance(await get_token(secure, secret=SECRET), dict)


async def test_get_token_custom_cookie_name() -> None:
    token = await encode(token={"sub": "1"}, secret=SECRET)
    request = ApiRequest(method="GET", cookies={"my.session": token})
    assert await get_token(request, secret=SECRET) is None
    assert isinstance(await get_token(request, secret=SECRET, cookie_name="my.session"), dict)


async def test_get_token_bearer_header() -> None:
    token = await encode(token={"sub": "bearer"}, secret=SECRET)
    for request in (
        ApiRequest(method="GET", headers={"authorization": f"Bearer {token}"}),
        _starlette_request({"Authorization": f"Bearer {token}"}),
    ):
        claims = await get_token(request, secret=SECRET)
        assert isinstance(claims, dict) and claims["sub"] == "bearer"


async def test_get_token_bearer_is_percent_decoded() -> None:
    token = await encode(token={"sub": "1"}, secret=SECRET)
    encoded = token.replace(".", "%2E")
    claims = await get_token(ApiRequest(method="GET", headers={"authorization": f"Bearer {encoded}"}), secret=SECRET)
    assert isinstance(claims, dict)


async def test_get_token_cookie_wins_over_bearer() -> None:
    cookie = await encode(token={"sub": "cookie"}, secret=SECRET)
    bearer = await encode(token={"sub": "bearer"}, secret=SECRET)
    request = ApiRequest(
        method="GET", cookies={"next-auth.session-token": cookie}, headers={"authorization": f"Bearer {bearer}"}
    )
    claims = await get_token(request, secret=SECRET)
    assert isinstance(claims, dict) and claims["sub"] == "cookie"


@pytest.mark.parametrize("header", ["Bearer %E0%A4%A", "Bearer %zz", "Bearer abc%"])
async def test_get_token_malformed_percent_encoding_is_none(header: str) -> None:
    assert await get_token(ApiRequest(method="GET", headers={"authorization": header}), secret=SECRET) is None
    assert await get_token(ApiRequest(method="GET", headers={"authorization": header}), secret=SECRET, raw=True) is None


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "bearer lowercase", "Token abc", ""])
async def test_get_token_ignores_other_authorization_schemes(header: str) -> None:
    assert await get_token(ApiRequest(method="GET", headers={"authorization": header}), secret=SECRET, raw=True) is None


async def test_get_token_raw_returns_the_string_undecrypted() -> None:
    token = await encode(token={"sub": "1"}, secret="some-other-secret")
    request = ApiRequest(method="GET", cookies={"next-auth.session-token": token})
    assert await get_token(request, secret=SECRET, raw=True) == token
    assert await get_token(request, raw=True) == token  # raw needs no secret


@pytest.mark.parametrize("value", ["garbage", "a.b.c.d.e", ""])
async def test_get_token_never_raises_for_bad_cookies(value: str) -> None:
    request = ApiRequest(method="GET", cookies={"next-auth.session-token": value})
    assert await get_token(request, secret=SECRET) is None


async def test_get_token_expired_and_wrong_secret_are_none() -> None:
    expired = await encode(token={"sub": "1"}, secret=SECRET, max_age=-60)
    other = await encode(token={"sub": "1"}, secret="other")
    for token in (expired, other):
        request = ApiRequest(method="GET", cookies={"next-auth.session-token": token})
        assert await get_token(request, secret=SECRET) is None


async def test_get_token_accepts_a_list_of_secrets() -> None:
    old = await encode(token={"sub": "1"}, secret="old")
    request = ApiRequest(method="GET", cookies={"next-auth.session-token": old})
    assert isinstance(await get_token(request, secret=["new", "old"]), dict)


async def test_get_token_secret_from_environment_may_list_rotated_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """The handler reads ``NEXTAUTH_SECRET="new,old"`` as two secrets; get_token must agree with it."""
    old = await encode(token={"sub": "1"}, secret="old")
    monkeypatch.setenv("NEXTAUTH_SECRET", "new,old")
    request = ApiRequest(method="GET", cookies={"next-auth.session-token": old})
    assert isinstance(await get_token(request), dict)
