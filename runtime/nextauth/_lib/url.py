"""The site's URL as next-auth parses ``NEXTAUTH_URL`` (``parseUrl``): origin, host, path, base."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from nextauth.errors import ConfigurationError

__all__ = ["DEFAULT_URL", "Url", "parse_url"]

DEFAULT_URL = "http://localhost:3000/api/auth"


@dataclass(slots=True, frozen=True)
class Url:
    """next-auth's ``InternalUrl``: ``base`` is ``origin + path`` (e.g. ``http://localhost:3000/api/auth``)."""

    origin: str
    host: str
    path: str
    base: str

    def __str__(self) -> str:
        return self.base


@lru_cache(maxsize=64)  # a Url is immutable; NEXTAUTH_URL (or the few trusted hosts) parsed once, not per request
def parse_url(value: str | None) -> Url:
    """next-auth's ``parseUrl``: schemeless values get ``https://``; the path defaults to ``/api/auth``."""
    raw = value or DEFAULT_URL
    if not raw.startswith("http"):
        raw = f"https://{raw}"
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise ConfigurationError(f"NEXTAUTH_URL is not a valid URL: {value!r}") from None
    if not parts.hostname or parts.scheme not in ("http", "https"):
        raise ConfigurationError(
            f"NEXTAUTH_URL must be an absolute http(s) URL such as https://example.com, got {value!r}"
        )
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    default_port = 80 if parts.scheme == "http" else 443
    if port is not None and port != default_port:
        host = f"{host}:{port}"
    origin = f"{parts.scheme}://{host}"
    path = parts.path if parts.path not in ("", "/") else "/api/auth"
    path = path.rstrip("/") if path.endswith("/") else path
    return Url(origin=origin, host=host, path=path, base=origin + path)
