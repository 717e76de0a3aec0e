"""What a middleware returns: let through (:func:`next_response`), :func:`redirect`, :func:`rewrite`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeAlias
from urllib.parse import quote

from starlette.responses import Response

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

HeadersLike: TypeAlias = Mapping[str, str] | Sequence[tuple[str, str]] | None


def _header_pairs(headers: HeadersLike) -> tuple[tuple[str, str], ...]:
    if headers is None:
        return ()
    pairs = list(headers.items()) if isinstance(headers, Mapping) else list(headers)
    for name, value in pairs:
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError(f"header names and values must be strings, got {name!r}: {value!r}")
        if not name or any(c in name for c in " \t\r\n:") or any(c in value for c in "\r\n\0"):
            raise ValueError(f"invalid header {name!r}: names are tokens, values have no line breaks")
    return tuple((name.lower(), value) for name, value in pairs)


@dataclass(frozen=True, slots=True)
class Next:
    """Let the request through; ``headers`` are added to the response it gets."""

    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Redirect:
    """Answer with a redirect to ``location`` (no body but the location, as Next.js)."""

    location: str
    status: int = 307
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Rewrite:
    """Answer with what ``path`` (and its query) of the same application answers; the URL stays."""

    path: str
    headers: tuple[tuple[str, str], ...] = ()


MiddlewareResult: TypeAlias = Next | Redirect | Rewrite | Response | None


def next_response(headers: HeadersLike = None) -> Next:
    """Continue to the route; ``headers`` (a dict or pairs) are set on its response."""
    return Next(_header_pairs(headers))


def redirect(url: str, status: int = 307, *, headers: HeadersLike = None) -> Redirect:
    """Redirect to ``url`` (a path such as ``/login`` or an absolute URL); ``status`` 301/302/303/307/308."""
    if status not in REDIRECT_STATUSES:
        raise ValueError(f"redirect status must be one of {sorted(REDIRECT_STATUSES)}, not {status}")
    if not isinstance(url, str) or not url or any(ord(c) < 0x20 or c == "\x7f" for c in url):
        raise ValueError(f"redirect needs a URL without control characters, not {url!r}")
    if url.startswith(("//", "/\\")):
        raise ValueError(f"{url!r} would leave the site; write an absolute URL (https://...) to mean another host")
    return Redirect(url, status, _header_pairs(headers))


def rewrite(path: str, *, headers: HeadersLike = None) -> Rewrite:
    """Serve ``path`` (``/denied``, ``/en/page?x=1``: a path of this application) for this request."""
    if not isinstance(path, str) or not path.startswith("/") or path.startswith(("//", "/\\")):
        raise ValueError(f"rewrite needs a path of this application such as '/denied', not {path!r}")
    if any(ord(c) < 0x21 or c in "\x7f#" for c in path):
        raise ValueError(f"rewrite path {path!r} has a space, control character or '#'; percent-encode it")
    return Rewrite(quote(path, safe="/%:@!$&'()*+,;=-._~?"), _header_pairs(headers))
