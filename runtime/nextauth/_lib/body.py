"""Request bodies, read with one size limit everywhere (the app layout, the pages layout, the mounts).

The limit is 1 MB by default, as for Next.js's API routes, and ``NEXTAUTH_BODY_SIZE_LIMIT`` changes it for
the whole process (``"4mb"``, ``"500kb"`` or a number of bytes). A pages-style route may still set its own
with ``config = {"api": {"bodyParser": {"sizeLimit": ...}}}``, as in Next.js.

Bodies are read chunk by chunk and the reading stops as soon as the limit is passed, so a client streaming
hundreds of megabytes costs the server at most the limit plus one chunk. A declared ``Content-Length`` over
the limit is refused before anything is read.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

from nextauth.errors import ConfigurationError

BODY_LIMIT_ENV = "NEXTAUTH_BODY_SIZE_LIMIT"
DEFAULT_BODY_LIMIT = 1024 * 1024

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|pb)?\s*$", re.IGNORECASE)
_UNITS = {"b": 1, "kb": 1 << 10, "mb": 1 << 20, "gb": 1 << 30, "tb": 1 << 40, "pb": 1 << 50}


@dataclass(frozen=True, slots=True)
class BodyLimit:
    """A size limit in bytes and how the user wrote it (for the 413 message, as Next.js words it)."""

    size: int = DEFAULT_BODY_LIMIT
    label: str = "1mb"

    @property
    def message(self) -> str:
        return f"Body exceeded {self.label} limit"


class BodyTooLargeError(Exception):
    """The body is (or is declared to be) larger than the limit; the caller answers 413."""

    def __init__(self, limit: BodyLimit) -> None:
        super().__init__(limit.message)
        self.limit = limit


def parse_size(value: object) -> BodyLimit:
    """A Next.js ``sizeLimit``: bytes as an int, or a string such as ``"500kb"``, ``"4mb"`` (1 kb = 1024 bytes).

    Raises ``ValueError`` for anything else (negative numbers, booleans, unknown units)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return BodyLimit(value, f"{value}b")
    match = _SIZE.match(value) if isinstance(value, str) else None
    if match is None or not isinstance(value, str):
        raise ValueError(f"a size limit is a number of bytes or a string such as '500kb' or '4mb', not {value!r}")
    return BodyLimit(int(float(match[1]) * _UNITS[(match[2] or "b").lower()]), value.strip())


def default_body_limit() -> BodyLimit:
    """The process-wide limit: ``$NEXTAUTH_BODY_SIZE_LIMIT``, else 1 MB. A malformed value is a
    :class:`~nextauth.errors.ConfigurationError` naming the variable (raised at startup by the callers)."""
    raw = os.environ.get(BODY_LIMIT_ENV, "").strip()
    if not raw:
        return BodyLimit()
    try:
        return parse_size(raw)
    except ValueError:
        raise ConfigurationError(
            f"{BODY_LIMIT_ENV} must be a number of bytes or a size such as '500kb' or '4mb', not {raw!r}"
        ) from None


def declared_too_large(content_length: str | None, limit: BodyLimit) -> bool:
    """Whether a ``Content-Length`` header already announces more than the limit."""
    declared = (content_length or "").strip()
    return declared.isascii() and declared.isdigit() and int(declared) > limit.size


async def read_limited(chunks: AsyncIterator[bytes], limit: BodyLimit, content_length: str | None = None) -> bytes:
    """Join ``chunks`` into the body; :class:`BodyTooLargeError` as soon as it passes the limit.

    Nothing past the limit is read: the caller answers 413 (with ``Connection: close``, so that the server
    drops the connection rather than reading and discarding the rest)."""
    if declared_too_large(content_length, limit):
        raise BodyTooLargeError(limit)
    body = bytearray()
    async for chunk in chunks:
        body += chunk
        if len(body) > limit.size:
            raise BodyTooLargeError(limit)
    return bytes(body)
