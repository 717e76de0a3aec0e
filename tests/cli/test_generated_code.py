"""The generated code at work in the runtime: the shared cookie domain, the redirect callback, the demo user."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from clikit import FIXED_DEMO, new_project


@pytest.fixture
def isolated() -> Iterator[None]:
    environ, path, modules = dict(os.environ), list(sys.path), set(sys.modules)
    yield
    os.environ.clear()
    os.environ.update(environ)
    sys.path[:] = path
    for name in set(sys.modules) - modules:
        del sys.modules[name]


def _load(project: Path, **env: str) -> ModuleType:
    """The project's auth_options module, imported as the server imports it, with ``env`` set."""
    os.environ.update(env)
    sys.path.insert(0, str(project))
    for name in ("auth_options", "auth_callbacks"):
        sys.modules.pop(name, None)
    import importlib

    return importlib.import_module("auth_options")


@pytest.mark.parametrize(
    ("url", "shared"),
    [("https://app.example.com", True), ("https://example.com", True), ("http://localhost:3000", False)],
)
def test_the_session_cookie_is_shared_only_on_its_domain(
    isolated: None, tmp_path: Path, url: str, shared: bool
) -> None:
    project = new_project(
        tmp_path / "p", providers=["credentials"], production_url="https://app.example.com", cookie_domain="example.com"
    )
    options = _load(project, NEXTAUTH_URL=url).auth_options
    cookie = options.cookies.session_token
    if not shared:
        assert cookie is None  # the runtime's default, host-only cookie
        return
    assert cookie.name == "__Secure-next-auth.session-token"
    assert (cookie.options.domain, cookie.options.secure, cookie.options.http_only) == (".example.com", True, True)


async def test_a_sign_in_sets_the_shared_cookie(isolated: None, tmp_path: Path) -> None:
    from nextauth.server import create_app

    project = new_project(
        tmp_path / "p", providers=["credentials"], production_url="https://app.example.com", cookie_domain="example.com"
    )
    os.environ["NEXTAUTH_URL"] = "https://app.example.com"
    app = create_app(project)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://app.example.com") as client:
        csrf = (await client.get("/api/auth/csrf")).json()["csrfToken"]
        response = await client.post(
            "/api/auth/callback/credentials",
            data={"username": FIXED_DEMO[0], "password": FIXED_DEMO[1], "csrfToken": csrf, "json": "true"},
        )
        assert response.status_code == 200
        cookie = next(c for c in response.headers.get_list("set-cookie") if "session-token" in c)
        assert cookie.startswith("__Secure-next-auth.session-token=") and "Domain=.example.com" in cookie
        assert (await client.get("/api/auth/session")).json()["user"]["name"] == FIXED_DEMO[0]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/dashboard", "https://app.example.com/dashboard"),
        ("https://app.example.com/x?y=1", "https://app.example.com/x?y=1"),
        ("https://APP.example.com:443/x", "https://APP.example.com:443/x"),
        ("https://app.example.com.evil.net/", "https://app.example.com"),
        ("http://app.example.com/", "https://app.example.com"),
        ("https://app.example.com:8443/", "https://app.example.com"),
        ("javascript:alert(1)", "https://app.example.com"),
        ("https://app.example.com:notaport/", "https://app.example.com"),
    ],
)
def test_the_redirect_callback_compares_origins(isolated: None, tmp_path: Path, url: str, expected: str) -> None:
    project = new_project(tmp_path / "p", providers=["credentials"], redirect_callback=True)
    callbacks = _load(project, NEXTAUTH_URL="http://localhost:3000").auth_options.callbacks
    assert callbacks.redirect(url=url, base_url="https://app.example.com") == expected


def test_the_demo_authorize_refuses_everything_without_its_variables(isolated: None, tmp_path: Path) -> None:
    project = new_project(tmp_path / "p", providers=["credentials"])
    authorize = _load(project).auth_options.providers[0].authorize
    user, password = FIXED_DEMO
    os.environ.pop("AUTH_DEMO_USERNAME", None)
    os.environ.pop("AUTH_DEMO_PASSWORD", None)
    assert authorize({"username": "", "password": ""}, {}) is None
    os.environ.update(AUTH_DEMO_USERNAME=user, AUTH_DEMO_PASSWORD=password)
    assert authorize({"username": user, "password": password + "x"}, {}) is None
    assert authorize({"username": user.upper(), "password": password}, {}) is None
    assert authorize({}, {}) is None
    assert authorize({"username": user, "password": password}, {}) == {
        "id": "demo",
        "name": user,
        "email": f"{user}@example.com",
    }


async def test_a_custom_base_path_moves_the_route_and_the_urls(isolated: None, tmp_path: Path) -> None:
    from nextauth.server import create_app

    project = new_project(tmp_path / "p", providers=["credentials", "github"], base_path="/auth")
    assert (project / "app/auth/[...nextauth]/route.py").is_file()
    assert "NEXTAUTH_URL=http://localhost:3000/auth\n" in (project / ".env.local").read_text()
    os.environ.update(GITHUB_ID="id", GITHUB_SECRET="secret")
    app = create_app(project)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://localhost:3000") as client:
        providers = (await client.get("/auth/providers")).json()
    assert providers["github"]["callbackUrl"] == "http://localhost:3000/auth/callback/github"
