"""The project server reaches a project route directly (no Starlette middleware stack or router) only when
nothing in those layers would act: middleware added to the app, a ``middleware.py`` that selects the path, an
``HTTPException`` handler, and the 431 header limit all still apply."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from serverkit import build, client
from starlette.types import ASGIApp, Receive, Scope, Send

from nextauth.server import create_app

ROUTES = {
    "app/open/route.py": """
        from starlette.responses import PlainTextResponse

        def GET(request, context):
            return PlainTextResponse("open " + str(request.app is not None))
    """,
    "app/dashboard/route.py": """
        from starlette.responses import PlainTextResponse

        def GET(request, context):
            return PlainTextResponse("dashboard")
    """,
    "app/teapot/route.py": """
        from starlette.exceptions import HTTPException

        def GET(request, context):
            raise HTTPException(418, "short and stout")
    """,
}

MIDDLEWARE = """
    from nextauth.middleware import redirect

    def middleware(request):
        return redirect("/open")

    config = {"matcher": ["/dashboard/:path*"]}
"""


async def test_a_route_no_layer_acts_on_is_served_without_the_middleware_stack(tmp_path: Path) -> None:
    app = create_app(build(tmp_path, ROUTES))
    async with client(app) as http:
        response = await http.get("/open")
        teapot = await http.get("/teapot")
    assert (response.status_code, response.text) == (200, "open True")
    assert (teapot.status_code, teapot.text) == (418, "short and stout")  # Starlette's answer, on the direct path
    assert app.middleware_stack is None  # never needed, so never built


async def test_middleware_py_still_runs_for_what_it_selects(tmp_path: Path) -> None:
    app = create_app(build(tmp_path, {**ROUTES, "middleware.py": MIDDLEWARE}))
    async with client(app) as http:
        selected = await http.get("/dashboard")
        other = await http.get("/open")
        missing = await http.get("/nowhere")
    assert (selected.status_code, selected.headers["location"]) == (307, "/open")
    assert (other.status_code, other.text) == (200, "open True")
    assert missing.status_code == 404


async def test_middleware_added_to_the_app_sees_project_routes(tmp_path: Path) -> None:
    app = create_app(build(tmp_path, ROUTES))
    seen: list[str] = []

    class Record:
        def __init__(self, inner: ASGIApp) -> None:
            self.inner = inner

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            seen.append(scope["path"])
            await self.inner(scope, receive, send)

    app.add_middleware(Record)
    async with client(app) as http:
        response = await http.get("/open")
    assert (response.status_code, seen) == (200, ["/open"])


async def test_the_header_limit_still_applies(tmp_path: Path) -> None:
    app = create_app(build(tmp_path, ROUTES))
    async with client(app) as http:
        response = await http.get("/open", headers={f"x-h{i}": "v" for i in range(300)})
    assert response.status_code == 431


def test_the_served_app_leaves_start_up_objects_out_of_the_cyclic_gc(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What uvicorn serves (the factory's app) is built, then everything loaded so far is frozen: the collector
    does not walk the modules, the project and its options again on every collection."""
    from nextauth.server import PROJECT_DIR_ENV, create_app_from_env

    monkeypatch.setenv(PROJECT_DIR_ENV, str(build(tmp_path, ROUTES)))
    gc.unfreeze()
    try:
        create_app_from_env()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
