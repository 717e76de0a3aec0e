"""The FastAPI dependencies and NextAuthMiddleware through a real uvicorn server on loopback.

One FastAPI application: NextAuth at /api/auth (credentials alice / wonderland), pages and APIs guarded by
``SessionGuard``'s three dependencies, and ``NextAuthMiddleware`` (with_auth) over ``/mw/:path*``. Each is
exercised signed in (a real credentials sign-in), signed out, and with an expired session token.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Annotated, Any

import httpx
import pytest
import uvicorn
from fastapi import Depends, FastAPI
from starlette.requests import Request
from starlette.responses import PlainTextResponse

from nextauth import AuthOptions, NextAuth
from nextauth.fastapi import Session, SessionGuard
from nextauth.jwt import encode
from nextauth.middleware import MiddlewareRequest, NextAuthMiddleware, next_response, with_auth
from nextauth.providers.credentials import CredentialsProvider
from nextauth.server import auth_routes

pytestmark = pytest.mark.slow

SECRET = "guards-test-secret-0123456789abcdef0123"


def authorize(credentials: dict[str, Any], request: object) -> dict[str, Any] | None:
    if credentials.get("username") == "alice" and credentials.get("password") == "wonderland":
        return {"id": "1", "name": "Alice", "email": "alice@example.com"}
    return None


OPTIONS = AuthOptions(providers=[CredentialsProvider(authorize=authorize)], secret=SECRET)
guard = SessionGuard(OPTIONS)
# Module level: FastAPI resolves these annotations (strings here) in the module's namespace.
PageSession = Annotated[Session, Depends(guard.require_session)]
ApiSession = Annotated[Session, Depends(guard.require_api_session)]
MaybeSession = Annotated[Session | None, Depends(guard.optional_session)]


def make_app() -> FastAPI:
    app = FastAPI()
    app.router.routes.extend(auth_routes(NextAuth(OPTIONS)))

    @app.get("/dashboard")
    async def dashboard(session: PageSession) -> dict[str, Any]:
        return {"name": session["user"]["name"]}

    @app.get("/api/me")
    async def me(session: ApiSession) -> dict[str, Any]:
        return {"email": session["user"]["email"]}

    @app.get("/home")
    async def home(session: MaybeSession) -> dict[str, Any]:
        return {"signed_in": session is not None}

    def inner(request: MiddlewareRequest) -> Any:
        token = request.nextauth.token or {}
        return next_response(headers={"x-user": str(token.get("email"))})

    @app.get("/mw/page")
    async def mw_page() -> PlainTextResponse:
        return PlainTextResponse("protected by the middleware")

    @app.get("/mw/api")
    async def mw_api(request: Request) -> dict[str, str]:
        return {"data": "api"}

    @app.get("/open")
    async def open_page() -> PlainTextResponse:
        return PlainTextResponse("open")

    app.add_middleware(NextAuthMiddleware, middleware=with_auth(inner, secret=SECRET), matcher=["/mw/:path*"])
    return app


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    patch = pytest.MonkeyPatch()
    patch.setenv("NEXTAUTH_URL", base)
    patch.delenv("NEXTAUTH_SECRET", raising=False)
    server = uvicorn.Server(uvicorn.Config(make_app(), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:  # uvicorn exposes no event; its flag flips once it listens
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
        patch.undo()


def sign_in(http: httpx.Client) -> None:
    csrf = http.get("/api/auth/csrf").json()["csrfToken"]
    response = http.post(
        "/api/auth/callback/credentials",
        data={"csrfToken": csrf, "username": "alice", "password": "wonderland", "json": "true"},
    )
    assert response.status_code == 200 and "next-auth.session-token" in http.cookies


async def expired_cookie() -> str:
    return await encode(token={"name": "Alice", "email": "alice@example.com", "sub": "1"}, secret=SECRET, max_age=-60)


def test_signed_in_every_guard_and_the_middleware_let_the_request_through(base_url: str) -> None:
    with httpx.Client(base_url=base_url, follow_redirects=False) as http:
        sign_in(http)
        assert http.get("/dashboard").json() == {"name": "Alice"}
        assert http.get("/api/me").json() == {"email": "alice@example.com"}
        assert http.get("/home").json() == {"signed_in": True}
        page = http.get("/mw/page")
        assert (page.status_code, page.text, page.headers["x-user"]) == (
            200,
            "protected by the middleware",
            "alice@example.com",
        )
        assert http.get("/mw/api").json() == {"data": "api"}


def test_signed_out_pages_redirect_apis_answer_401_and_the_optional_guard_gives_none(base_url: str) -> None:
    with httpx.Client(base_url=base_url, follow_redirects=False) as http:
        page = http.get("/dashboard?tab=1", headers={"accept": "application/json"})  # Accept changes nothing
        api = http.get("/api/me", headers={"accept": "text/html"})
        home = http.get("/home")
        mw_page = http.get("/mw/page")
        mw_api = http.get("/mw/api", headers={"accept": "application/json"})
        open_page = http.get("/open")
    assert (page.status_code, page.headers["location"]) == (307, "/api/auth/signin?callbackUrl=%2Fdashboard%3Ftab%3D1")
    assert api.status_code == 401 and api.json() == {"detail": "Not authenticated"}
    assert api.headers["www-authenticate"] == (
        'Cookie realm="nextauth", form-action="/api/auth/signin", cookie-name="next-auth.session-token"'
    )
    assert home.json() == {"signed_in": False}
    assert (mw_page.status_code, mw_page.headers["location"]) == (307, "/api/auth/signin?callbackUrl=%2Fmw%2Fpage")
    assert (mw_api.status_code, mw_api.text) == (307, "/api/auth/signin?callbackUrl=%2Fmw%2Fapi")  # as next-auth
    assert open_page.text == "open"


async def test_an_expired_session_token_counts_as_signed_out(base_url: str) -> None:
    cookie = {"next-auth.session-token": await expired_cookie()}
    async with httpx.AsyncClient(base_url=base_url, follow_redirects=False, cookies=cookie) as http:
        page = await http.get("/dashboard")
        api = await http.get("/api/me")
        home = await http.get("/home")
        mw_page = await http.get("/mw/page")
    assert page.status_code == 307 and api.status_code == 401 and home.json() == {"signed_in": False}
    assert mw_page.status_code == 307


@pytest.mark.parametrize(
    ("nextauth_url", "cookie"),
    [
        ("example.com", "__Secure-next-auth.session-token"),  # next-auth reads a schemeless URL as https
        ("https://app.example.com", "__Secure-next-auth.session-token"),
        ("http://localhost:3000", "next-auth.session-token"),
    ],
)
def test_the_api_challenge_names_the_cookie_the_handler_sets(
    monkeypatch: pytest.MonkeyPatch, nextauth_url: str, cookie: str
) -> None:
    from nextauth._core.init import resolve_cookies
    from nextauth._lib.url import parse_url
    from nextauth.fastapi import SessionGuard
    from nextauth.options import AuthOptions
    from nextauth.providers.credentials import CredentialsProvider

    monkeypatch.setenv("NEXTAUTH_URL", nextauth_url)
    options = AuthOptions(providers=[CredentialsProvider(authorize=lambda credentials, request: None)], secret="s" * 32)
    assert resolve_cookies(options, parse_url(nextauth_url)).session_token.name == cookie
    assert SessionGuard(options)._cookie_name() == cookie
