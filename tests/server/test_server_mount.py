"""A project's routes, or a NextAuth handler alone, inside someone else's Starlette or FastAPI app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from serverkit import ECHO_APP, build, client
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route

from nextauth.api import RouteContext
from nextauth.server import auth_routes, routes_from_project


class FakeAuth:
    """Stands in for ``NextAuth(options)``: an object with an async ``(request, context)`` call."""

    async def __call__(self, request: Request, context: RouteContext) -> Response:
        return JSONResponse({"method": request.method, "params": context.params, "query": dict(request.query_params)})


async def test_project_routes_beside_fastapi_routes(tmp_path: Path) -> None:
    build(
        tmp_path,
        {"app/api/items/[id]/route.py": ECHO_APP, "pages/api/hello.py": "def handler(req, res):\n    res.send('hi')\n"},
    )
    app = FastAPI()

    @app.get("/api/own")
    def own() -> dict[str, str]:
        return {"own": "yes"}

    app.router.routes.extend(routes_from_project(tmp_path))
    async with client(app) as http:
        assert (await http.get("/api/own")).json() == {"own": "yes"}
        assert (await http.get("/api/items/3")).json()["params"] == {"id": "3"}
        assert (await http.get("/api/hello")).text == "hi"
        assert (await http.get("/api/missing")).json() == {"detail": "Not Found"}  # FastAPI's own 404
        assert (await http.get("/api/hello/", follow_redirects=False)).status_code == 308
    assert "/api/own" in app.openapi()["paths"]
    assert len(app.openapi()["paths"]) == 1  # the project routes stay out of the schema


async def test_project_routes_under_a_mount(tmp_path: Path) -> None:
    build(tmp_path, {"app/u/[name]/route.py": ECHO_APP})
    app = Starlette(routes=[Mount("/sub", routes=routes_from_project(tmp_path))])
    async with client(app) as http:
        body = (await http.get("/sub/u/a%2Fb")).json()
        redirect = await http.get("/sub/u/x/?q=1", follow_redirects=False)
    assert body["params"] == {"name": "a/b"}
    assert redirect.headers["location"] == "/sub/u/x?q=1"


async def test_auth_routes_in_fastapi(tmp_path: Path) -> None:
    app = FastAPI()
    app.router.routes.extend(auth_routes(FakeAuth()))
    async with client(app) as http:
        get = await http.get("/api/auth/session?x=1")
        post = await http.post("/api/auth/callback/credentials")
        head = await http.head("/api/auth/session")
        options = await http.options("/api/auth/session")
        put = await http.put("/api/auth/session")
        bare = await http.get("/api/auth")
    assert get.json() == {"method": "GET", "params": {"nextauth": ["session"]}, "query": {"x": "1"}}
    assert post.json()["params"] == {"nextauth": ["callback", "credentials"]}
    assert (head.status_code, head.content) == (200, b"")
    assert (options.status_code, options.headers["allow"]) == (204, "GET, HEAD, OPTIONS, POST")
    assert (put.status_code, put.headers["allow"]) == (405, "GET, HEAD, OPTIONS, POST")
    assert bare.status_code == 404


async def test_auth_routes_with_a_custom_base_path_and_a_sync_function() -> None:
    def handler(request: Request, context: Any) -> Response:
        return PlainTextResponse("/".join(context.params["nextauth"]))

    app = Starlette(routes=[*auth_routes(handler, "/auth/v1/"), Route("/", lambda r: PlainTextResponse("home"))])
    async with client(app) as http:
        assert (await http.get("/auth/v1/signin/github")).text == "signin/github"
        assert (await http.get("/")).text == "home"
        assert (await http.get("/api/auth/session")).status_code == 404


@pytest.mark.parametrize("base_path", ["api/auth", "/api//auth", "/api/[x]"])
def test_auth_routes_rejects_bad_base_paths(base_path: str) -> None:
    with pytest.raises(ValueError, match="base_path"):
        auth_routes(FakeAuth(), base_path)


def test_auth_routes_rejects_a_non_callable() -> None:
    with pytest.raises(TypeError, match="NextAuth"):
        auth_routes({"providers": []})  # type: ignore[arg-type]
