"""Hostile spellings of protected paths: none may reach a protected route without a session.

A project protects ``/admin/:path*`` and ``/dashboard`` with plain ``with_auth``. Each attempt is sent with an
exact raw path (clients normalise some of them) and no session; it counts as accepted when the protected
route answers. Spellings: percent-encoded letters, dot segments (plain, encoded, mixed case), repeated and
back slashes, trailing slashes, encoded slashes, path parameters, every method.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from security_figures import record
from serverkit import build

from nextauth.jwt import encode
from nextauth.server import create_app

SECRET = "hostile-middleware-secret-0123456789abcdef"
SECRET_BODY = b"the protected page"

PROJECT = {
    "middleware.py": """
        from nextauth.middleware import with_auth as middleware

        config = {"matcher": ["/admin/:path*", "/dashboard"]}
    """,
    "app/admin/[[...rest]]/route.py": """
        from starlette.responses import PlainTextResponse

        def GET(request):
            return PlainTextResponse("the protected page")

        POST = PUT = DELETE = PATCH = GET
    """,
    "app/dashboard/route.py": """
        from starlette.responses import PlainTextResponse

        def GET(request):
            return PlainTextResponse("the protected page")
    """,
    "app/public/[...rest]/route.py": """
        from starlette.responses import PlainTextResponse

        def GET(request):
            return PlainTextResponse("public")
    """,
}

SPELLINGS = [
    "/admin",
    "/admin/x",
    "/%61dmin",
    "/adm%69n/x",
    "/%61%64%6d%69%6e",
    "/%2e/admin",
    "/%2E/admin/x",
    "/./admin",
    "/public/../admin",
    "/public/%2e%2e/admin",
    "/public/%2E%2e/admin/x",
    "/public/.%2e/admin",
    "/public/%2e./admin",
    "/public/x/%2e%2e/%2e%2e/admin",
    "//admin",
    "///admin/x",
    "/admin//x",
    "/\\admin",
    "/admin/",
    "/admin/x/",
    "/dashboard/",
    "/%64ashboard",
    "/public/%2e%2e/dashboard",
    "/admin;x",
    "/admin/%2e",
    "/admin/x/%2e%2e",
    "/admin%2Fx",
    "/admin/%2e%2e/admin",
]
METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("NEXTAUTH_URL", "http://testserver")
    monkeypatch.setenv("NEXTAUTH_SECRET", SECRET)
    yield


async def send_raw(
    app: object, method: str, raw_path: bytes, headers: tuple[tuple[bytes, bytes], ...] = ()
) -> tuple[int, bytes]:
    from urllib.parse import unquote

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": unquote(raw_path.decode("latin-1")),
        "raw_path": raw_path,
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), *headers],
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 1234),
    }
    status, body = 0, b""
    done = False

    async def receive() -> dict[str, object]:
        nonlocal done
        if not done:
            done = True
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, object]) -> None:
        nonlocal status, body
        if message["type"] == "http.response.start":
            status = int(message["status"])  # type: ignore[call-overload]
        elif message["type"] == "http.response.body":
            body += bytes(message.get("body", b""))  # type: ignore[arg-type]

    await app(scope, receive, send)  # type: ignore[operator]
    return status, body


async def test_no_spelling_of_a_protected_path_reaches_it_without_a_session(tmp_path: Path) -> None:
    app = create_app(build(tmp_path, PROJECT), load_env=False)
    reached: list[str] = []
    errors: list[str] = []
    for path, method in itertools.product(SPELLINGS, METHODS):
        status, body = await send_raw(app, method, path.encode())
        if SECRET_BODY in body or (method == "HEAD" and status == 200):
            reached.append(f"{method} {path}")
        if status >= 500:
            errors.append(f"{method} {path}: {status}")
    tried = len(SPELLINGS) * len(METHODS)
    record(
        "middleware: protected-path spellings",
        tried=tried,
        accepted=len(reached) + len(errors),
        what="raw spellings x methods that reached a with_auth-protected route signed out (or a 5xx)",
    )
    assert reached == [] and errors == []


async def test_the_spellings_do_reach_the_route_with_a_session(tmp_path: Path) -> None:
    # With a session the same spellings reach the protected route (the router decodes each segment), so the
    # test above would see it if the middleware let one through.
    app = create_app(build(tmp_path, PROJECT), load_env=False)
    token = await encode(token={"sub": "1"}, secret=SECRET)
    cookie = ((b"cookie", f"next-auth.session-token={token}".encode()),)
    answers = [
        await send_raw(app, "GET", path.encode(), cookie)
        for path in ("/admin", "/%61dmin", "/adm%69n/x", "/%61%64%6d%69%6e", "/%64ashboard")
    ]
    assert answers == [(200, SECRET_BODY)] * 5
