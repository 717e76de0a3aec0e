"""Session tokens exactly as next-auth v4 and Auth.js v5 write them, and ``get_token`` for your own server code.

``encode``/``decode`` produce and read the JWE that next-auth uses for its session cookie, so a token made here
is read by next-auth's ``getToken`` and the other way round. Two formats:

* ``"v4"`` (the default), next-auth v4: ``dir`` + ``A256GCM``, key HKDF(secret, salt, "NextAuth.js Generated
  Encryption Key"), ``salt`` empty for the session token; cookie ``next-auth.session-token``.
* ``"v5"``, Auth.js v5 (``@auth/core``): ``dir`` + ``A256CBC-HS512``, a 64-byte key HKDF(secret, salt, "Auth.js
  Generated Encryption Key (<salt>)") where the salt is the cookie's name, and a ``kid`` header (the key's RFC 7638
  thumbprint); cookie ``authjs.session-token``.

``decode`` tells them apart by the header's ``enc`` (a v5 token needs its cookie name as ``salt``);
``get_token`` reads either cookie and picks the salt itself. ``secret`` may be a list: the first secret
encrypts, every secret is tried when decrypting (for a v5 token, the one its ``kid`` names).
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from nextauth._lib import jose as _jose
from nextauth._lib.cookies import (
    CookieDef,
    SessionStore,
    decode_uri_component,
    request_cookies,
    session_cookie_name,
)
from nextauth._lib.secrets import env_secrets
from nextauth._lib.types import CookieOptions
from nextauth.errors import JWEDecryptionFailedError, JWEInvalidError, JWTError, JWTExpiredError

__all__ = ["DEFAULT_MAX_AGE", "TokenFormat", "decode", "encode", "get_token", "secrets_of"]

TokenFormat = Literal["v4", "v5"]
"""Which session token format is written: next-auth v4's (``"v4"``) or Auth.js v5's (``"v5"``)."""

DEFAULT_MAX_AGE = 30 * 24 * 60 * 60
CLOCK_TOLERANCE = 15  # seconds, as next-auth's jwtDecrypt(clockTolerance: 15)


def secrets_of(secret: str | bytes | Sequence[str] | None) -> list[str | bytes]:
    """One secret or a list of them as a non-empty list (the first is the current one)."""
    if secret is None:
        return []
    if isinstance(secret, str | bytes):
        return [secret] if secret else []
    return [s for s in secret if s]


def _jti() -> str:
    """A random (version 4) UUID as text, as ``str(uuid.uuid4())`` without its objects."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


async def encode(
    *,
    token: Mapping[str, Any],
    secret: str | bytes | Sequence[str],
    max_age: int = DEFAULT_MAX_AGE,
    salt: str = "",
    format: TokenFormat = "v4",
) -> str:
    """Encrypt ``token`` with fresh ``iat``, ``exp`` (now + ``max_age``) and ``jti`` claims.

    ``format="v5"`` writes an Auth.js v5 token; its ``salt`` is required and is the session cookie's name
    (``"authjs.session-token"`` or ``"__Secure-authjs.session-token"``)."""
    return encode_token(token, secret, max_age, salt, format)


def encode_token(
    token: Mapping[str, Any],
    secret: str | bytes | Sequence[str],
    max_age: int = DEFAULT_MAX_AGE,
    salt: str = "",
    format: TokenFormat = "v4",
) -> str:
    """:func:`encode` without a coroutine (the handler's own session writes call it directly)."""
    keys = secrets_of(secret)
    if not keys:
        raise JWTError("a secret is required to encode a token")
    now = int(time.time())
    payload = {**token, "iat": now, "exp": now + int(max_age), "jti": _jti()}
    if format == "v5":
        if not salt:
            raise JWTError("a v5 token needs salt=<the session cookie's name>, e.g. 'authjs.session-token'")
        key = _jose.derive_key_v5(keys[0], salt)
        return _jose.encrypt_cbc(payload, key, _jose.thumbprint(key))
    if format != "v4":
        raise JWTError(f"format must be 'v4' or 'v5', got {format!r}")
    return _jose.encrypt(payload, _jose.derive_key(keys[0], salt))


async def decode(
    *,
    token: str | None,
    secret: str | bytes | Sequence[str],
    salt: str = "",
) -> dict[str, Any] | None:
    """Decrypt and validate a token; ``None`` for an empty token.

    The format is read from the token's header: ``A256CBC-HS512`` is Auth.js v5's (``salt`` must then be its
    cookie's name), ``A256GCM`` next-auth v4's (or a v5 reader's, when a ``salt`` is given). A v5 ``kid`` picks
    the secret whose key it names; a ``kid`` naming none of them fails, as in ``@auth/core``.

    Raises :class:`~nextauth.errors.JWTExpiredError` once ``exp`` is more than 15 s in the past,
    :class:`~nextauth.errors.JWEDecryptionFailedError` when no secret fits, and
    :class:`~nextauth.errors.JWEInvalidError` for anything that is not such a token.
    """
    return decode_token(token, secret, salt)


def decode_token(token: str | None, secret: str | bytes | Sequence[str], salt: str = "") -> dict[str, Any] | None:
    """:func:`decode` without a coroutine (the handler's own session reads call it directly)."""
    if not token:
        return None
    keys = secrets_of(secret)
    if not keys:
        raise JWTError("a secret is required to decode a token")
    claims: dict[str, Any] | None = None
    for key in _candidate_keys(token, keys, salt):
        try:
            claims = _jose.decrypt(token, key)
            break
        except JWEDecryptionFailedError:
            continue
    if claims is None:
        raise JWEDecryptionFailedError("decryption operation failed")
    now = time.time()
    for name in ("iat", "exp", "nbf"):
        if name in claims and (not isinstance(claims[name], int | float) or isinstance(claims[name], bool)):
            raise JWEInvalidError(f'"{name}" claim must be a number')
    if "exp" in claims and claims["exp"] <= now - CLOCK_TOLERANCE:
        raise JWTExpiredError('"exp" claim timestamp check failed')
    if "nbf" in claims and claims["nbf"] > now + CLOCK_TOLERANCE:
        raise JWTError('"nbf" claim timestamp check failed')
    return claims


def _candidate_keys(token: str, secrets: list[str | bytes], salt: str) -> list[bytes]:
    """The keys worth trying for ``token``, in order: by its ``enc``, narrowed by a v5 ``kid``."""
    if not salt and token.startswith(_V4_HEAD):
        return [_jose.derive_key(s, "") for s in secrets]
    header = _jose.header_of(token)
    enc, kid = header.get("enc"), header.get("kid")
    v5: list[bytes] = []
    if enc == _jose.CBC or (enc == _jose.GCM and salt):
        v5 = [_jose.derive_key_v5(s, salt, enc) for s in secrets]
        if isinstance(kid, str):
            v5 = [k for k in v5 if _jose.thumbprint(k) == kid]
    if enc == _jose.CBC:
        return v5
    return [_jose.derive_key(s, salt) for s in secrets] + v5


def _header(headers: Any, name: str) -> str | None:
    if headers is None:
        return None
    getter = getattr(headers, "get", None)
    if getter is None:
        return None
    value = getter(name)
    if value is None:
        value = getter(name.title())
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return value if isinstance(value, str) else None


async def get_token(
    request: Any,
    *,
    secret: str | Sequence[str] | None = None,
    secure_cookie: bool | None = None,
    cookie_name: str | None = None,
    raw: bool = False,
    salt: str | None = None,
) -> dict[str, Any] | str | None:
    """The decoded session token of ``request``, or ``None``. Never raises for a bad token.

    ``request`` is anything with ``cookies`` and ``headers`` (a Starlette/FastAPI ``Request``, an
    :class:`~nextauth.api.ApiRequest`). The cookie is read chunked or whole; without one, an
    ``Authorization: Bearer <token>`` header is used. ``secret`` defaults to ``NEXTAUTH_SECRET`` (then
    ``AUTH_SECRET``); a comma-free list of secrets may be given for rotation. ``secure_cookie`` defaults
    to whether ``NEXTAUTH_URL`` is https (then to whether ``VERCEL`` is set), choosing the
    ``__Secure-`` cookie name. ``raw=True`` returns the undecrypted token.

    Without ``cookie_name``, next-auth v4's cookie (``next-auth.session-token``) is read, else Auth.js v5's
    (``authjs.session-token``); either token format is accepted. ``salt`` defaults to what each format uses:
    empty for a v4 token, the cookie's name for a v5 one.
    """
    if secret is None:
        secret = env_secrets()
    if secure_cookie is None:
        url = os.environ.get("NEXTAUTH_URL")
        secure_cookie = url.startswith("https://") if url else bool(os.environ.get("VERCEL"))
    names = (
        [cookie_name] if cookie_name else [session_cookie_name(secure_cookie), session_cookie_name(secure_cookie, True)]
    )
    try:
        found = _request_token(request, names)
    except (ValueError, TypeError, LookupError, AttributeError):  # a malformed request is no token, never an error
        return None
    if found is None:
        return None
    token, name = found
    if raw:
        return token
    if not secrets_of(secret):
        return None
    try:
        return await decode(
            token=token, secret=secret or "", salt=salt if salt is not None else session_salt(token, name)
        )
    except (JWTError, ValueError):
        return None


def session_salt(token: str, cookie_name: str) -> str:
    """The salt of a session token read from ``cookie_name``: the cookie's name for an Auth.js v5 token (its
    ``enc`` is ``A256CBC-HS512`` or it has a ``kid``), none for a next-auth v4 one."""
    if token.startswith(_V4_HEAD):
        return ""
    try:
        header = _jose.header_of(token)
    except JWTError:
        return ""
    return cookie_name if header.get("enc") == _jose.CBC or "kid" in header else ""


_V4_HEAD = _jose.HEADER_B64 + "."
"""How every next-auth v4 token starts (its header, byte for byte): no header to parse to know its keys."""


def _request_token(request: Any, names: list[str]) -> tuple[str, str] | None:
    """The first of the session cookies ``names`` present (chunks joined) with its name, else the
    ``Authorization: Bearer`` token (named as the last cookie, whose salt a v5 bearer token uses, as Auth.js's
    ``getToken``); ``ValueError`` when the bearer token's percent-encoding is malformed."""
    cookies = request_cookies(request)
    for name in names:
        token = SessionStore(CookieDef(name, CookieOptions()), cookies).value
        if token:
            return token, name
    auth = _header(getattr(request, "headers", None), "authorization")
    if auth and auth.startswith("Bearer "):
        token = decode_uri_component(auth[len("Bearer ") :])
        return (token, names[-1]) if token else None
    return None
