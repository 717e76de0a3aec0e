"""JWE compact serialisation with ``alg: dir`` and ``enc: A256GCM`` (RFC 7516, RFC 7518 §5.3).

This is exactly the subset next-auth v4 writes and reads: the content-encryption key *is* the
HKDF-derived key (no wrapped key, so the second segment is empty), a 96-bit IV, a 128-bit tag, and the
ASCII of the base64url protected header as additional authenticated data.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from nextauth.errors import JWEDecryptionFailedError, JWEInvalidError

HEADER = {"alg": "dir", "enc": "A256GCM"}
HEADER_B64 = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0"  # base64url(json(HEADER)), byte-exact with jose
INFO = b"NextAuth.js Generated Encryption Key"


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(data: str) -> bytes:
    if not data.isascii():
        raise JWEInvalidError("invalid base64url")
    try:
        return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    except (binascii.Error, ValueError):
        raise JWEInvalidError("invalid base64url") from None


@lru_cache(maxsize=64)
def derive_key(secret: str | bytes, salt: str = "") -> bytes:
    """next-auth's key: HKDF-SHA256(secret, salt, "NextAuth.js Generated Encryption Key[ (salt)]"), 32 bytes."""
    ikm = secret.encode() if isinstance(secret, str) else secret
    info = INFO + (f" ({salt})".encode() if salt else b"")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt.encode(), info=info).derive(ikm)


def encrypt(payload: dict[str, Any], key: bytes) -> str:
    """Encrypt ``payload`` (as compact JSON) into a five-segment JWE."""
    iv = os.urandom(12)
    plaintext = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    sealed = AESGCM(key).encrypt(iv, plaintext, HEADER_B64.encode("ascii"))
    ciphertext, tag = sealed[:-16], sealed[-16:]
    return f"{HEADER_B64}..{b64url_encode(iv)}.{b64url_encode(ciphertext)}.{b64url_encode(tag)}"


def decrypt(token: str, key: bytes) -> dict[str, Any]:
    """Decrypt a JWE made by :func:`encrypt` or by next-auth; the claims must be a JSON object.

    Raises :class:`JWEInvalidError` for anything that is not such a JWE and
    :class:`JWEDecryptionFailedError` when the key does not fit or the data was tampered with.
    """
    parts = token.split(".")
    if len(parts) != 5:
        raise JWEInvalidError("Invalid Compact JWE")
    header_b64, encrypted_key, iv_b64, ct_b64, tag_b64 = parts
    try:
        header = json.loads(b64url_decode(header_b64))
    except (ValueError, UnicodeDecodeError):
        raise JWEInvalidError("JWE Protected Header is invalid") from None
    if not isinstance(header, dict) or header.get("alg") != "dir" or header.get("enc") != "A256GCM":
        raise JWEInvalidError("unsupported JWE algorithm")
    if encrypted_key:
        raise JWEInvalidError("Encountered unexpected JWE Encrypted Key")
    if set(header) - {"alg", "enc", "typ", "cty", "kid"}:
        raise JWEInvalidError("unsupported JWE header parameter")
    iv, ct, tag = b64url_decode(iv_b64), b64url_decode(ct_b64), b64url_decode(tag_b64)
    if len(iv) != 12 or len(tag) != 16:
        raise JWEInvalidError("invalid JWE IV or tag length")
    try:
        plaintext = AESGCM(key).decrypt(iv, ct + tag, header_b64.encode("ascii"))
    except InvalidTag:
        raise JWEDecryptionFailedError("decryption operation failed") from None
    try:
        claims = json.loads(plaintext)
    except (ValueError, UnicodeDecodeError):
        raise JWEInvalidError("JWT Claims Set must be a top-level JSON object") from None
    if not isinstance(claims, dict):
        raise JWEInvalidError("JWT Claims Set must be a top-level JSON object")
    return claims
