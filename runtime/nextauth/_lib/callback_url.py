"""``callbackUrl`` validation and the default ``redirect`` callback.

The default callback allows a relative path (made absolute on the site's origin) or an absolute URL on
the same origin, and answers the site's origin for anything else — including input that is not a URL at
all, where next-auth itself would crash with a 500 (deliberately not copied).
"""

from __future__ import annotations

from urllib.parse import urlsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str | None:
    """The WHATWG origin (``scheme://host[:port]``) of an absolute http(s) URL, or ``None``.

    Conservative on purpose: input a browser could read differently (backslashes, control characters,
    whitespace, credentials in the authority) has no origin here, so it never counts as same-origin.
    """
    if any(c in url for c in "\\\t\r\n ") or any(ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname or "@" in parts.netloc:
        return None
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def is_valid_http_url(url: str) -> bool:
    """next-auth's config check: a relative path, or a URL whose scheme is http(s)."""
    if url.startswith("/"):
        return True
    return origin_of(url) is not None


def default_redirect(url: str, base_url: str) -> str:
    """next-auth's default ``redirect`` callback, minus its crash on non-URLs."""
    if url.startswith("/"):
        return f"{base_url}{url}"
    if origin_of(url) == base_url:
        return url
    return base_url
