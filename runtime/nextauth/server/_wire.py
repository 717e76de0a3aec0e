"""The Next.js pages API on the wire: requests read as Next.js's ``apiResolver`` reads them (headers joined as
Node joins them, the query as ``querystring.parse``, the body parsed by content type under a size limit), and a
response's header lines checked and encoded as Node would send them.

Both ways of serving a pages-style route use these: ``PagesEndpoint`` (``handler(req, res)`` with ``ApiRequest``/
``ApiResponse``) and the direct path for ``handler = NextAuth(options)`` (``nextauth.server._direct``).
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import ClientDisconnect
from starlette.types import Receive, Scope

from nextauth._lib.body import DEFAULT_BODY_LIMIT, BodyLimit, BodyTooLargeError, read_limited

__all__ = [
    "BodyError",
    "BodyParser",
    "chunks",
    "decode_body",
    "encode_headers",
    "parse_query",
    "read_body",
    "request_headers",
]

DEFAULT_LIMIT = DEFAULT_BODY_LIMIT
_MAX_KEYS = 1000  # Node's querystring.parse stops after 1000 pairs
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_BAD_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# Header names already checked against _TOKEN, with their lower-case bytes; bounded, since names come from handlers.
_GOOD_NAMES: dict[str, bytes] = {}
_GOOD_NAMES_MAX = 512
# Node keeps the first value of these request headers and drops repeats (http.IncomingMessage).
_FIRST_WINS = frozenset(
    {
        "age", "authorization", "content-length", "content-type", "etag", "expires", "from", "host",
        "if-modified-since", "if-unmodified-since", "last-modified", "location", "max-forwards",
        "proxy-authorization", "referer", "retry-after", "server", "user-agent",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class BodyParser:
    enabled: bool = True
    limit: int = DEFAULT_LIMIT
    label: str = "1mb"

    @property
    def body_limit(self) -> BodyLimit:
        return BodyLimit(self.limit, self.label)


def parse_query(text: str) -> dict[str, Any]:
    """A query string or form body as Node's ``querystring.parse``: repeated keys give a list."""
    out: dict[str, Any] = {}
    if not text:
        return out
    for key, value in parse_qsl(text, keep_blank_values=True, errors="replace")[:_MAX_KEYS]:
        existing = out.get(key)
        if existing is None:
            out[key] = value
        elif isinstance(existing, list):
            existing.append(value)
        else:
            out[key] = [existing, value]
    return out


def request_headers(scope: Scope) -> dict[str, str]:
    """Header names in lower case; repeats joined as Node joins them (``cookie`` with ``; ``).

    Linear in the number of headers: repeats are collected in lists and joined once (``+=`` on a string
    held in a dict copies it every time, which is quadratic)."""
    out: dict[str, str] = {}
    repeats: dict[str, list[str]] | None = None
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin-1").lower()
        if name not in out:
            out[name] = raw_value.decode("latin-1")
        elif name not in _FIRST_WINS:
            if repeats is None:
                repeats = {}
            repeats.setdefault(name, [out[name]]).append(raw_value.decode("latin-1"))
    if repeats:
        for name, parts in repeats.items():
            out[name] = ("; " if name == "cookie" else ", ").join(parts)
    return out


class BodyError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _media_type(header: str | None) -> tuple[str, str]:
    """``(type, charset)`` of a Content-Type; anything unparseable counts as ``text/plain``."""
    main, _, rest = (header or "").partition(";")
    media = main.strip().lower()
    if "/" not in media:
        media = "text/plain"
    charset = "utf-8"
    for param in rest.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"').lower()
    return media, charset


async def chunks(receive: Receive) -> AsyncIterator[bytes]:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        yield message.get("body", b"")
        if not message.get("more_body", False):
            return


async def read_body(receive: Receive, headers: dict[str, str], parser: BodyParser) -> bytes:
    """The whole body, read incrementally; a 413 :class:`BodyError` as soon as it passes the limit."""
    try:
        return await read_limited(chunks(receive), parser.body_limit, headers.get("content-length"))
    except BodyTooLargeError as exc:
        raise BodyError(413, str(exc)) from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def decode_body(data: bytes, content_type: str | None) -> Any:
    """The parsed body, as Next.js's ``parseBody``; ``None`` for an empty body."""
    if not data:
        return None
    media, charset = _media_type(content_type)
    try:
        text = data.decode(codecs.lookup(charset).name, errors="replace")
    except LookupError:
        raise BodyError(400, "Invalid body") from None
    text = text.removeprefix("\ufeff")
    if media in ("application/json", "application/ld+json"):
        try:
            return json.loads(text, parse_constant=_reject_constant)
        except (ValueError, RecursionError):
            raise BodyError(400, "Invalid JSON") from None
    if media == "application/x-www-form-urlencoded":
        return parse_query(text)
    return text


def encode_headers(
    items: Iterable[tuple[str, str]], status: int, body_length: int, method: str
) -> list[tuple[bytes, bytes]]:
    """Header lines ``(name, value)`` of a pages-style response as ASGI wants them, with the ``Content-Length`` of
    what is really sent (an explicit one is kept only for HEAD); a name or value Node would refuse raises
    ``ValueError``."""
    out: list[tuple[bytes, bytes]] = []
    explicit_length = False
    for name, value in items:
        raw_name = _GOOD_NAMES.get(name)
        if raw_name is None:
            if not _TOKEN.match(name):
                raise ValueError(f"invalid header name {name!r}")
            raw_name = name.lower().encode("latin-1")
            if len(_GOOD_NAMES) < _GOOD_NAMES_MAX:
                _GOOD_NAMES[name] = raw_name
        if value.isascii() and value.isprintable():  # the common case, without a regex: visible ASCII and spaces
            encoded = value.encode("ascii")
        else:
            if _BAD_VALUE.search(value):
                raise ValueError(f"the value of header {name!r} contains a control character (CR, LF or NUL)")
            try:
                encoded = value.encode("latin-1")
            except UnicodeEncodeError:
                raise ValueError(f"the value of header {name!r} has characters outside ISO-8859-1") from None
        if raw_name == b"content-length":
            if method != "HEAD":
                continue  # the length of what is really sent
            explicit_length = True
        out.append((raw_name, encoded))
    if not explicit_length and status >= 200 and status not in (204, 304):
        out.append((b"content-length", str(body_length).encode()))
    return out
