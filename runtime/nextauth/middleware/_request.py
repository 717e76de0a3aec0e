"""The request a middleware decides on: Next.js's ``pathname`` (dot segments resolved) and ``search``."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeAlias
from urllib.parse import quote, quote_plus, unquote

from starlette.requests import Request
from starlette.types import Receive, Scope

from nextauth.middleware._results import MiddlewareResult

MAX_QUERY_PAIRS = 1000  # as Node's querystring.parse (maxKeys), which Next.js uses


@dataclass(slots=True)
class NextAuthState:
    """``request.nextauth``: what :func:`with_auth` found (``token`` is the decoded JWT, or ``None``)."""

    token: dict[str, Any] | None = None


def raw_path_of(scope: Scope) -> tuple[str, str]:
    """``(prefix, path)``: the raw (percent-encoded) path below ``root_path``, and the raw prefix above it."""
    path: str = scope["path"]
    raw_bytes = scope.get("raw_path")
    raw = raw_bytes.decode("latin-1") if raw_bytes else quote(path, safe="/:@!$&'()*+,;=-._~\\")
    raw = raw.partition("?")[0]
    root: str = scope.get("root_path", "")
    if not root or not path.startswith(root) or (len(path) > len(root) and path[len(root)] != "/"):
        return "", raw
    depth = root.rstrip("/").count("/")
    parts = raw.split("/")
    return "/".join(parts[: depth + 1]), "/" + "/".join(parts[depth + 1 :])


_SINGLE_DOT = frozenset({".", "%2e"})
_DOUBLE_DOT = frozenset({"..", ".%2e", "%2e.", "%2e%2e"})


def _may_have_dots(raw: str) -> bool:
    return "." in raw or "%2e" in raw or "%2E" in raw


def resolve_dot_segments(raw: str) -> str:
    """The path as a URL parser leaves it: ``.``/``..`` segments (also as ``%2e``) resolved, escapes kept."""
    if not _may_have_dots(raw):
        return raw
    segments = raw[1:].split("/")
    out: list[str] = []
    last = len(segments) - 1
    for i, segment in enumerate(segments):
        lower = segment.lower()
        if lower in _DOUBLE_DOT:
            if out:
                out.pop()
            if i == last:
                out.append("")
        elif lower in _SINGLE_DOT:
            if i == last:
                out.append("")
        else:
            out.append(segment)
    return "/" + "/".join(out)


def form_encode(value: str) -> str:
    """``application/x-www-form-urlencoded`` as ``URLSearchParams`` writes it (space ``+``, ``~`` encoded)."""
    return quote_plus(value, safe="*", errors="replace").replace("~", "%7E")


def normalize_query(query: str) -> str:
    """The query as Next.js hands it to the middleware: parsed (``+`` is a space, malformed escapes kept)
    and written back with ``URLSearchParams``; ``""`` when there is none. The request's order is kept."""
    pairs: list[str] = []
    for piece in query.split("&"):
        if not piece:
            continue
        key, _, value = piece.partition("=")
        key = unquote(key.replace("+", " "), errors="replace")
        value = unquote(value.replace("+", " "), errors="replace")
        pairs.append(f"{form_encode(key)}={form_encode(value)}")
        if len(pairs) >= MAX_QUERY_PAIRS:
            break
    return "?" + "&".join(pairs) if pairs else ""


class MiddlewareRequest(Request):
    """A Starlette ``Request`` with what a middleware decides on.

    ``pathname`` is the path as Next.js's ``req.nextUrl.pathname`` gives it: percent-encoded as
    received, dot segments resolved, without the mount prefix (``base_path``). ``search`` is the query
    re-serialised (``?a=1&b=x+y``, or ``""``). ``nextauth.token`` is set by :func:`with_auth`.
    """

    def __init__(self, scope: Scope, receive: Receive | None = None, *, pathname: str | None = None) -> None:
        if receive is None:
            super().__init__(scope)
        else:
            super().__init__(scope, receive)
        prefix, raw = raw_path_of(scope)
        self.base_path: str = prefix
        self.pathname: str = pathname if pathname is not None else resolve_dot_segments(raw)
        self.nextauth: NextAuthState = NextAuthState()

    @functools.cached_property
    def search(self) -> str:
        return normalize_query(self.scope.get("query_string", b"").decode("latin-1"))


Middleware: TypeAlias = Callable[[MiddlewareRequest], "MiddlewareResult | Awaitable[MiddlewareResult]"]
