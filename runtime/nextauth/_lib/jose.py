"""JWE compact serialisation with ``alg: dir`` and ``enc: A256GCM`` or ``A256CBC-HS512`` (RFC 7516, RFC 7518).

This is exactly the subset next-auth v4 and Auth.js v5 write and read: the content-encryption key *is* the
HKDF-derived key (no wrapped key, so the second segment is empty) and the ASCII of the base64url protected
header is the additional authenticated data. next-auth v4 writes ``A256GCM`` (96-bit IV, 128-bit tag) with
:func:`derive_key`; Auth.js v5 (``@auth/core``) writes ``A256CBC-HS512`` (RFC 7518 §5.2.5: 128-bit IV,
HMAC-SHA-512 tag truncated to 256 bits) with :func:`derive_key_v5` and a ``kid`` header, the RFC 7638
thumbprint of the key (:func:`thumbprint`), which tells the reader which of several rotated secrets made it.
"""

from __future__ import annotations

import binascii
import json
import os
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import constant_time, hashes, hmac, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from nextauth._lib.util import compact_json
from nextauth.errors import JWEDecryptionFailedError, JWEInvalidError

HEADER = {"alg": "dir", "enc": "A256GCM"}
HEADER_B64 = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0"  # base64url(json(HEADER)), byte-exact with jose
INFO = b"NextAuth.js Generated Encryption Key"
INFO_V5 = "Auth.js Generated Encryption Key ({salt})"
CBC = "A256CBC-HS512"
GCM = "A256GCM"


# base64's urlsafe functions, without their wrappers' argument conversions (three of each per session read).
_TO_URLSAFE = bytes.maketrans(b"+/", b"-_")
_FROM_URLSAFE = bytes.maketrans(b"-_", b"+/")


def b64url_encode(data: bytes) -> str:
    return binascii.b2a_base64(data, newline=False).translate(_TO_URLSAFE).rstrip(b"=").decode("ascii")


def b64url_decode(data: str) -> bytes:
    if not data.isascii():
        raise JWEInvalidError("invalid base64url")
    try:
        return binascii.a2b_base64((data + "=" * (-len(data) % 4)).encode("ascii").translate(_FROM_URLSAFE))
    except (binascii.Error, ValueError):
        raise JWEInvalidError("invalid base64url") from None


@lru_cache(maxsize=64)
def derive_key(secret: str | bytes, salt: str = "") -> bytes:
    """next-auth's key: HKDF-SHA256(secret, salt, "NextAuth.js Generated Encryption Key[ (salt)]"), 32 bytes."""
    ikm = secret.encode() if isinstance(secret, str) else secret
    info = INFO + (f" ({salt})".encode() if salt else b"")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt.encode(), info=info).derive(ikm)


@lru_cache(maxsize=64)
def derive_key_v5(secret: str | bytes, salt: str, enc: str = CBC) -> bytes:
    """Auth.js v5's key: HKDF-SHA256(secret, salt, "Auth.js Generated Encryption Key (salt)"), 64 bytes for
    ``A256CBC-HS512`` and 32 for ``A256GCM`` (``@auth/core``'s ``getDerivedEncryptionKey``)."""
    ikm = secret.encode() if isinstance(secret, str) else secret
    length = 64 if enc == CBC else 32
    info = INFO_V5.format(salt=salt).encode()
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt.encode(), info=info).derive(ikm)


@lru_cache(maxsize=64)
def thumbprint(key: bytes) -> str:
    """RFC 7638 thumbprint of the symmetric JWK ``{"kty": "oct", "k": ...}``, hashed with SHA-512 for a 64-byte
    key and SHA-256 for a 32-byte one (as ``@auth/core`` computes its ``kid``)."""
    member = json.dumps({"k": b64url_encode(key), "kty": "oct"}, separators=(",", ":")).encode()
    digest = hashes.Hash(hashes.SHA512() if len(key) == 64 else hashes.SHA256())
    digest.update(member)
    return b64url_encode(digest.finalize())


@lru_cache(maxsize=32)
def _parse_header(head: str) -> Any:
    """The JSON of a protected header segment. Cached: every next-auth v4 token has the same one, and a session
    read looks at it three times (the key choice, the salt, the decryption). Callers never change the result."""
    try:
        return json.loads(b64url_decode(head))
    except (ValueError, UnicodeDecodeError):
        raise JWEInvalidError("JWE Protected Header is invalid") from None


@lru_cache(maxsize=32)
def _checked_enc(head: str) -> str:
    """The ``enc`` of a protected header this module decrypts (``dir`` with A256GCM or A256CBC-HS512, no other
    parameters than ``typ``, ``cty`` and ``kid``); :class:`JWEInvalidError` otherwise. Cached like the header."""
    header = _parse_header(head)
    enc = header.get("enc") if isinstance(header, dict) else None
    if not isinstance(header, dict) or header.get("alg") != "dir" or enc not in (GCM, CBC):
        raise JWEInvalidError("unsupported JWE algorithm")
    if set(header) - {"alg", "enc", "typ", "cty", "kid"}:
        raise JWEInvalidError("unsupported JWE header parameter")
    return str(enc)


_CLAIMS = json.JSONDecoder()


@lru_cache(maxsize=64)
def _gcm(key: bytes) -> AESGCM:
    return AESGCM(key)  # holds only the key: one per derived key, not one per token


def header_of(token: str) -> dict[str, Any]:
    """The protected header of a compact JWE, unverified (to choose the key); :class:`JWEInvalidError` if absent."""
    head, _, _ = token.partition(".")
    header = _parse_header(head)
    if not isinstance(header, dict):
        raise JWEInvalidError("JWE Protected Header is invalid")
    return dict(header)


def _cbc_tag(mac_key: bytes, aad: bytes, iv: bytes, ciphertext: bytes) -> bytes:
    mac = hmac.HMAC(mac_key, hashes.SHA512())
    mac.update(aad + iv + ciphertext + (len(aad) * 8).to_bytes(8, "big"))
    return mac.finalize()[:32]


def encrypt_cbc(payload: dict[str, Any], key: bytes, kid: str) -> str:
    """Encrypt ``payload`` as Auth.js v5 does: ``dir`` + ``A256CBC-HS512`` with ``kid`` in the header."""
    if len(key) != 64:
        raise ValueError("A256CBC-HS512 needs a 64-byte key")
    header_b64 = b64url_encode(json.dumps({"alg": "dir", "enc": CBC, "kid": kid}, separators=(",", ":")).encode())
    iv = os.urandom(16)
    padder = padding.PKCS7(128).padder()
    plaintext = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    padded = padder.update(plaintext) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key[32:]), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(padded) + encryptor.finalize()
    tag = _cbc_tag(key[:32], header_b64.encode("ascii"), iv, ciphertext)
    return f"{header_b64}..{b64url_encode(iv)}.{b64url_encode(ciphertext)}.{b64url_encode(tag)}"


_COMPACT = compact_json()


def encrypt(payload: dict[str, Any], key: bytes) -> str:
    """Encrypt ``payload`` (as compact JSON) into a five-segment JWE."""
    iv = os.urandom(12)
    plaintext = _COMPACT(payload).encode()
    sealed = _gcm(key).encrypt(iv, plaintext, HEADER_B64.encode("ascii"))
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
    enc = _checked_enc(header_b64)
    if encrypted_key:
        raise JWEInvalidError("Encountered unexpected JWE Encrypted Key")
    iv, ct, tag = b64url_decode(iv_b64), b64url_decode(ct_b64), b64url_decode(tag_b64)
    aad = header_b64.encode("ascii")
    if enc == CBC:
        plaintext = _decrypt_cbc(key, aad, iv, ct, tag)
    else:
        if len(iv) != 12 or len(tag) != 16:
            raise JWEInvalidError("invalid JWE IV or tag length")
        if len(key) != 32:
            raise JWEDecryptionFailedError("decryption operation failed")
        try:
            plaintext = _gcm(key).decrypt(iv, ct + tag, aad)
        except InvalidTag:
            raise JWEDecryptionFailedError("decryption operation failed") from None
    try:
        text = plaintext.decode("utf-8")
        claims = _CLAIMS.decode(text[1:] if text.startswith("\ufeff") else text)  # UTF-8, BOM dropped as jose does
    except (ValueError, UnicodeDecodeError):
        raise JWEInvalidError("JWT Claims Set must be a top-level JSON object") from None
    if not isinstance(claims, dict):
        raise JWEInvalidError("JWT Claims Set must be a top-level JSON object")
    return claims


def _decrypt_cbc(key: bytes, aad: bytes, iv: bytes, ciphertext: bytes, tag: bytes) -> bytes:
    """RFC 7518 §5.2.2.2: the tag is checked (in constant time) before anything is decrypted."""
    if len(iv) != 16 or len(tag) != 32 or not ciphertext or len(ciphertext) % 16:
        raise JWEInvalidError("invalid JWE IV, tag or ciphertext length")
    if len(key) != 64 or not constant_time.bytes_eq(_cbc_tag(key[:32], aad, iv, ciphertext), tag):
        raise JWEDecryptionFailedError("decryption operation failed")
    decryptor = Cipher(algorithms.AES(key[32:]), modes.CBC(iv)).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError:  # authenticated, so only a writer with the key can get here
        raise JWEDecryptionFailedError("decryption operation failed") from None
