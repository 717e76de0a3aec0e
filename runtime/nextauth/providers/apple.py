"""Sign in with Apple (OpenID Connect).

Setup: an App ID with *Sign in with Apple*, a *Services ID* (its identifier is the ``client_id``) whose
*Return URLs* include ``<NEXTAUTH_URL>/api/auth/callback/apple`` (https only, no localhost: test
through a tunnel), and a *Sign in with Apple* private key (``AuthKey_<KEY_ID>.p8``).

The client secret is not a fixed string: it is a JWT signed with that key (ES256), valid for at most
six months. Make one with :func:`generate_client_secret` and renew it before it
expires, otherwise every sign-in fails with ``invalid_client``::

    from nextauth.providers.apple import AppleProvider, generate_client_secret

    AppleProvider(
        client_id="com.example.web",
        client_secret=generate_client_secret(
            team_id="ABCDE12345",
            key_id="KEY1234567",
            private_key=open("AuthKey_KEY1234567.p8").read(),
            client_id="com.example.web",
        ),
    )

Apple posts the callback (``response_mode=form_post``) from its own site: cookies marked
``SameSite=Lax`` are not sent with that cross-site POST. The PKCE cookie has to reach the callback, so
run over https with cookies ``SameSite=None; Secure`` for it (see the docs). The user's name is sent
only on the first authorization, as a ``user`` form field, never in the ID token.

Docs: https://developer.apple.com/documentation/signinwithapple/authenticating-users-with-sign-in-with-apple
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from nextauth.errors import ConfigurationError
from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["APPLE_AUDIENCE", "MAX_CLIENT_SECRET_AGE", "AppleProvider", "generate_client_secret"]

APPLE_AUDIENCE = "https://appleid.apple.com"
MAX_CLIENT_SECRET_AGE = 15_777_000  # seconds; Apple rejects a client secret valid for longer (about 6 months)
DEFAULT_CLIENT_SECRET_AGE = 180 * 24 * 3600  # 15,552,000 s: the longest whole number of days allowed


def _pem(private_key: str | bytes) -> bytes:
    """The key as PEM bytes; ``\\n`` escapes (a .p8 pasted into one line of an .env file) become newlines."""
    text = private_key.decode("utf-8", "replace") if isinstance(private_key, bytes) else private_key
    text = text.strip().strip('"').strip("'").replace("\\n", "\n")
    if "-----BEGIN" not in text:
        raise ConfigurationError(
            "Apple private_key is not a PEM key: pass the contents of the AuthKey_<KEY_ID>.p8 file "
            "(starting with -----BEGIN PRIVATE KEY-----), not its path or key ID"
        )
    return text.encode("utf-8")


def generate_client_secret(
    team_id: str,
    key_id: str,
    private_key: str | bytes,
    client_id: str,
    expires_in: int | timedelta = DEFAULT_CLIENT_SECRET_AGE,
    *,
    now: float | None = None,
) -> str:
    """The ES256-signed JWT Apple expects as ``client_secret``.

    Header ``{"alg": "ES256", "kid": key_id}``; claims ``iss`` = ``team_id`` (10 characters, top right
    of the developer portal), ``iat``, ``exp`` = ``iat + expires_in`` (at most 15,777,000 s, about six
    months; default 180 days), ``aud`` = ``https://appleid.apple.com``, ``sub`` = ``client_id`` (the
    Services ID). ``private_key`` is the ``.p8`` file's contents.
    """
    import jwt
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    for name, value in (("team_id", team_id), ("key_id", key_id), ("client_id", client_id)):
        if not isinstance(value, str) or not value.strip():
            raise ConfigurationError(f"Apple client secret: {name} is empty")
    seconds = int(expires_in.total_seconds()) if isinstance(expires_in, timedelta) else int(expires_in)
    if not 0 < seconds <= MAX_CLIENT_SECRET_AGE:
        raise ConfigurationError(
            f"Apple client secret: expires_in must be between 1 and {MAX_CLIENT_SECRET_AGE} seconds (about six "
            f"months; Apple rejects longer-lived secrets), got {seconds}"
        )
    pem = _pem(private_key)
    try:
        key = load_pem_private_key(pem, password=None)
    except (ValueError, TypeError):
        raise ConfigurationError(
            "Apple private_key could not be read: pass the unmodified contents of the AuthKey_<KEY_ID>.p8 file"
        ) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ConfigurationError("Apple private_key must be the P-256 (ES256) key from an AuthKey_<KEY_ID>.p8 file")
    issued = int(time.time() if now is None else now)
    claims = {
        "iss": team_id.strip(),
        "iat": issued,
        "exp": issued + seconds,
        "aud": APPLE_AUDIENCE,
        "sub": client_id.strip(),
    }
    return jwt.encode(claims, key, algorithm="ES256", headers={"kid": key_id.strip()})


def AppleProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Apple: discovery, scope ``name email`` with ``response_mode=form_post``, PKCE, ID token.

    ``client_secret`` is the JWT from :func:`generate_client_secret`; it is sent in the token request's
    body (``client_secret_post``, the only method Apple accepts).
    """
    return from_data("apple", client_id=client_id, client_secret=client_secret, options=options)
