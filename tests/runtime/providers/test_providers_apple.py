"""Apple's client secret: an ES256 JWT made from the .p8 key, verified here with the public key."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from nextauth.errors import ConfigurationError
from nextauth.providers.apple import MAX_CLIENT_SECRET_AGE, AppleProvider, generate_client_secret

NOW = 1_767_225_600


def p8(key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey) -> str:
    """A key as Apple's AuthKey_XXXX.p8 file holds it (PKCS#8 PEM)."""
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@pytest.fixture(scope="module")
def key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def test_client_secret_claims_and_header(key: ec.EllipticCurvePrivateKey) -> None:
    token = generate_client_secret("ABCDE12345", "KEY1234567", p8(key), "com.example.web", now=NOW)
    assert jwt.get_unverified_header(token) == {"alg": "ES256", "kid": "KEY1234567", "typ": "JWT"}
    claims = jwt.decode(
        token,
        key.public_key(),
        algorithms=["ES256"],
        audience="https://appleid.apple.com",
        options={"verify_exp": False, "verify_iat": False},
    )
    assert claims == {
        "iss": "ABCDE12345",
        "iat": NOW,
        "exp": NOW + 180 * 24 * 3600,
        "aud": "https://appleid.apple.com",
        "sub": "com.example.web",
    }


def test_client_secret_is_valid_now(key: ec.EllipticCurvePrivateKey) -> None:
    token = generate_client_secret(team_id="T", key_id="K", private_key=p8(key), client_id="c", expires_in=60)
    claims = jwt.decode(token, key.public_key(), algorithms=["ES256"], audience="https://appleid.apple.com")
    assert claims["exp"] - claims["iat"] == 60


def test_expiry_as_timedelta_and_the_maximum(key: ec.EllipticCurvePrivateKey) -> None:
    token = generate_client_secret("T", "K", p8(key), "c", timedelta(days=30), now=NOW)
    assert jwt.decode(token, options={"verify_signature": False})["exp"] == NOW + 30 * 86400
    token = generate_client_secret("T", "K", p8(key), "c", MAX_CLIENT_SECRET_AGE, now=NOW)
    assert jwt.decode(token, options={"verify_signature": False})["exp"] == NOW + 15_777_000


@pytest.mark.parametrize("seconds", [0, -1, MAX_CLIENT_SECRET_AGE + 1, 365 * 86400])
def test_expiry_out_of_range(key: ec.EllipticCurvePrivateKey, seconds: int) -> None:
    with pytest.raises(ConfigurationError, match=r"expires_in must be between 1 and 15777000 seconds"):
        generate_client_secret("T", "K", p8(key), "c", seconds)


def test_a_key_pasted_into_one_env_line_works(key: ec.EllipticCurvePrivateKey) -> None:
    one_line = '"' + p8(key).strip().replace("\n", "\\n") + '"'
    token = generate_client_secret("T", "K", one_line, "c", now=NOW)
    jwt.decode(
        token,
        key.public_key(),
        algorithms=["ES256"],
        audience="https://appleid.apple.com",
        options={"verify_exp": False, "verify_iat": False},
    )


@pytest.mark.parametrize(
    ("private_key", "message"),
    [
        pytest.param(
            "AuthKey_KEY1234567.p8", r"not a PEM key: pass the contents of the AuthKey_<KEY_ID>\.p8 file", id="a-path"
        ),
        pytest.param(
            "-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----", r"could not be read", id="garbage"
        ),
    ],
)
def test_unusable_keys(private_key: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message) as caught:
        generate_client_secret("T", "K", private_key, "c")
    assert "not base64" not in str(caught.value)  # the key never appears in the message


def test_only_p256_keys(key: ec.EllipticCurvePrivateKey) -> None:
    with pytest.raises(ConfigurationError, match=r"must be the P-256 \(ES256\) key"):
        generate_client_secret("T", "K", p8(ec.generate_private_key(ec.SECP384R1())), "c")
    with pytest.raises(ConfigurationError, match=r"must be the P-256 \(ES256\) key"):
        generate_client_secret("T", "K", p8(rsa.generate_private_key(public_exponent=65537, key_size=2048)), "c")


@pytest.mark.parametrize("field", ["team_id", "key_id", "client_id"])
def test_empty_identifiers(key: ec.EllipticCurvePrivateKey, field: str) -> None:
    args = {"team_id": "T", "key_id": "K", "private_key": p8(key), "client_id": "c", field: " "}
    with pytest.raises(ConfigurationError, match=rf"{field} is empty"):
        generate_client_secret(**args)


def test_the_provider_takes_the_generated_secret(key: ec.EllipticCurvePrivateKey) -> None:
    secret = generate_client_secret("T", "K", p8(key), "com.example.web")
    provider = AppleProvider(client_id="com.example.web", client_secret=secret)
    assert provider.client_secret == secret and secret not in repr(provider)
    assert provider.client == {"token_endpoint_auth_method": "client_secret_post"}
