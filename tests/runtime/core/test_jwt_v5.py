"""Auth.js v5 session tokens without Node: the format rules, and what a hostile cookie gets (never a 500).

Interop with the real ``@auth/core`` is in tests/interop/test_interop_authjs.py; these are the fast checks.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from authkit import SECRET, Browser, make_options
from security_figures import record

from nextauth import ApiRequest, get_token
from nextauth._lib import jose
from nextauth.errors import ConfigurationError, JWEDecryptionFailedError, JWEInvalidError, JWTError
from nextauth.jwt import decode, encode
from nextauth.options import AuthOptions

V5 = "authjs.session-token"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


async def test_v5_token_shape_and_kid() -> None:
    token = await encode(token={"sub": "1"}, secret=["new", "old"], salt=V5, format="v5")
    header = jose.header_of(token)
    assert header == {"alg": "dir", "enc": "A256CBC-HS512", "kid": header["kid"]}
    key = jose.derive_key_v5("new", V5)
    assert len(key) == 64 and header["kid"] == jose.thumbprint(key)
    parts = token.split(".")
    assert parts[1] == "" and len(jose.b64url_decode(parts[2])) == 16 and len(jose.b64url_decode(parts[4])) == 32


async def test_v5_needs_its_salt_and_a_known_format() -> None:
    with pytest.raises(JWTError, match="salt"):
        await encode(token={}, secret=SECRET, format="v5")
    with pytest.raises(JWTError, match="format"):
        await encode(token={}, secret=SECRET, format="v6")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match=r"jwt\.format"):
        AuthOptions(jwt={"format": "v3"})  # type: ignore[typeddict-item]


async def test_v4_stays_the_default_and_reads_as_before() -> None:
    token = await encode(token={"sub": "1"}, secret=SECRET)
    assert jose.header_of(token) == {"alg": "dir", "enc": "A256GCM"}
    assert (await decode(token=token, secret=SECRET) or {})["sub"] == "1"


async def test_rotation_follows_the_kid() -> None:
    token = await encode(token={"sub": "1"}, secret="old", salt=V5, format="v5")
    assert (await decode(token=token, secret=["new", "old"], salt=V5) or {})["sub"] == "1"
    with pytest.raises(JWEDecryptionFailedError):
        await decode(token=token, secret=["new"], salt=V5)
    # without a kid every secret is tried
    header = json.loads(jose.b64url_decode(token.split(".")[0]))
    del header["kid"]
    # (the header is authenticated: dropping the kid breaks the tag, so the token is refused, not misread)
    stripped = ".".join([b64(json.dumps(header).encode()), *token.split(".")[1:]])
    with pytest.raises(JWEDecryptionFailedError):
        await decode(token=stripped, secret=["new", "old"], salt=V5)


def _tampered(token: str) -> list[str]:
    h, k, iv, ct, tag = token.split(".")
    raw_ct, raw_tag, raw_iv = jose.b64url_decode(ct), jose.b64url_decode(tag), jose.b64url_decode(iv)
    out = []
    for i in range(len(raw_ct)):  # every ciphertext byte flipped (a padding oracle needs these to differ)
        flipped = bytearray(raw_ct)
        flipped[i] ^= 1
        out.append(".".join([h, k, iv, b64(bytes(flipped)), tag]))
    for i in range(len(raw_tag)):
        flipped = bytearray(raw_tag)
        flipped[i] ^= 0x80
        out.append(".".join([h, k, iv, ct, b64(bytes(flipped))]))
    for i in range(len(raw_iv)):
        flipped = bytearray(raw_iv)
        flipped[i] ^= 1
        out.append(".".join([h, k, b64(bytes(flipped)), ct, tag]))
    out += [
        ".".join([h, k, iv, ct, b64(raw_tag[:16])]),  # a short tag
        ".".join([h, k, iv, b64(raw_ct[:-1]), tag]),  # not a whole block
        ".".join([h, k, iv, "", tag]),
        ".".join([h, "AAAA", iv, ct, tag]),  # a wrapped key where dir has none
        ".".join([b64(b'{"alg":"dir","enc":"A128CBC-HS256"}'), k, iv, ct, tag]),
        ".".join([b64(b'{"alg":"none","enc":"A256CBC-HS512"}'), k, iv, ct, tag]),
        ".".join([b64(b"[]"), k, iv, ct, tag]),
        "not-a-token",
    ]
    return out


async def test_tampered_v5_tokens_are_refused_everywhere() -> None:
    token = await encode(token={"sub": "1", "name": "A"}, secret=SECRET, salt=V5, format="v5")
    forged = _tampered(token)
    accepted = 0
    errors = 0
    browser = Browser.of(make_options(), "app")
    for bad in forged:
        try:
            await decode(token=bad, secret=SECRET, salt=V5)
            accepted += 1
        except (JWEDecryptionFailedError, JWEInvalidError):
            pass
        if await get_token(ApiRequest(method="GET", cookies={V5: bad}), secret=SECRET) is not None:
            accepted += 1
    for bad in forged[:: max(1, len(forged) // 12)]:  # through the handler too: an empty session, never a 500
        result = await browser.get("session", cookies={V5: bad})
        errors += result.status >= 500
        accepted += bool(result.json())
    record("jwt v5: tampered tokens", tried=len(forged), accepted=accepted, what="flipped/short/relabelled JWEs read")
    assert accepted == 0 and errors == 0


async def test_handler_v5_format_round_trip_and_sign_out() -> None:
    browser = Browser.of(make_options(jwt={"format": "v5"}), "app")
    result = await browser.sign_in_with_credentials(username="alice", password="wonderland")
    cookie = result.cookie(V5)
    assert cookie is not None and jose.header_of(cookie.value)["enc"] == "A256CBC-HS512"
    claims: Any = await decode(token=cookie.value, secret=SECRET, salt=V5)
    assert claims["name"]
    session = await browser.get("session")
    assert session.json()["user"]["name"] == claims["name"]
    csrf = await browser.csrf()
    out = await browser.post("signout", form={"csrfToken": csrf})
    gone = out.cookie(V5)
    assert gone is not None and gone.is_deletion
