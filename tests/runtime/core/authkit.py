"""Drive a NextAuth handler like a browser would, in either layout, and read its answers.

* pages layout: an :class:`~nextauth.api.ApiRequest` built as Next.js builds it (``query["nextauth"]`` is
  the list of catch-all segments, ``cookies`` are percent-decoded, ``body`` is the parsed form or JSON
  object) and a fresh :class:`~nextauth.api.ApiResponse`;
* app layout: a Starlette app whose ``/api/auth/{path}`` route calls the handler as a route handler,
  reached in-process through httpx's ``ASGITransport``.

Both give back a :class:`Result` (status, headers, parsed ``Set-Cookie`` lines, body). A :class:`Browser`
keeps a cookie jar across requests as a browser would.
"""

from __future__ import annotations

import json as jsonlib
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from nextauth import ApiRequest, ApiResponse, AuthOptions, NextAuth
from nextauth._lib.cookies import decode_uri_component
from nextauth.adapters.memory import MemoryAdapter as PublicMemoryAdapter
from nextauth.providers import CredentialsProvider

Layout = Literal["pages", "app"]
LAYOUTS: tuple[Layout, ...] = ("pages", "app")
ORIGIN = "http://localhost:3000"
BASE = f"{ORIGIN}/api/auth"
SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"

# A Next.js-like route: pages ``(req, res)`` or app ``(request, context)``.
RouteFn = Callable[[Any, Any], Awaitable[Any]]


# ------------------------------------------------------------------------------------------ Set-Cookie
@dataclass
class SetCookieLine:
    """One parsed ``Set-Cookie`` header line."""

    line: str
    name: str
    value: str
    """As sent (still percent-encoded)."""
    attrs: dict[str, str | bool]
    """Attribute names lower-cased; flags map to True."""
    order: list[str]
    """Attribute names in the order they appear (original spelling)."""

    @property
    def decoded(self) -> str:
        return decode_uri_component(self.value)

    @property
    def max_age(self) -> int | None:
        value = self.attrs.get("max-age")
        return int(value) if isinstance(value, str) else None

    @property
    def expires(self) -> datetime | None:
        value = self.attrs.get("expires")
        return parsedate_to_datetime(value) if isinstance(value, str) else None

    @property
    def is_deletion(self) -> bool:
        return self.value == "" and self.max_age == 0

    @property
    def secure(self) -> bool:
        return self.attrs.get("secure") is True

    @property
    def http_only(self) -> bool:
        return self.attrs.get("httponly") is True

    @property
    def same_site(self) -> str | None:
        value = self.attrs.get("samesite")
        return value if isinstance(value, str) else None

    @property
    def path(self) -> str | None:
        value = self.attrs.get("path")
        return value if isinstance(value, str) else None

    @property
    def domain(self) -> str | None:
        value = self.attrs.get("domain")
        return value if isinstance(value, str) else None


def parse_set_cookie(line: str) -> SetCookieLine:
    first, *rest = line.split(";")
    name, sep, value = first.partition("=")
    assert sep, f"not a cookie: {line!r}"
    attrs: dict[str, str | bool] = {}
    order: list[str] = []
    for part in rest:
        key, eq, val = part.strip().partition("=")
        order.append(key)
        attrs[key.lower()] = val if eq else True
    return SetCookieLine(line, name.strip(), value.strip(), attrs, order)


# ------------------------------------------------------------------------------------------ results
@dataclass
class Result:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        values = self.header_values(name)
        return values[0] if values else None

    def header_values(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def set_cookies(self) -> list[SetCookieLine]:
        return [parse_set_cookie(v) for v in self.header_values("set-cookie")]

    @property
    def cookie_names(self) -> list[str]:
        return [c.name for c in self.set_cookies]

    def cookie(self, name: str) -> SetCookieLine | None:
        found = [c for c in self.set_cookies if c.name == name]
        assert len(found) <= 1, f"{name} set {len(found)} times"
        return found[0] if found else None

    @property
    def text(self) -> str:
        return self.body.decode()

    def json(self) -> Any:
        return jsonlib.loads(self.body)

    @property
    def location(self) -> str | None:
        return self.header("location")

    @property
    def content_type(self) -> str | None:
        return self.header("content-type")

    def __repr__(self) -> str:
        return f"Result(status={self.status}, headers={self.headers!r}, body={self.body[:300]!r})"


def query_of(url: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


# ------------------------------------------------------------------------------------------ layouts
def app_for(route: RouteFn, base_path: str = "/api/auth") -> Starlette:
    """A Starlette app serving ``route`` as ``app/api/auth/[...nextauth]/route.py`` would."""

    async def endpoint(request: Request) -> Response:
        segments = [s for s in request.path_params["nextauth"].split("/") if s]
        result = await route(request, {"params": {"nextauth": segments}})
        assert isinstance(result, Response), f"the route returned {type(result).__name__}, not a Response"
        return result

    return Starlette(
        routes=[Route(base_path + "/{nextauth:path}", endpoint, methods=["GET", "POST", "PUT", "DELETE", "HEAD"])]
    )


def _next_query(query: str) -> dict[str, Any]:
    """Next.js's query object: one value stays a string, a repeated key becomes a list."""
    parsed = parse_qs(query, keep_blank_values=True)
    return {k: (v[0] if len(v) == 1 else v) for k, v in parsed.items()}


def _next_cookies(header: str) -> dict[str, str]:
    """Next.js's ``req.cookies``: first occurrence wins, values percent-decoded (raw when malformed)."""
    cookies: dict[str, str] = {}
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if not sep or not name or name in cookies:
            continue
        try:
            cookies[name] = decode_uri_component(value)
        except ValueError:
            cookies[name] = value
    return cookies


@dataclass
class Browser:
    """A cookie jar plus a way to reach the route, in one layout."""

    route: RouteFn
    layout: Layout
    origin: str = ORIGIN
    base_path: str = "/api/auth"
    jar: dict[str, str] = field(default_factory=dict)
    """Cookie name -> value as the server set it (percent-encoded)."""
    _app: Starlette | None = None

    @classmethod
    def of(cls, options_or_route: Any, layout: Layout, **kwargs: Any) -> Browser:
        route = options_or_route if callable(options_or_route) else NextAuth(options_or_route)
        return cls(route, layout, **kwargs)

    # -- the jar ------------------------------------------------------------------------------------
    def remember(self, result: Result) -> None:
        for cookie in result.set_cookies:
            if cookie.is_deletion or (cookie.max_age is not None and cookie.max_age <= 0):
                self.jar.pop(cookie.name, None)
            else:
                self.jar[cookie.name] = cookie.value

    def cookie_header(self, extra: Mapping[str, str] | None = None) -> str:
        cookies = {**self.jar, **(extra or {})}
        return "; ".join(f"{k}={v}" for k, v in cookies.items())

    # -- requests ------------------------------------------------------------------------------------
    async def request(
        self,
        method: str,
        path: str,
        *,
        form: Mapping[str, Any] | None = None,
        json: Any = None,
        content: bytes | str | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str] | None = None,
        cookies: Mapping[str, str] | None = None,
        remember: bool = True,
    ) -> Result:
        """``path`` is relative to the auth base path, e.g. ``"signin/github?prompt=login"``.

        ``cookies`` are extra cookies (values as a browser sends them, percent-encoded) sent along with the
        jar for this request only; ``remember=False`` leaves the jar untouched by the answer.
        """
        headers = dict(headers or {})
        if form is not None:
            content = urlencode(form, doseq=True)
            content_type = content_type or "application/x-www-form-urlencoded"
        elif json is not None:
            content = jsonlib.dumps(json)
            content_type = content_type or "application/json"
        if content_type is not None:
            headers["content-type"] = content_type
        cookie_header = self.cookie_header(cookies)
        if cookie_header:
            headers["cookie"] = cookie_header
        if self.layout == "pages":
            result = await self._pages(method, path, content, headers)
        else:
            result = await self._app_request(method, path, content, headers)
        if remember:
            self.remember(result)
        return result

    async def get(self, path: str, **kwargs: Any) -> Result:
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, **kwargs: Any) -> Result:
        return await self.request("POST", path, **kwargs)

    async def csrf(self) -> str:
        result = await self.get("csrf")
        assert result.status == 200, result
        token = result.json()["csrfToken"]
        assert isinstance(token, str)
        return token

    async def sign_in_with_credentials(self, **fields: str) -> Result:
        token = await self.csrf()
        return await self.post("callback/credentials", form={**fields, "csrfToken": token, "json": "true"})

    async def _pages(self, method: str, path: str, content: bytes | str | None, headers: dict[str, str]) -> Result:
        parts = urlsplit(path)
        query: dict[str, Any] = _next_query(parts.query)
        query["nextauth"] = [s for s in parts.path.split("/") if s]
        all_headers = {"host": urlsplit(self.origin).netloc, **{k.lower(): v for k, v in headers.items()}}
        body: Any = None
        if content is not None:
            text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
            ctype = all_headers.get("content-type", "")
            if "application/json" in ctype:
                try:
                    body = jsonlib.loads(text) if text else None
                except ValueError:
                    body = text  # Next.js would answer 400 itself; the handler gets the raw string
            elif "application/x-www-form-urlencoded" in ctype:
                body = _next_query(text)
            else:
                body = text
        req = ApiRequest(
            method=method,
            url=f"{self.base_path}/{path}",
            query=query,
            cookies=_next_cookies(all_headers.get("cookie", "")),
            headers=all_headers,
            body=body,
        )
        res = ApiResponse()
        await self.route(req, res)
        assert res.finished, "NextAuth must end the response"
        return Result(res.status_code, res.header_items, res.body)

    async def _app_request(
        self, method: str, path: str, content: bytes | str | None, headers: dict[str, str]
    ) -> Result:
        if self._app is None:
            self._app = app_for(self.route, self.base_path)
        transport = httpx.ASGITransport(app=self._app)
        async with httpx.AsyncClient(transport=transport, base_url=self.origin) as client:
            response = await client.request(
                method, f"{self.base_path}/{path}", content=content, headers=headers, follow_redirects=False
            )
        return Result(response.status_code, list(response.headers.multi_items()), response.content)


# ------------------------------------------------------------------------------------------ html
def body_class(html: str) -> str | None:
    match = re.search(r'<body[^>]*class="([^"]*)"', html)
    return match.group(1) if match else None


def input_values(html: str, name: str) -> list[str]:
    """The ``value`` attribute of every ``<input name=...>`` (attribute order independent)."""
    values = []
    for tag in re.findall(r"<input\b[^>]*>", html):
        if re.search(rf'\bname="{re.escape(name)}"', tag):
            match = re.search(r'\bvalue="([^"]*)"', tag)
            values.append(match.group(1) if match else "")
    return values


def form_actions(html: str) -> list[str]:
    return re.findall(r'<form\b[^>]*\baction="([^"]*)"', html)


# ------------------------------------------------------------------------------------------ options
USERS = {"alice": ("wonderland", {"id": "1", "name": "Alice", "email": "alice@example.com"})}


def authorize_alice(credentials: dict[str, Any]) -> dict[str, Any] | None:
    """The conformance configuration's ``authorize``: alice/wonderland, anything else refused."""
    entry = USERS.get(str(credentials.get("username")))
    if entry is None or credentials.get("password") != entry[0]:
        return None
    return dict(entry[1])


def credentials_provider(**overrides: Any) -> CredentialsProvider:
    options: dict[str, Any] = {
        "credentials": {
            "username": {"label": "Username", "type": "text"},
            "password": {"label": "Password", "type": "password"},
        },
        "authorize": authorize_alice,
        **overrides,
    }
    return CredentialsProvider(**options)


def make_options(**overrides: Any) -> AuthOptions:
    """The credentials half of the conformance configuration, plus ``overrides``."""
    options: dict[str, Any] = {"secret": SECRET, "providers": [credentials_provider()], **overrides}
    return AuthOptions(**options)


def json_type(layout: Layout) -> str:
    """The JSON content type each layout's golden shows."""
    return "application/json; charset=utf-8" if layout == "pages" else "application/json"


def text_type(layout: Layout) -> str | None:
    """next-auth's plain-text answers (the 400): no content type in pages, the web Response's in app."""
    return None if layout == "pages" else "text/plain;charset=UTF-8"


def log_messages(caplog: Any, level: int | None = None) -> list[str]:
    """Messages of the ``nextauth`` loggers captured by pytest's ``caplog`` (optionally one level only)."""
    return [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("nextauth") and (level is None or r.levelno == level)
    ]


# ------------------------------------------------------------------------------------------ adapter
class MemoryAdapter(PublicMemoryAdapter):
    """The public in-memory adapter (``nextauth.adapters.memory``), recording every method called in ``calls``."""

    def __init__(self) -> None:
        super().__init__(record_calls=True)
