"""A project's middleware.py in the project server: when it runs, what each kind of answer does, and mistakes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from serverkit import build, client, raw_request

from nextauth.jwt import encode
from nextauth.server import InvalidRouteError, RouteImportError, create_app

SECRET = "middleware-test-secret-0123456789abcdef"

ROUTES = {
    "app/route.py": """
        from starlette.responses import PlainTextResponse

        def GET(request):
            return PlainTextResponse("home")
    """,
    "app/dashboard/[[...slug]]/route.py": """
        from starlette.responses import PlainTextResponse

        async def GET(request):
            return PlainTextResponse("dashboard", headers={"x-route": "yes"})

        async def POST(request):
            return PlainTextResponse("posted " + (await request.body()).decode())
    """,
    "app/denied/route.py": """
        from starlette.responses import PlainTextResponse

        def GET(request):
            return PlainTextResponse("denied " + request.url.query, status_code=403)
    """,
    "app/public/route.py": """
        from starlette.responses import PlainTextResponse

        def GET(request):
            return PlainTextResponse("public")
    """,
}


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("NEXTAUTH_URL", "http://testserver")
    monkeypatch.setenv("NEXTAUTH_SECRET", SECRET)
    monkeypatch.delenv("AUTH_SECRET", raising=False)
    yield


def project(tmp_path: Path, middleware: str) -> Path:
    return build(tmp_path, {**ROUTES, "middleware.py": middleware})


CALLS = """
    from nextauth.middleware import next_response, redirect, rewrite

    calls = []
    config = {"matcher": ["/dashboard/:path*"]}
"""


async def test_the_middleware_runs_only_for_paths_the_matcher_selects_routed_or_not(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            **ROUTES,
            "middleware.py": CALLS
            + """
    def middleware(request):
        calls.append(request.pathname)
        return next_response(headers={"x-seen": request.pathname})
    """,
        },
    )
    async with client(create_app(tmp_path, load_env=False)) as http:
        dashboard = await http.get("/dashboard/a/b")
        public = await http.get("/public")
        missing = await http.get("/dashboard/missing/../../nothing-here")  # httpx resolves the dots
        unrouted = await http.get("/dashboardxjson")  # selected by "(.json)?", no route: 404 after the middleware
    assert (dashboard.status_code, dashboard.text, dashboard.headers["x-seen"]) == (200, "dashboard", "/dashboard/a/b")
    assert dashboard.headers["x-route"] == "yes"
    assert public.text == "public" and "x-seen" not in public.headers
    assert missing.status_code == 404 and "x-seen" not in missing.headers
    assert unrouted.status_code == 404 and unrouted.headers["x-seen"] == "/dashboardxjson"
    import sys

    module = next(
        m for m in list(sys.modules.values()) if getattr(m, "__file__", None) == str(tmp_path / "middleware.py")
    )
    assert module.calls == ["/dashboard/a/b", "/dashboardxjson"]


async def test_redirect_rewrite_and_own_answers(tmp_path: Path) -> None:
    project(
        tmp_path,
        CALLS
        + """
    from starlette.responses import JSONResponse

    async def middleware(request):
        if request.pathname == "/dashboard/old":
            return redirect("/dashboard/new", 308)
        if request.pathname == "/dashboard/secret":
            return rewrite("/denied?why=role", headers={"x-rewritten": "1"})
        if request.pathname == "/dashboard/json":
            return JSONResponse({"from": "middleware"}, status_code=418)
        return None
    """,
    )
    async with client(create_app(tmp_path, load_env=False)) as http:
        moved = await http.get("/dashboard/old", follow_redirects=False)
        head = await http.head("/dashboard/old", follow_redirects=False)
        secret = await http.get("/dashboard/secret")
        own = await http.get("/dashboard/json")
        through = await http.get("/dashboard")
    assert (moved.status_code, moved.headers["location"], moved.text) == (308, "/dashboard/new", "/dashboard/new")
    assert "content-type" not in moved.headers
    assert (head.status_code, head.content) == (308, b"")
    assert (secret.status_code, secret.text, secret.headers["x-rewritten"]) == (403, "denied why=role", "1")
    assert str(secret.url).endswith("/dashboard/secret")
    assert (own.status_code, own.json()) == (418, {"from": "middleware"})
    assert through.text == "dashboard"


async def test_a_body_the_middleware_reads_still_reaches_the_route(tmp_path: Path) -> None:
    project(
        tmp_path,
        CALLS
        + """
    async def middleware(request):
        return next_response(headers={"x-body-length": str(len(await request.body()))})
    """,
    )
    async with client(create_app(tmp_path, load_env=False)) as http:
        response = await http.post("/dashboard", content=b"hello")
    assert (response.text, response.headers["x-body-length"]) == ("posted hello", "5")


async def test_trailing_and_repeated_slashes_are_redirected_before_the_middleware(tmp_path: Path) -> None:
    project(tmp_path, CALLS + "\n    def middleware(request):\n        return redirect('/public')\n")
    app = create_app(tmp_path, load_env=False)
    async with client(app) as http:
        slash = await http.get("/dashboard/", follow_redirects=False)
    assert (slash.status_code, slash.headers["location"], slash.text) == (308, "/dashboard", "/dashboard")
    status, headers = await raw_request(app, "GET", b"//dashboard")
    assert (status, dict(headers)["location"]) == (308, "/dashboard")


async def test_dot_segments_cannot_walk_past_the_matcher(tmp_path: Path) -> None:
    # Next.js tests the raw path, so "/public/%2e%2e/dashboard" would not be selected although it names
    # /dashboard; here the resolved spelling is tested too, and the middleware sees the resolved path.
    project(
        tmp_path, CALLS + "\n    def middleware(request):\n        return redirect('/denied?p=' + request.pathname)\n"
    )
    app = create_app(tmp_path, load_env=False)
    tried = [
        b"/public/%2e%2e/dashboard",
        b"/public/%2E%2e/dashboard/x",
        b"/public/.%2e/dashboard",
        b"/x/./../dashboard",
    ]
    answers = [await raw_request(app, "GET", path) for path in tried]
    assert [status for status, _ in answers] == [307] * len(tried)
    assert [dict(h)["location"] for _, h in answers] == [
        "/denied?p=/dashboard",
        "/denied?p=/dashboard/x",
        "/denied?p=/dashboard",
        "/denied?p=/dashboard",
    ]


async def test_an_exception_or_a_wrong_return_is_a_500_without_details(tmp_path: Path) -> None:
    project(
        tmp_path,
        CALLS
        + """
    def middleware(request):
        if request.pathname == "/dashboard/type":
            return "not a response"
        raise RuntimeError("secret detail")
    """,
    )
    async with client(create_app(tmp_path, load_env=False)) as http:
        boom = await http.get("/dashboard")
        wrong = await http.get("/dashboard/type")
    assert (boom.status_code, boom.text) == (500, "Internal Server Error")
    assert (wrong.status_code, wrong.text) == (500, "Internal Server Error")


@pytest.mark.parametrize(
    ("source", "error", "message"),
    [
        ("middleware = 42\n", InvalidRouteError, "must define a function middleware(request)"),
        ("def handler(request): ...\n", InvalidRouteError, "must define a function middleware(request)"),
        (
            "def middleware(request): ...\nconfig = {'matcher': 'dashboard'}\n",
            InvalidRouteError,
            "config['matcher']: 'dashboard': a matcher entry must start with '/'",
        ),
        (
            "def middleware(request): ...\nconfig = {'matchers': ['/a']}\n",
            InvalidRouteError,
            "config supports only 'matcher'",
        ),
        ("def middleware(request): ...\nconfig = ['/a']\n", InvalidRouteError, "config must be a dict"),
        ("import no_such_module\n", RouteImportError, "middleware.py could not be imported"),
    ],
)
def test_mistakes_in_middleware_py_fail_at_startup_naming_the_file(
    tmp_path: Path, source: str, error: type[Exception], message: str
) -> None:
    build(tmp_path, {**ROUTES, "middleware.py": source})
    with pytest.raises(error) as info:
        create_app(tmp_path, load_env=False)
    assert "middleware.py" in str(info.value) and message in str(info.value)


# -- with_auth in the server -------------------------------------------------------------------------------


async def _cookie(claims: dict[str, object], secret: str = SECRET, max_age: int = 3600) -> str:
    return "next-auth.session-token=" + await encode(token=claims, secret=secret, max_age=max_age)


async def test_plain_with_auth_as_the_middleware(tmp_path: Path) -> None:
    project(
        tmp_path,
        """
    from nextauth.middleware import with_auth as middleware

    config = {"matcher": "/dashboard/:path*"}
    """,
    )
    good = await _cookie({"sub": "1", "email": "a@example.com"})
    async with client(create_app(tmp_path, load_env=False)) as http:
        anonymous = await http.get("/dashboard/a?q=a b&u=ü", follow_redirects=False)
        signed_in = await http.get("/dashboard", headers={"cookie": good})
        expired = await http.get("/dashboard", headers={"cookie": await _cookie({"sub": "1"}, max_age=-60)})
        foreign = await http.get("/dashboard", headers={"cookie": await _cookie({"sub": "1"}, "other-secret-xyz")})
        bearer = await http.get("/dashboard", headers={"authorization": "Bearer " + good.partition("=")[2]})
    assert anonymous.status_code == 307
    assert anonymous.headers["location"] == (
        "/api/auth/signin?callbackUrl=%2Fdashboard%2Fa%3Fq%3Da%2Bb%26u%3D%25C3%25BC"
    )
    assert (signed_in.status_code, signed_in.text) == (200, "dashboard")
    assert expired.status_code == foreign.status_code == 307
    assert bearer.status_code == 200


async def test_with_auth_options_inner_function_and_token(tmp_path: Path) -> None:
    project(
        tmp_path,
        """
    from nextauth.middleware import next_response, redirect, with_auth

    config = {"matcher": ["/dashboard/:path*"]}

    async def authorized(token, request):
        if request.pathname.startswith("/dashboard/admin"):
            return bool(token) and token.get("role") == "admin"
        return None

    def inner(request):
        return next_response(headers={"x-sub": request.nextauth.token["sub"]})

    middleware = with_auth(
        inner,
        {
            "callbacks": {"authorized": authorized},
            "pages": {"signIn": "/public"},
            "cookies": {"sessionToken": {"name": "sid"}},
        },
    )
    """,
    )
    user = (await _cookie({"sub": "7", "role": "user"})).replace("next-auth.session-token", "sid")
    async with client(create_app(tmp_path, load_env=False)) as http:
        page = await http.get("/dashboard", headers={"cookie": user})
        admin = await http.get("/dashboard/admin", headers={"cookie": user}, follow_redirects=False)
        default_name = await http.get(
            "/dashboard", headers={"cookie": await _cookie({"sub": "7"})}, follow_redirects=False
        )
    assert (page.status_code, page.headers["x-sub"]) == (200, "7")
    assert admin.headers["location"] == "/public?callbackUrl=%2Fdashboard%2Fadmin"
    assert default_name.headers["location"] == "/public?callbackUrl=%2Fdashboard"


async def test_with_auth_without_a_secret_sends_everyone_to_the_error_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, "from nextauth.middleware import with_auth as middleware\n")
    monkeypatch.delenv("NEXTAUTH_SECRET")
    cookie = await _cookie({"sub": "1"})
    async with client(create_app(tmp_path, load_env=False)) as http:
        response = await http.get("/dashboard", headers={"cookie": cookie}, follow_redirects=False)
        auth_route = await http.get("/api/auth/session", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (307, "/api/auth/error?error=Configuration")
    assert auth_route.status_code == 404  # skipped by with_auth: no such route in this project


async def test_with_auth_custom_decode(tmp_path: Path) -> None:
    project(
        tmp_path,
        """
    from nextauth.middleware import with_auth

    def decode(token, secret):
        return {"sub": token} if token.startswith("ok-") else None

    middleware = with_auth(jwt={"decode": decode})
    """,
    )
    async with client(create_app(tmp_path, load_env=False)) as http:
        ok = await http.get("/dashboard", headers={"cookie": "next-auth.session-token=ok-1"})
        bad = await http.get("/dashboard", headers={"cookie": "next-auth.session-token=no"}, follow_redirects=False)
    assert (ok.status_code, bad.status_code) == (200, 307)
