"""Session tokens exactly as next-auth v4 writes them, and ``get_token`` for your own server code.

``encode``/``decode`` produce and read the JWE (``dir`` + ``A256GCM``, HKDF key) that next-auth uses for
its session cookie, so a token made here is read by next-auth's ``getToken`` and the other way round.
``secret`` may be a list: the first secret encrypts, every secret is tried when decrypting.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from nextauth._lib import jose as _jose
from nextauth._lib.cookies import CookieDef, SessionStore, decode_uri_component, request_cookies, session_cookie_name
from nextauth._lib.secrets import env_secrets
from nextauth._lib.types import CookieOptions
from nextauth.errors import JWEDecryptionFailedError, JWEInvalidError, JWTError, JWTExpiredError

__all__ = ["DEFAULT_MAX_AGE", "decode", "encode", "get_token", "secrets_of"]

DEFAULT_MAX_AGE = 30 * 24 * 60 * 60
CLOCK_TOLERANCE = 15  # seconds, as next-auth's jwtDecrypt(clockTolerance: 15)


def secrets_of(secret: str | bytes | Sequence[str] | None) -> list[str | bytes]:
    """One secret or a list of them as a non-empty list (the first is the current one)."""
    if secret is None:
        return []
    if isinstance(secret, str | bytes):
        return [secret] if secret else []
    return [s for s in secret if s]


async def encode(
    *,
    token: Mapping[str, Any],
    secret: str | bytes | Sequence[str],
    max_age: int = DEFAULT_MAX_AGE,
    salt: str = "",
) -> str:
    """Encrypt ``token`` with fresh ``iat``, ``exp`` (now + ``max_age``) and ``jti`` claims."""
    keys = secrets_of(secret)
    if not keys:
        raise JWTError("a secret is required to encode a token")
    now = int(time.time())
    payload = {**token, "iat": now, "exp": now + int(max_age), "jti": str(uuid.uuid4())}
    return _jose.encrypt(payload, _jose.derive_key(keys[0], salt))


async def decode(
    *,
    token: str | None,
    secret: str | bytes | Sequence[str],
    salt: str = "",
) -> dict[str, Any] | None:
    """Decrypt and validate a token; ``None`` for an empty token.

    Raises :class:`~nextauth.errors.JWTExpiredError` once ``exp`` is more than 15 s in the past,
    :class:`~nextauth.errors.JWEDecryptionFailedError` when no secret fits, and
    :class:`~nextauth.errors.JWEInvalidError` for anything that is not such a token.
    """
    if not token:
        return None
    keys = secrets_of(secret)
    if not keys:
        raise JWTError("a secret is required to decode a token")
    claims: dict[str, Any] | None = None
    for key in keys:
        try:
            claims = _jose.decrypt(token, _jose.derive_key(key, salt))
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
    salt: str = "",
) -> dict[str, Any] | str | None:
    """The decoded session token of ``request``, or ``None``. Never raises for a bad token.

    ``request`` is anything with ``cookies`` and ``headers`` (a Starlette/FastAPI ``Request``, an
    :class:`~nextauth.api.ApiRequest`). The cookie is read chunked or whole; without one, an
    ``Authorization: Bearer <token>`` header is used. ``secret`` defaults to ``NEXTAUTH_SECRET`` (then
    ``AUTH_SECRET``); a comma-free list of secrets may be given for rotation. ``secure_cookie`` defaults
    to whether ``NEXTAUTH_URL`` is https (then to whether ``VERCEL`` is set), choosing the
    ``__Secure-`` cookie name. ``raw=True`` returns the undecrypted token.
    """
    if secret is None:
        secret = env_secrets()
    if secure_cookie is None:
        url = os.environ.get("NEXTAUTH_URL")
        secure_cookie = url.startswith("https://") if url else bool(os.environ.get("VERCEL"))
    if cookie_name is None:
        cookie_name = session_cookie_name(secure_cookie)
    try:
        token = _request_token(request, cookie_name)
    except (ValueError, TypeError, LookupError, AttributeError):  # a malformed request is no token, never an error
        return None
    if not token:
        return None
    if raw:
        return token
    if not secrets_of(secret):
        return None
    try:
        return await decode(token=token, secret=secret or "", salt=salt)
    except (JWTError, ValueError):
        return None


def _request_token(request: Any, cookie_name: str) -> str | None:
    """The session cookie (chunks joined), else the ``Authorization: Bearer`` token; ``ValueError`` when the
    bearer token's percent-encoding is malformed."""
    token = SessionStore(CookieDef(cookie_name, CookieOptions()), request_cookies(request)).value
    if token:
        return token
    auth = _header(getattr(request, "headers", None), "authorization")
    if auth and auth.startswith("Bearer "):
        return decode_uri_component(auth[len("Bearer ") :])
    return None
