"""App-style route handlers and pages: methods as Next.js's route modules answer them."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from serverkit import build, client

from nextauth.server import create_app

GET_POST = """
    from starlette.responses import JSONResponse, Response

    def GET(request, context):
        return Response("text from GET", status_code=400, media_type="text/plain;charset=UTF-8",
                        headers={"X-From": "GET"})

    async def POST(request, context):
        return JSONResponse({"posted": await request.json(), "params": context.params})
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return build(tmp_path, {"app/api/auth/[...nextauth]/route.py": GET_POST})


async def test_exported_methods_are_called_with_params(project: Path) -> None:
    async with client(create_app(project)) as http:
        got = await http.get("/api/auth/session")
        posted = await http.post("/api/auth/signin/github", json={"a": 1})
    assert (got.status_code, got.text, got.headers["x-from"]) == (400, "text from GET", "GET")
    assert posted.json() == {"posted": {"a": 1}, "params": {"nextauth": ["signin", "github"]}}


async def test_head_is_served_by_get_without_a_body(project: Path) -> None:
    """Golden ``unsupported`` [4]: next-auth's 400 through the GET export, headers kept, body empty."""
    async with client(create_app(project)) as http:
        head = await http.head("/api/auth/session")
    assert head.status_code == 400
    assert head.content == b""
    assert head.headers["content-type"] == "text/plain;charset=UTF-8"
    assert head.headers["content-length"] == str(len("text from GET"))


async def test_options_without_export_is_204_with_allow(project: Path) -> None:
    """Golden ``unsupported`` [5]."""
    async with client(create_app(project)) as http:
        response = await http.options("/api/auth/session")
    assert response.status_code == 204
    assert response.content == b""
    assert response.headers["allow"] == "GET, HEAD, OPTIONS, POST"
    assert "content-type" not in response.headers


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "PURGE"])
async def test_other_methods_are_405_empty_with_allow(project: Path, method: str) -> None:
    """Golden ``unsupported`` [2] [3]; the ``Allow`` header is this server's deliberate addition (RFC 9110)."""
    async with client(create_app(project)) as http:
        response = await http.request(method, "/api/auth/session")
    assert response.status_code == 405
    assert response.content == b""
    assert response.headers["allow"] == "GET, HEAD, OPTIONS, POST"
    assert "content-type" not in response.headers


async def test_explicit_head_and_options_exports_win(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            "app/r/route.py": """
                from starlette.responses import Response

                def HEAD(request, context):
                    return Response(headers={"X-Head": "own"})

                def OPTIONS(request, context):
                    return Response(status_code=200, headers={"X-Options": "own"})

                def DELETE(request, context):
                    return Response(status_code=202)
            """
        },
    )
    async with client(create_app(tmp_path)) as http:
        head = await http.head("/r")
        options = await http.options("/r")
        get = await http.get("/r")
        delete = await http.delete("/r")
    assert head.headers["x-head"] == "own"
    assert options.headers["x-options"] == "own"
    assert (get.status_code, get.headers["allow"]) == (405, "DELETE, HEAD, OPTIONS")
    assert delete.status_code == 202


async def test_handler_signatures_and_callable_objects(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            "app/one/[id]/route.py": """
                from starlette.responses import PlainTextResponse

                def GET(request):
                    return PlainTextResponse("one arg " + request.path_params["id"])
            """,
            "app/obj/[...rest]/route.py": """
                from starlette.responses import JSONResponse

                class Handler:  # what NextAuth(options) returns: an object with an async __call__
                    async def __call__(self, request, context):
                        return JSONResponse(context.params)

                GET = POST = Handler()
            """,
        },
    )
    async with client(create_app(tmp_path)) as http:
        assert (await http.get("/one/7")).text == "one arg 7"
        assert (await http.post("/obj/a/b")).json() == {"rest": ["a", "b"]}


async def test_handler_exception_is_500_without_details(tmp_path: Path, logs: pytest.LogCaptureFixture) -> None:
    build(tmp_path, {"app/boom/route.py": "def GET(request, context):\n    raise KeyError('secret-token-value')\n"})
    async with client(create_app(tmp_path)) as http:
        response = await http.get("/boom")
    assert (response.status_code, response.text) == (500, "Internal Server Error")
    assert "secret-token-value" not in response.text
    assert any(r.levelno == logging.ERROR and "app/boom/route.py" in r.getMessage() for r in logs.records)


async def test_returning_something_else_than_a_response_is_500_with_a_clear_log(
    tmp_path: Path, logs: pytest.LogCaptureFixture
) -> None:
    build(tmp_path, {"app/dict/route.py": "def GET(request, context):\n    return {'a': 1}\n"})
    async with client(create_app(tmp_path)) as http:
        response = await http.get("/dict")
    assert response.status_code == 500
    logged = "\n".join(str(r.exc_info[1]) for r in logs.records if r.exc_info)
    assert "returned dict, not a Response" in logged


async def test_starlette_http_exception_reaches_the_app_handlers(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            "app/teapot/route.py": """
                from starlette.exceptions import HTTPException

                def GET(request, context):
                    raise HTTPException(418, "short and stout")
            """
        },
    )
    async with client(create_app(tmp_path)) as http:
        response = await http.get("/teapot")
    assert (response.status_code, response.text) == (418, "short and stout")


async def test_pages_render_html_for_get_and_head_only(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            "app/page.py": "def page(request):\n    return '<h1>Home</h1>'\n",
            "app/blog/[slug]/page.py": """
                from starlette.responses import HTMLResponse

                async def page(request, context):
                    return HTMLResponse(f"<h1>{context.params['slug']}</h1>", headers={"X-Page": "blog"})
            """,
            "app/bad/page.py": "def page(request):\n    return 42\n",
        },
    )
    async with client(create_app(tmp_path)) as http:
        home = await http.get("/")
        blog = await http.get("/blog/hello")
        head = await http.head("/blog/hello")
        post = await http.post("/")
        bad = await http.get("/bad")
    assert (home.text, home.headers["content-type"]) == ("<h1>Home</h1>", "text/html; charset=utf-8")
    assert (blog.text, blog.headers["x-page"]) == ("<h1>hello</h1>", "blog")
    assert (head.status_code, head.content, head.headers["x-page"]) == (200, b"", "blog")
    assert (post.status_code, post.headers["allow"]) == (405, "GET, HEAD, OPTIONS")
    assert bad.status_code == 500
