"""No 5xx from any route, whatever the request (hole 6).

Every route of the REST API (``signin``, ``signin/<provider>``, ``callback/<provider>``, ``signout``,
``session``, ``csrf``, ``providers``, ``error``, ``verify-request``, ``_log``, plus unknown ones) is sent
seeded-random requests with odd cookies (chunk suffixes such as ``²``, raw high bytes, malformed escapes,
forged tokens), odd hosts and forwarded headers (in trust-host mode too), odd headers, and JSON, form and
raw bodies (NaN, deep nesting, huge numbers, lone surrogates, wrong types), through the three ways NextAuth
is served: the pages layout and the app layout of a project (``create_app``), and ``auth_routes`` in FastAPI.

Two 500s are by design and excluded, because next-auth answers them and the conformance goldens record them:
a ``callbackUrl`` *query* parameter that is neither a relative path nor an http(s) URL is a configuration error
(``INVALID_CALLBACK_URL_ERROR``), and ``GET callback/credentials`` is "Callback for provider type credentials
not supported". Everything else must be below 500.

The unmarked tests run a small fixed sample; the ``slow`` ones run many more seeds.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from requestkit import (
    SECRET,
    SURFACES,
    Reply,
    Surface,
    asgi_request,
    csrf_pair,
    isolated_imports,  # noqa: F401 - a fixture
    surface_app,
)
from security_figures import record

from nextauth._lib.callback_url import is_valid_http_url
from nextauth.jwt import encode

pytestmark = pytest.mark.usefixtures("isolated_imports")

SESSION = "next-auth.session-token"
CONFIG_MESSAGE = b"There is a problem with the server configuration"

ROUTES = [
    "signin",
    "signin/credentials",
    "signin/github",
    "signin/email",
    "signin/nope",
    "callback/credentials",
    "callback/github",
    "callback/email",
    "callback/nope",
    "signout",
    "session",
    "csrf",
    "providers",
    "error",
    "verify-request",
    "_log",
    "",
    "unknown",
    "signin/github/extra/segments",
    "%E2%91%A0",
    "signin/%ZZ",
]
METHODS = ["GET", "POST", "POST", "GET", "HEAD", "OPTIONS", "PUT", "DELETE"]

ODD = [
    "",
    " ",
    "a",
    "alice",
    "\x00",
    "\x7f",
    "%",
    "%zz",
    "%E0%A4%A",
    "é",
    "日本語",
    "²",
    "①",
    "\ud800",
    "javascript:alert(1)",
    "//evil.example",
    "http://evil.example/",
    "https://localhost:3000/ok",
    "/relative?x=1",
    "[",
    "a b",
    ":99999",
    "NaN",
    "1e999",
    "-0",
    "null",
    "true",
    "[]",
    "{}",
    "\r\n",
    "\u2028",
    "../../etc/passwd",
    "x" * 5000,
    "a|b|c",
    "Bearer x",
]
HOSTS = [
    "localhost:3000",
    "[",
    "]",
    "[::1",
    "a b",
    ":99999",
    "localhost:0",
    "localhost:65536",
    "example.com:-1",
    "x" * 5000,
    "a.b.c" * 100,
    "evil.example@good",
    "good, evil",
    "é.example",
    "\xb2",
    "",
    "[::1]:3000",
    "127.0.0.1",
    "host:port",
    "%",
]
CONTENT_TYPES = [
    "application/json",
    "application/x-www-form-urlencoded",
    "application/json; charset=latin-1",
    "application/x-www-form-urlencoded; charset=nope",
    "text/plain",
    "multipart/form-data; boundary=x",
    "application/ld+json",
    "",
    "\xff/\xfe",
    "application/json, application/x-www-form-urlencoded",
]
FIELDS = ["csrfToken", "callbackUrl", "json", "username", "password", "email", "data", "level", "code", "error"]


def _surrogate_safe(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _nested(depth: int, rng: random.Random) -> str:
    opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
    return opener * depth + "1" + closer * depth


@dataclass
class Case:
    method: str
    route: str
    query: bytes
    headers: list[tuple[bytes, bytes]]
    body: bytes
    query_callback_url: str | None


class Fuzzer:
    """Seeded requests; ``csrf`` (token and cookie) and a real session token let some get past the checks."""

    def __init__(self, seed: int, csrf: tuple[str, str], session: str) -> None:
        self.rng = random.Random(seed)
        self.csrf = csrf
        self.session = session

    def odd(self) -> str:
        rng = self.rng
        value = rng.choice(ODD)
        if rng.random() < 0.2:
            value += rng.choice(ODD)
        return value

    def query(self) -> tuple[bytes, str | None]:
        rng = self.rng
        pairs: list[tuple[str, str]] = []
        for _ in range(rng.randrange(0, 4)):
            pairs.append((rng.choice([*FIELDS, "token", "state", "code", "nextauth", "x"]), self.odd()))
        if rng.random() < 0.1:
            pairs.append(("callbackUrl", rng.choice(["/ok", "http://localhost:3000/x"])))
        parts = []
        for key, value in pairs:
            if rng.random() < 0.15:  # raw bytes, as a lenient HTTP parser may pass them on
                parts.append(_surrogate_safe(f"{key}={value}").replace(b"&", b"%26").replace(b"#", b"%23"))
            else:
                parts.append(f"{quote(key)}={quote(value, errors='surrogatepass')}".encode())
        callback = next((v for k, v in reversed(pairs) if k == "callbackUrl"), None)  # the last one counts
        return b"&".join(parts), callback

    def cookies(self) -> bytes:
        rng = self.rng
        items: list[bytes] = []
        if rng.random() < 0.5:
            items.append(self.csrf[1].encode())
        choice = rng.random()
        if choice < 0.25:
            items.append(f"{SESSION}={self.session}".encode())
        elif choice < 0.5:
            half = len(self.session) // 2
            first, second = rng.choice(["0", "²", "①", "\xb2", "9" * 40, "", "x"]), rng.choice(["1", "0", "١"])
            items.append(f"{SESSION}.{first}={self.session[:half]}".encode("latin-1", "replace"))
            items.append(f"{SESSION}.{second}={self.session[half:]}".encode("latin-1", "replace"))
        elif choice < 0.7:
            items.append(f"{SESSION}={quote(self.odd(), errors='surrogatepass')}".encode())
        for name in ("next-auth.callback-url", "next-auth.state", "next-auth.pkce.code_verifier", "next-auth.nonce"):
            if rng.random() < 0.15:
                items.append(f"{name}={quote(self.odd(), errors='surrogatepass')}".encode())
        if rng.random() < 0.1:
            items.append(b"\xb2\xff=\x00\x80; =; ;;; a")
        if rng.random() < 0.1:
            items.append(_surrogate_safe(f"next-auth.csrf-token={self.odd()}"))
        rng.shuffle(items)
        return b"; ".join(items)

    def body(self, content_type: str) -> bytes:
        rng = self.rng
        fields = {name: self.odd() for name in rng.sample(FIELDS, rng.randrange(0, 5))}
        if rng.random() < 0.5:
            fields["csrfToken"] = self.csrf[0]
        if rng.random() < 0.3:
            fields.update(username="alice", password="wonderland")
        kind = rng.random()
        if "json" in content_type or kind < 0.3:
            shape = rng.random()
            if shape < 0.15:
                return _nested(rng.choice([50, 900, 5000, 100_000]), rng).encode()
            if shape < 0.3:
                key = rng.choice(FIELDS)
                value = rng.choice(["NaN", "Infinity", "-Infinity", "1e999", "9" * 5000, "[1,2]", "{}", "null", "true"])
                return f'{{"{key}": {value}, "csrfToken": "{self.csrf[0]}"}}'.encode()
            if shape < 0.4:
                return rng.choice([b"[]", b'"s"', b"1", b"null", b"", b"{", b"\xff\xfe", b'{"a":"\\ud800"}'])
            data: dict[str, object] = dict(fields)
            if rng.random() < 0.3:
                data[rng.choice(FIELDS)] = rng.choice([1, 1.5, None, True, [], {}, ["a"], {"a": "b"}, 10**30])
            return json.dumps(data, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")
        pairs = [f"{quote(k)}={quote(v, errors='surrogatepass')}" for k, v in fields.items()]
        if rng.random() < 0.2:
            pairs.append(rng.choice(["=", "&&&", "a", "%ZZ=%E0", "csrfToken", "json=true&json=false"]))
        if rng.random() < 0.1:
            pairs.extend(f"k{i}=v" for i in range(rng.choice([1000, 3000])))
        return "&".join(pairs).encode()

    def headers(self, trust: bool) -> list[tuple[bytes, bytes]]:
        rng = self.rng
        out: list[tuple[bytes, bytes]] = []
        host = rng.choice(HOSTS) if rng.random() < (0.6 if trust else 0.2) else "localhost:3000"
        out.append((b"host", host.encode("latin-1", "replace")))
        if rng.random() < (0.5 if trust else 0.15):
            out.append((b"x-forwarded-host", rng.choice(HOSTS).encode("latin-1", "replace")))
        if rng.random() < 0.3:
            out.append((b"x-forwarded-proto", rng.choice([b"http", b"https", b"ftp", b"", b"http, https", b"\xff"])))
        if rng.random() < 0.2:
            out.append((b"accept", rng.choice([b"application/json", b"text/html", b"*/*", b"\xff"])))
        if rng.random() < 0.15:
            out.append((b"authorization", b"Bearer " + _surrogate_safe(self.odd())[:200]))
        for _ in range(rng.randrange(0, 3)):
            out.append((rng.choice([b"x-odd", b"\xb2", b"cookie", b"content-type", b"x"]), _surrogate_safe(self.odd())))
        return out

    def case(self, trust: bool) -> Case:
        rng = self.rng
        method = rng.choice(METHODS)
        route = rng.choice(ROUTES)
        query, callback = self.query()
        headers = self.headers(trust)
        body = b""
        if method in ("POST", "PUT") or rng.random() < 0.05:
            content_type = rng.choice(CONTENT_TYPES)
            if content_type:
                headers.append((b"content-type", content_type.encode("latin-1")))
            body = self.body(content_type)
        cookies = self.cookies()
        if cookies:
            headers.append((b"cookie", cookies))
        return Case(method, route, query, headers, body, callback)


def designed_500(case: Case, reply: Reply) -> bool:
    """One of next-auth's two recorded 500s (see the module docstring); a HEAD answer has no body to compare."""
    if reply.status != 500:
        return False
    not_supported = (b"", b"Error: Callback for provider type credentials not supported")
    if case.route == "callback/credentials" and case.method != "POST" and reply.body in not_supported:
        return True
    callback = case.query_callback_url
    return bool(callback) and not is_valid_http_url(callback or "") and (CONFIG_MESSAGE in reply.body or not reply.body)


async def run_fuzz(tmp_path: Path, surface: Surface, seed: int, count: int, trust: bool) -> list[tuple[Case, int]]:
    app = surface_app(tmp_path, surface)
    csrf = await csrf_pair(app)
    session = await encode(token={"sub": "1", "name": "Alice", "email": "alice@example.com"}, secret=SECRET)
    fuzzer = Fuzzer(seed, csrf, session)
    failures: list[tuple[Case, int]] = []
    for _ in range(count):
        case = fuzzer.case(trust)
        reply = await asgi_request(
            app,
            case.method,
            f"/api/auth/{case.route}",
            query=case.query,
            headers=case.headers,
            body=case.body,
            host=None,
        )
        if (reply.status >= 500 and not designed_500(case, reply)) or b"Traceback" in reply.body:
            failures.append((case, reply.status))
    record(
        f"fuzz: every route, {surface} layout" if surface != "mount" else "fuzz: every route, FastAPI mount",
        tried=count,
        accepted=len(failures),
        what="5xx answers (odd cookies, hosts, headers, JSON/form bodies)",
    )
    return failures


@pytest.fixture(params=["", "trust-host"], ids=["plain", "trust-host"])
def trust(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[bool]:
    if request.param:
        monkeypatch.setenv("AUTH_TRUST_HOST", "true")
    yield bool(request.param)


@pytest.mark.parametrize("surface", SURFACES)
async def test_fuzzed_requests_never_answer_5xx(tmp_path: Path, surface: Surface, trust: bool) -> None:
    failures = await run_fuzz(tmp_path, surface, seed=11, count=500, trust=trust)
    assert not failures, failures[:5]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("surface", SURFACES)
async def test_many_fuzzed_requests_never_answer_5xx(tmp_path: Path, surface: Surface, trust: bool, seed: int) -> None:
    failures = await run_fuzz(tmp_path, surface, seed=seed * 1000 + int(trust), count=2000, trust=trust)
    assert not failures, failures[:5]


# ------------------------------------------------------------------------------------------ the named cases
POST_ROUTES = [
    "signin/credentials",
    "signin/email",
    "signin/github",
    "callback/credentials",
    "callback/email",
    "signout",
    "session",
    "_log",
]


@pytest.mark.parametrize("surface", SURFACES)
async def test_deep_json_and_nan_bodies_are_not_500(tmp_path: Path, surface: Surface) -> None:
    app = surface_app(tmp_path, surface)
    token, cookie = await csrf_pair(app)
    session = await encode(token={"sub": "1"}, secret=SECRET)
    bodies = [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        f'{{"csrfToken": "{token}", "data": {"[" * 900}1{"]" * 900}}}'.encode(),
        f'{{"csrfToken": "{token}", "data": {{"x": NaN}}}}'.encode(),
        f'{{"csrfToken": "{token}", "callbackUrl": NaN, "json": Infinity}}'.encode(),
        b'{"csrfToken": NaN, "email": -Infinity}',
        f'{{"csrfToken": "{token}", "email": "a@b.c", "username": 1e999, "password": NaN}}'.encode(),
    ]
    failures = []
    for route in POST_ROUTES:
        for body in bodies:
            reply = await asgi_request(
                app,
                "POST",
                f"/api/auth/{route}",
                headers=[("content-type", "application/json"), ("cookie", f"{cookie}; {SESSION}={session}")],
                body=body,
            )
            if reply.status >= 500:
                failures.append((route, body[:60], reply.status))
    record("fuzz: deep JSON and NaN bodies", tried=len(POST_ROUTES) * len(bodies), accepted=len(failures))
    assert not failures


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("header", ["host", "x-forwarded-host"])
async def test_malformed_hosts_in_trust_host_mode_are_not_500(
    tmp_path: Path, surface: Surface, header: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTH_TRUST_HOST", "true")
    app = surface_app(tmp_path, surface)
    failures = []
    for host in HOSTS:
        raw = host.encode("latin-1", "replace")
        for route in ("session", "signin", "csrf", "error", "providers", "signin/github"):
            if header == "host":
                reply = await asgi_request(app, "GET", f"/api/auth/{route}", host=raw)
            else:
                reply = await asgi_request(app, "GET", f"/api/auth/{route}", headers=[(header, raw)])
            if reply.status >= 500:
                failures.append((host[:40], route, reply.status))
    record("fuzz: malformed hosts (trust-host)", tried=len(HOSTS) * 6, accepted=len(failures), what="5xx answers")
    assert not failures
