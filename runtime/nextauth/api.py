"""Pages-style API route objects: the Python counterparts of Next.js's ``NextApiRequest``/``NextApiResponse``.

A file ``pages/api/<path>.py`` exports ``handler(req, res)`` (sync or ``async``); the server
(:mod:`nextauth.server`) builds an :class:`ApiRequest`, passes a fresh :class:`ApiResponse`, and sends
whatever the handler wrote to it. Dynamic segments appear in ``req.query`` exactly as in Next.js:
``[id]`` gives a string, ``[...slug]``/``[[...slug]]`` a list of strings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ApiRequest", "ApiResponse", "RouteContext"]


@dataclass
class ApiRequest:
    """An incoming request. ``body`` is a dict for JSON and form bodies, a str for anything else,
    and ``None`` when there is no body. Header names are lower-case; cookie values are decoded."""

    method: str
    url: str = "/"
    query: dict[str, Any] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    raw: Any = field(default=None, repr=False)
    """The underlying framework request (a Starlette ``Request`` when served by :mod:`nextauth.server`)."""

    def __repr__(self) -> str:
        return f"ApiRequest(method={self.method!r}, url={self.url!r})"


class ApiResponse:
    """An outgoing response, written by the handler through Next.js's methods.

    ``status``, ``set_header`` and ``append_header`` return the response so calls can chain; ``json``,
    ``send``, ``redirect`` and ``end`` finish it. Writing after it has finished raises ``RuntimeError``.
    """

    def __init__(self) -> None:
        self.status_code = 200
        self._headers: dict[str, tuple[str, list[str]]] = {}
        self.body: bytes = b""
        self.finished = False

    # -- headers --------------------------------------------------------------------------------
    def status(self, code: int) -> ApiResponse:
        self._check_open()
        self.status_code = int(code)
        return self

    def set_header(self, name: str, value: str | int | list[str]) -> ApiResponse:
        """Set (replace) a header; a list sets it several times (``Set-Cookie``)."""
        self._check_open()
        values = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        self._headers[name.lower()] = (name, values)
        return self

    def append_header(self, name: str, value: str | list[str]) -> ApiResponse:
        self._check_open()
        values = value if isinstance(value, list) else [value]
        key = name.lower()
        existing = self._headers.get(key)
        self._headers[key] = (existing[0] if existing else name, [*(existing[1] if existing else []), *values])
        return self

    def get_header(self, name: str) -> str | list[str] | None:
        entry = self._headers.get(name.lower())
        if entry is None:
            return None
        return entry[1][0] if len(entry[1]) == 1 else list(entry[1])

    def remove_header(self, name: str) -> ApiResponse:
        self._headers.pop(name.lower(), None)
        return self

    @property
    def header_items(self) -> list[tuple[str, str]]:
        """Every header line, in the order the names were first set."""
        return [(name, v) for name, values in self._headers.values() for v in values]

    # -- finishing ------------------------------------------------------------------------------
    def json(self, obj: Any) -> None:
        """Send ``obj`` as JSON (``application/json; charset=utf-8``)."""
        self._check_open()
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self._finish(json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode())

    def send(self, body: Any = None) -> None:
        """Send a str, bytes, or a JSON value (dict/list/number/bool) as Next.js does."""
        self._check_open()
        if body is None:
            self._finish(b"")
        elif isinstance(body, bytes | bytearray):
            if "content-type" not in self._headers:
                self.set_header("Content-Type", "application/octet-stream")
            self._finish(bytes(body))
        elif isinstance(body, str):
            self._finish(body.encode())
        else:
            self.json(body)

    def redirect(self, status_or_url: int | str, url: str | None = None) -> None:
        """``redirect(url)`` (307, as Next.js) or ``redirect(status, url)``."""
        if isinstance(status_or_url, int):
            if url is None:
                raise TypeError("redirect(status, url) needs a url")
            code, location = status_or_url, url
        else:
            code, location = 307, status_or_url
        self.status(code).set_header("Location", location)
        self._finish(b"")

    def end(self, body: str | bytes | None = None) -> None:
        self._check_open()
        self._finish(body.encode() if isinstance(body, str) else (body or b""))

    def _finish(self, body: bytes) -> None:
        self.body = body
        self.finished = True

    def _check_open(self) -> None:
        if self.finished:
            raise RuntimeError("the response was already sent (NextAuth ends it: run your code before NextAuth)")

    def __repr__(self) -> str:
        return f"ApiResponse(status={self.status_code}, finished={self.finished})"


@dataclass
class RouteContext:
    """The second argument of an app-style route handler: ``params`` holds the dynamic segments
    (``{"nextauth": ["signin", "github"]}`` for ``app/api/auth/[...nextauth]/route.py``)."""

    params: dict[str, Any] = field(default_factory=dict)
