"""docs/protecting-routes.md: every Python example runs as pasted and does what the text says."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from serverkit import build, client

from nextauth.jwt import encode
from nextauth.middleware import MiddlewareRequest
from nextauth.server import create_app

ROOT = Path(__file__).resolve().parents[2]
TEXT = (ROOT / "docs" / "protecting-routes.md").read_text(encoding="utf-8")
BLOCKS = {
    title: textwrap.dedent(body)
    for title, body in re.findall(r'```python title="([^"]+)"\n(.*?)```', TEXT, flags=re.S)
    if title != "middleware.py"
}
MIDDLEWARES = [
    textwrap.dedent(b)
    for t, b in re.findall(r'```python title="([^"]+)"\n(.*?)```', TEXT, re.S)
    if t == "middleware.py"
]
SECRET = "docs-test-secret-0123456789abcdef01234567"


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("NEXTAUTH_URL", "http://testserver")
    monkeypatch.setenv("NEXTAUTH_SECRET", SECRET)
    yield


def run(code: str, where: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "docs_example"}
    exec(compile(code, where, "exec"), namespace)
    return namespace


def test_there_are_the_examples_the_page_promises() -> None:
    assert len(MIDDLEWARES) == 3 and set(BLOCKS) == {"main.py", "app.py"}


ROUTES = {
    f"app/{name}/route.py": f"""
        from starlette.responses import PlainTextResponse

        def GET(request):
            return PlainTextResponse("{name}")
    """
    for name in ("dashboard/[[...rest]]", "blog/[...slug]", "coming-soon", "beta", "admin", "login")
}


async def serve_middleware(tmp_path: Path, index: int) -> httpx.AsyncClient:
    build(tmp_path, {**ROUTES, "middleware.py": MIDDLEWARES[index]})
    return client(create_app(tmp_path, load_env=False))


async def test_the_first_middleware_redirects_to_the_sign_in_page(tmp_path: Path) -> None:
    async with await serve_middleware(tmp_path, 0) as http:
        response = await http.get("/dashboard/settings?tab=2", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "/api/auth/signin?callbackUrl=%2Fdashboard%2Fsettings%3Ftab%3D2"


async def test_the_hand_written_middleware(tmp_path: Path) -> None:
    async with await serve_middleware(tmp_path, 1) as http:
        moved = await http.get("/old-blog/post-1", follow_redirects=False)
        beta = await http.get("/beta")
        status = await http.get("/api/status")
    assert (moved.status_code, moved.headers["location"]) == (308, "/blog/post-1")
    assert beta.text == "coming-soon" and str(beta.url).endswith("/beta")
    assert status.json() == {"ok": True}


async def test_the_with_auth_example(tmp_path: Path) -> None:
    user = await encode(token={"sub": "1", "email": "u@example.com"}, secret=SECRET)
    admin = await encode(token={"sub": "2", "email": "a@example.com", "role": "admin"}, secret=SECRET)
    async with await serve_middleware(tmp_path, 2) as http:
        anonymous = await http.get("/dashboard", follow_redirects=False)
        as_user = {"cookie": f"next-auth.session-token={user}"}
        page = await http.get("/dashboard", headers=as_user)
        not_admin = await http.get("/admin", headers=as_user, follow_redirects=False)
        is_admin = await http.get("/admin", headers={"cookie": f"next-auth.session-token={admin}"})
        login = await http.get("/login")
    assert anonymous.headers["location"] == "/login?callbackUrl=%2Fdashboard"
    assert page.headers["x-user"] == "u@example.com"
    assert not_admin.headers["location"] == "/login?callbackUrl=%2Fadmin"
    assert is_admin.text == "admin" and login.text == "login"


async def test_the_fastapi_example() -> None:
    app = run(BLOCKS["main.py"], "protecting_routes_main.py")["app"]
    async with client(app) as http:
        page = await http.get("/dashboard", follow_redirects=False)
        api = await http.get("/api/me")
        home = await http.get("/")
        providers = await http.get("/api/auth/providers")
    assert (page.status_code, page.headers["location"]) == (307, "/api/auth/signin?callbackUrl=%2Fdashboard")
    assert api.status_code == 401 and "WWW-Authenticate" in api.headers
    assert home.json() == {"signed_in": False}
    assert "credentials" in providers.json()


async def test_the_starlette_example() -> None:
    app = run(BLOCKS["app.py"], "protecting_routes_app.py")["app"]
    token = await encode(token={"sub": "1"}, secret=SECRET)
    async with client(app) as http:
        anonymous = await http.get("/dashboard", follow_redirects=False)
        signed_in = await http.get("/dashboard", headers={"cookie": f"next-auth.session-token={token}"})
    assert anonymous.headers["location"] == "/api/auth/signin?callbackUrl=%2Fdashboard"
    assert signed_in.text == "only for signed-in users"
    assert MiddlewareRequest  # the page's names import
