"""Cookies as next-auth v4 names, writes and reads them.

Names get the ``__Secure-`` prefix (and the CSRF cookie ``__Host-``) when secure cookies are on.
Values are percent-encoded like JavaScript's ``encodeURIComponent`` and attributes are written in the
order of the ``cookie`` npm package (Max-Age, Domain, Path, Expires, HttpOnly, Secure, SameSite).
Session tokens larger than one cookie can hold are split into ``name.0``, ``name.1``, ... chunks of
3933 characters (4096 minus an estimated 163 bytes of name and attributes), and every stale chunk the
browser sent is deleted whenever the session cookie is written (RFC 6265 §6.1 limits).

Chunking is capped where next-auth's is not: a token that would need more than :data:`MAX_SESSION_CHUNKS`
cookies (about 39 KB) is not sent at all. The session is dropped (its old chunks deleted) and
``CHUNKING_SESSION_COOKIE`` is logged as an error, rather than answering with megabytes of ``Set-Cookie``
headers that no browser or proxy would keep.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime
from functools import lru_cache
from typing import Any, Literal
from urllib.parse import quote

from nextauth._lib.types import CookieOptions, SetCookie
from nextauth._lib.util import utcnow

ALLOWED_COOKIE_SIZE = 4096
ESTIMATED_EMPTY_COOKIE_SIZE = 163
CHUNK_SIZE = ALLOWED_COOKIE_SIZE - ESTIMATED_EMPTY_COOKIE_SIZE  # 3933

MAX_SESSION_CHUNKS = 10
"""The most cookies one session token may be split into (10 x 3933 = 39,330 characters)."""
MAX_SESSION_SIZE = MAX_SESSION_CHUNKS * CHUNK_SIZE

CHECK_MAX_AGE = 15 * 60  # state / PKCE / nonce cookies live 15 minutes

_URI_SAFE = "-_.!~*'()"


@dataclass(slots=True)
class CookieDef:
    """A cookie's name and default attributes (one entry of next-auth's ``cookies`` option)."""

    name: str
    options: CookieOptions


@dataclass(slots=True)
class Cookies:
    session_token: CookieDef
    callback_url: CookieDef
    csrf_token: CookieDef
    pkce_code_verifier: CookieDef
    state: CookieDef
    nonce: CookieDef


SESSION_COOKIE = "next-auth.session-token"
SESSION_COOKIE_V5 = "authjs.session-token"
"""Auth.js v5's session cookie (``@auth/core``'s ``defaultCookies``); its name is also its tokens' key salt."""


def session_cookie_name(use_secure: bool, v5: bool = False) -> str:
    """The session cookie's default name: ``__Secure-`` prefixed on https (next-auth's ``defaultCookies``), Auth.js
    v5's ``authjs.session-token`` with ``v5``."""
    name = SESSION_COOKIE_V5 if v5 else SESSION_COOKIE
    return f"__Secure-{name}" if use_secure else name


def default_cookies(use_secure: bool) -> Cookies:
    """next-auth's ``defaultCookies(useSecureCookies)``."""
    prefix = "__Secure-" if use_secure else ""

    def opts(max_age: int | None = None) -> CookieOptions:
        return CookieOptions(http_only=True, same_site="lax", path="/", secure=use_secure, max_age=max_age)

    return Cookies(
        session_token=CookieDef(session_cookie_name(use_secure), opts()),
        callback_url=CookieDef(f"{prefix}next-auth.callback-url", opts()),
        csrf_token=CookieDef("__Host-next-auth.csrf-token" if use_secure else "next-auth.csrf-token", opts()),
        pkce_code_verifier=CookieDef(f"{prefix}next-auth.pkce.code_verifier", opts(CHECK_MAX_AGE)),
        state=CookieDef(f"{prefix}next-auth.state", opts(CHECK_MAX_AGE)),
        nonce=CookieDef(f"{prefix}next-auth.nonce", opts()),
    )


# ASCII is scanned by one compiled regex and only the characters to escape are replaced: urllib's quote takes a slow
# per-character path for any string that needs escaping (every URL, every CSRF cookie with its "|"), and
# str.translate looks up every character, which costs ~20 us on a session token that needs no escape at all.
_ASCII_ESCAPES = {chr(i): f"%{i:02X}" for i in range(128) if not (chr(i).isalnum() or chr(i) in _URI_SAFE)}
_ASCII_UNSAFE = re.compile("[" + re.escape("".join(_ASCII_ESCAPES)) + "]")


_ASCII_SAFE = bytes(i for i in range(128) if chr(i) not in _ASCII_ESCAPES)
"""Deleting these leaves the characters to escape: one C pass, four times the regex's speed on a session token
(which needs no escape at all)."""


def _escape(match: re.Match[str]) -> str:
    return _ASCII_ESCAPES[match.group()]


_ENCODED: dict[str, str] = {}
"""Short values already encoded: a cookie's value repeats (the callback URL cookie is the origin on every request)."""
_ENCODED_MAX = 512


def encode_uri_component(value: str) -> str:
    """JavaScript's ``encodeURIComponent``."""
    if len(value) > 256:
        return _encode_uri_component(value)
    found = _ENCODED.get(value)
    if found is None:
        found = _encode_uri_component(value)
        if len(_ENCODED) >= _ENCODED_MAX:
            _ENCODED.clear()
        _ENCODED[value] = found
    return found


def _encode_uri_component(value: str) -> str:
    if value.isascii():
        if not value.encode("ascii").translate(None, _ASCII_SAFE):
            return value
        return _ASCII_UNSAFE.sub(_escape, value)
    return quote(value, safe=_URI_SAFE, errors="surrogatepass")  # JSON bodies can carry lone surrogates


_PCT = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def decode_uri_component(value: str) -> str:
    """JavaScript's ``decodeURIComponent``: raises ``ValueError`` on a malformed escape or invalid UTF-8."""
    if "%" not in value:
        return value
    out: list[str] = []
    pos = 0
    for match in _PCT.finditer(value):
        literal = value[pos : match.start()]
        if "%" in literal:
            raise ValueError("malformed percent-encoding")
        out.append(literal)
        out.append(bytes.fromhex(match.group(0).replace("%", "")).decode("utf-8"))  # UnicodeDecodeError is a ValueError
        pos = match.end()
    tail = value[pos:]
    if "%" in tail:
        raise ValueError("malformed percent-encoding")
    out.append(tail)
    return "".join(out)


def parse_cookie_header(header: str | None) -> dict[str, str]:
    """Parse a ``Cookie`` header like the ``cookie`` npm package: first occurrence wins, values are
    unquoted and percent-decoded (kept raw when the encoding is malformed)."""
    cookies: dict[str, str] = {}
    if not header:
        return cookies
    for part in header.split(";"):
        if "=" not in part:
            continue
        name, _, value = part.partition("=")
        name = name.strip()
        if not name or name in cookies:
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        try:
            cookies[name] = decode_uri_component(value)
        except ValueError:
            cookies[name] = value
    return cookies


def request_cookies(request: object) -> dict[str, str]:
    """The percent-decoded cookies of any request object: its ``Cookie`` header when it has one (a Starlette
    or FastAPI ``Request``), else its ``cookies`` mapping (an ``ApiRequest``, or a dict with ``"cookies"``)."""
    headers = getattr(request, "headers", None)
    raw = headers.get("cookie") if isinstance(headers, Mapping) else None
    if isinstance(raw, str) and raw:
        return parse_cookie_header(raw)
    cookies = getattr(request, "cookies", None)
    if cookies is None and isinstance(request, Mapping):
        cookies = request.get("cookies")
    return dict(cookies) if isinstance(cookies, Mapping) else {}


@lru_cache(maxsize=16)  # a session's expiry moves by the second: requests within one second share the text
def _http_date(when: datetime) -> str:
    return format_datetime(when, usegmt=True)


_TAILS: dict[tuple[Any, ...], str] = {}
_TAILS_MAX = 256


def serialize(cookie: SetCookie) -> str:
    """One ``Set-Cookie`` header value, byte-compatible with the ``cookie`` package next-auth uses."""
    o = cookie.options
    expires = o.expires
    # The attributes repeat from request to request (a session's Expires moves by the second): their text is kept.
    key = (o.max_age, o.domain, o.path, expires and expires.replace(microsecond=0), o.http_only, o.secure, o.same_site)
    tail = _TAILS.get(key)
    if tail is None:
        tail = _attributes(o)
        if len(_TAILS) >= _TAILS_MAX:
            _TAILS.clear()
        _TAILS[key] = tail
    return f"{cookie.name}={encode_uri_component(cookie.value)}{tail}"


def _attributes(o: CookieOptions) -> str:
    """``; Path=/; HttpOnly; ...`` in the ``cookie`` package's order."""
    parts = [""]
    if o.max_age is not None:
        parts.append(f"Max-Age={math.floor(o.max_age)}")
    if o.domain:
        parts.append(f"Domain={o.domain}")
    if o.path:
        parts.append(f"Path={o.path}")
    if o.expires is not None:
        parts.append(f"Expires={_http_date(o.expires.replace(microsecond=0))}")
    if o.http_only:
        parts.append("HttpOnly")
    if o.secure:
        parts.append("Secure")
    if o.same_site:
        parts.append(f"SameSite={o.same_site.capitalize()}")
    return "; ".join(parts) if len(parts) > 1 else ""


def with_expiry(
    options: CookieOptions, expires: datetime | None = None, *, max_age: int | None = None
) -> CookieOptions:
    """A copy of ``options`` with ``expires`` (and optionally ``max_age``) set."""
    o = options  # built directly: dataclasses.replace costs five times as much, on every session read
    return CookieOptions(
        http_only=o.http_only,
        same_site=o.same_site,
        path=o.path,
        secure=o.secure,
        domain=o.domain,
        max_age=o.max_age if max_age is None else max_age,
        expires=expires,
    )


def expires_in(seconds: int) -> datetime:
    return utcnow() + timedelta(seconds=seconds)


def deletion(defn: CookieDef, name: str | None = None) -> SetCookie:
    """Delete a cookie: empty value and ``Max-Age=0`` with the cookie's own attributes (no Expires)."""
    return SetCookie(name or defn.name, "", with_expiry(defn.options, None, max_age=0))


class SessionStore:
    """The session cookie of one request: reads it (possibly chunked) and writes or clears it."""

    def __init__(self, defn: CookieDef, cookies: Mapping[str, str]) -> None:
        self.defn = defn
        self._chunks = {name: value for name, value in cookies.items() if name.startswith(defn.name)}
        self.log_entries: list[tuple[Literal["debug", "error"], str, dict[str, Any]]] = []
        """What :meth:`chunk` has to report, as ``(level, code, metadata)``; the core logs them after the action
        (the logger is async, this class is not)."""

    @property
    def value(self) -> str:
        """The token, reassembled from chunks in the order of their numeric suffix."""
        if len(self._chunks) == 1:
            return next(iter(self._chunks.values()))

        def order(name: str) -> tuple[int, str]:
            suffix = name.rsplit(".", 1)[-1]
            # ASCII digits only ("²" and "①" are digits to str.isdigit() but not to int()), compared by length
            # then text: numeric order without int(), which refuses more than 4300 digits.
            if not (suffix.isascii() and suffix.isdigit()):
                return (-1, "")
            digits = suffix.lstrip("0")
            return (len(digits), digits)

        return "".join(self._chunks[name] for name in sorted(self._chunks, key=order))

    def _cleaned(self) -> dict[str, SetCookie]:
        return {name: deletion(self.defn, name) for name in self._chunks}

    def chunk(self, value: str, expires: datetime) -> list[SetCookie]:
        """Cookies that replace whatever arrived with ``value`` (deletions first, then the new chunks)."""
        options = with_expiry(self.defn.options, expires)
        count = math.ceil(len(value) / CHUNK_SIZE)
        if count == 1 and len(self._chunks) == 1 and self.defn.name in self._chunks:
            return [SetCookie(self.defn.name, value, options)]  # the one cookie that arrived, rewritten
        out = self._cleaned()
        if count > MAX_SESSION_CHUNKS:
            self.log_entries.append(("error", "CHUNKING_SESSION_COOKIE", self._too_large(value, count)))
            return list(out.values())  # only the deletions: the session is dropped
        if count <= 1:
            out[self.defn.name] = SetCookie(self.defn.name, value, options)
        else:
            for i in range(count):
                name = f"{self.defn.name}.{i}"
                out[name] = SetCookie(name, value[i * CHUNK_SIZE : (i + 1) * CHUNK_SIZE], options)
            sizes = [min(CHUNK_SIZE, len(value) - i * CHUNK_SIZE) + ESTIMATED_EMPTY_COOKIE_SIZE for i in range(count)]
            self.log_entries.append(
                (
                    "debug",
                    "CHUNKING_SESSION_COOKIE",
                    {
                        "message": f"Session cookie exceeds allowed {ALLOWED_COOKIE_SIZE} bytes.",
                        "emptyCookieSize": ESTIMATED_EMPTY_COOKIE_SIZE,
                        "valueSize": len(value),
                        "chunks": sizes,
                    },
                )
            )
        return list(out.values())

    @staticmethod
    def _too_large(value: str, count: int) -> dict[str, Any]:
        return {
            "message": (
                f"Session cookie exceeds allowed {ALLOWED_COOKIE_SIZE} bytes. The session token is {len(value)} "
                f"characters ({count} cookies), over the limit of {MAX_SESSION_CHUNKS} cookies ({MAX_SESSION_SIZE} "
                "characters): the session was not saved and the user is signed out. Keep large values (pictures, "
                "provider tokens, whole profiles) out of the token in the jwt callback, or use database sessions."
            ),
            "emptyCookieSize": ESTIMATED_EMPTY_COOKIE_SIZE,
            "valueSize": len(value),
            "maxChunks": MAX_SESSION_CHUNKS,
        }

    def clean(self) -> list[SetCookie]:
        """Deletions for every session-cookie chunk the request carried."""
        return list(self._cleaned().values())
