"""Next.js's file-system routing: which file answers which URL, and which trees are refused at startup."""

from __future__ import annotations

from pathlib import Path

import pytest
from serverkit import ECHO_APP, ECHO_PAGES, build, client, raw_request

from nextauth.server import InvalidRouteError, ProjectNotFoundError, RouteConflictError, create_app
from nextauth.server._routes import RouteFile, RouteTable, discover, parse_segment


def named(text: str) -> str:
    """A pages route that answers with its own name (to see which file won)."""
    return f"def handler(req, res):\n    res.json({{'route': {text!r}, 'query': req.query}})\n"


def app_named(text: str) -> str:
    return (
        "from starlette.responses import JSONResponse\n"
        f"def GET(request, context):\n    return JSONResponse({{'route': {text!r}, 'params': context.params}})\n"
    )


@pytest.fixture
def precedence_project(tmp_path: Path) -> Path:
    return build(
        tmp_path,
        {
            "pages/api/docs/intro.py": named("static"),
            "pages/api/docs/[id].py": named("dynamic"),
            "pages/api/docs/[id]/edit.py": named("dynamic/edit"),
            "pages/api/docs/[...slug].py": named("catch-all"),
            "pages/api/shop/[[...parts]].py": named("optional"),
            "pages/api/index.py": named("api index"),
            "pages/index.py": named("root index"),
        },
    )


@pytest.mark.parametrize(
    ("url", "route", "query"),
    [
        pytest.param("/api/docs/intro", "static", {}, id="static-beats-dynamic"),
        pytest.param("/api/docs/other", "dynamic", {"id": "other"}, id="dynamic"),
        pytest.param("/api/docs/7/edit", "dynamic/edit", {"id": "7"}, id="dynamic-folder"),
        pytest.param("/api/docs/7/view", "catch-all", {"slug": ["7", "view"]}, id="backtrack-to-catch-all"),
        pytest.param("/api/docs/a/b/c", "catch-all", {"slug": ["a", "b", "c"]}, id="catch-all-many"),
        pytest.param("/api/shop", "optional", {}, id="optional-none-gives-no-key"),
        pytest.param("/api/shop/x/y", "optional", {"parts": ["x", "y"]}, id="optional-many"),
        pytest.param("/api", "api index", {}, id="index"),
        pytest.param("/", "root index", {}, id="root-index"),
        pytest.param("/api/docs/caf%C3%A9", "dynamic", {"id": "café"}, id="decoded"),
        pytest.param("/api/docs/a%2Fb", "dynamic", {"id": "a/b"}, id="encoded-slash-stays-in-segment"),
        pytest.param("/api/docs/a%2Fb/c", "catch-all", {"slug": ["a/b", "c"]}, id="encoded-slash-catch-all"),
    ],
)
async def test_precedence_and_parameters(
    precedence_project: Path, url: str, route: str, query: dict[str, object]
) -> None:
    async with client(create_app(precedence_project)) as http:
        response = await http.get(url)
    assert response.status_code == 200
    assert response.json() == {"route": route, "query": query}


async def test_catch_all_needs_a_segment(tmp_path: Path) -> None:
    build(tmp_path, {"pages/api/docs/[...slug].py": named("catch-all")})
    async with client(create_app(tmp_path)) as http:
        assert (await http.get("/api/docs")).status_code == 404
        assert (await http.get("/api/docs/x")).status_code == 200


async def test_app_router_groups_private_folders_and_colocated_files(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            "app/(shop)/cart/route.py": app_named("cart"),
            "app/(shop)/cart/helpers.py": "raise RuntimeError('colocated files are not routes and not imported')\n",
            "app/_internal/secret/route.py": app_named("private"),
            "app/%5Funderscore/route.py": app_named("underscore"),
            "app/items/[id]/route.py": app_named("item"),
            "app/files/[[...path]]/route.py": app_named("files"),
            "app/route.py": app_named("root"),
        },
    )
    async with client(create_app(tmp_path)) as http:
        assert (await http.get("/cart")).json() == {"route": "cart", "params": {}}
        assert (await http.get("/(shop)/cart")).status_code == 404
        assert (await http.get("/_internal/secret")).status_code == 404
        assert (await http.get("/_underscore")).json()["route"] == "underscore"
        assert (await http.get("/items/9")).json() == {"route": "item", "params": {"id": "9"}}
        assert (await http.get("/files")).json() == {"route": "files", "params": {}}
        assert (await http.get("/files/a/b")).json() == {"route": "files", "params": {"path": ["a", "b"]}}
        assert (await http.get("/")).json()["route"] == "root"


async def test_private_files_and_init_files_are_not_routes(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            "pages/api/_util.py": "raise RuntimeError('not a route')\n",
            "pages/api/__init__.py": "",
            "pages/api/_lib/thing.py": "raise RuntimeError('not a route')\n",
            "pages/api/notes.txt": "not python",
            "pages/api/ok.py": named("ok"),
        },
    )
    sources = discover(tmp_path)
    assert [s.rel for s in sources] == ["pages/api/ok.py"]
    async with client(create_app(tmp_path)) as http:
        assert (await http.get("/api/_util")).status_code == 404
        assert (await http.get("/api/ok")).json()["route"] == "ok"


async def test_src_directory_is_used_when_there_is_no_top_level_tree(tmp_path: Path) -> None:
    build(tmp_path, {"src/pages/api/hello.py": named("src")})
    async with client(create_app(tmp_path)) as http:
        assert (await http.get("/api/hello")).json()["route"] == "src"


async def test_pages_and_app_routes_coexist_with_static_first(tmp_path: Path) -> None:
    build(
        tmp_path,
        {"pages/api/[name].py": named("pages dynamic"), "app/api/fixed/route.py": app_named("app static")},
    )
    async with client(create_app(tmp_path)) as http:
        assert (await http.get("/api/fixed")).json()["route"] == "app static"
        assert (await http.get("/api/other")).json()["route"] == "pages dynamic"


# -- trailing slashes, odd paths -------------------------------------------------------------------------


async def test_trailing_slash_redirects_permanently_keeping_the_query(precedence_project: Path) -> None:
    async with client(create_app(precedence_project)) as http:
        response = await http.post("/api/docs/intro/?a=1&b=%20", follow_redirects=False)
        unknown = await http.get("/no/such/page/", follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == "/api/docs/intro?a=1&b=%20"
    assert unknown.status_code == 308  # as Next.js: normalise first, 404 after
    assert unknown.headers["location"] == "/no/such/page"


@pytest.mark.parametrize(
    ("raw_path", "location"),
    [
        pytest.param(b"//evil.example/", "/evil.example", id="protocol-relative"),
        pytest.param(b"/\\evil.example", "/evil.example", id="backslash"),
        pytest.param(b"/api//docs///intro", "/api/docs/intro", id="repeated-slashes"),
    ],
)
async def test_odd_slashes_redirect_to_a_same_site_path(
    precedence_project: Path, raw_path: bytes, location: str
) -> None:
    status, headers = await raw_request(create_app(precedence_project), "GET", raw_path)
    assert status == 308
    assert dict(headers)["location"] == location


async def test_malformed_percent_encoding_is_a_bad_request(precedence_project: Path) -> None:
    app = create_app(precedence_project)
    assert (await raw_request(app, "GET", b"/api/docs/%zz"))[0] == 400
    assert (await raw_request(app, "GET", b"/api/docs/%ff"))[0] == 400  # not UTF-8


async def test_unknown_url_is_a_small_html_page_for_browsers_and_text_otherwise(precedence_project: Path) -> None:
    async with client(create_app(precedence_project)) as http:
        page = await http.get("/nope", headers={"accept": "text/html,application/xhtml+xml"})
        text = await http.get("/nope", headers={"accept": "application/json"})
    assert page.status_code == 404
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "This page could not be found" in page.text
    assert text.status_code == 404
    assert text.headers["content-type"] == "text/plain; charset=utf-8"


async def test_echo_routes_see_path_params(tmp_path: Path) -> None:
    build(tmp_path, {"app/u/[user]/[...rest]/route.py": ECHO_APP, "pages/api/echo.py": ECHO_PAGES})
    async with client(create_app(tmp_path)) as http:
        body = (await http.get("/u/ann/x/y")).json()
    assert body == {"params": {"user": "ann", "rest": ["x", "y"]}, "path_params": {"user": "ann", "rest": ["x", "y"]}}


# -- refused trees ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "names"),
    [
        pytest.param(
            {"pages/api/hello.py": named("p"), "app/api/hello/route.py": app_named("a")},
            ["pages/api/hello.py", "app/api/hello/route.py"],
            id="pages-and-app",
        ),
        pytest.param(
            {"pages/api/users.py": named("a"), "pages/api/users/index.py": named("b")},
            ["pages/api/users.py", "pages/api/users/index.py"],
            id="file-and-index",
        ),
        pytest.param(
            {"pages/api/users/[id].py": named("a"), "pages/api/users/[name]/posts.py": named("b")},
            ["pages/api/users/[id].py", "pages/api/users/[name]/posts.py"],
            id="two-dynamic-names",
        ),
        pytest.param(
            {"pages/api/x/[id].py": named("a"), "app/api/x/[slug]/route.py": app_named("b")},
            ["pages/api/x/[id].py", "app/api/x/[slug]/route.py"],
            id="two-dynamic-names-across-trees",
        ),
        pytest.param(
            {"app/(a)/same/route.py": app_named("a"), "app/(b)/same/route.py": app_named("b")},
            ["app/(a)/same/route.py", "app/(b)/same/route.py"],
            id="two-groups",
        ),
        pytest.param(
            {"app/both/route.py": app_named("a"), "app/both/page.py": "def page(request):\n    return ''\n"},
            ["app/both/page.py", "app/both/route.py"],
            id="route-and-page",
        ),
        pytest.param(
            {"pages/api/docs/index.py": named("a"), "pages/api/docs/[[...slug]].py": named("b")},
            ["pages/api/docs/index.py", "pages/api/docs/[[...slug]].py"],
            id="index-and-optional-catch-all",
        ),
        pytest.param(
            {"pages/api/d/[...a].py": named("a"), "pages/api/d/[[...b]].py": named("b")},
            ["pages/api/d/[...a].py", "pages/api/d/[[...b]].py"],
            id="catch-all-and-optional",
        ),
    ],
)
def test_conflicts_name_both_files(tmp_path: Path, files: dict[str, str], names: list[str]) -> None:
    build(tmp_path, files)
    with pytest.raises(RouteConflictError) as caught:
        create_app(tmp_path)
    for name in names:
        assert name in str(caught.value)


def test_conflicts_are_found_before_any_route_file_runs(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            "pages/api/a.py": "raise RuntimeError('must not be imported')\n",
            "pages/api/hello.py": named("p"),
            "app/api/hello/route.py": app_named("a"),
        },
    )
    with pytest.raises(RouteConflictError):
        create_app(tmp_path)


@pytest.mark.parametrize(
    ("rel", "message"),
    [
        pytest.param("pages/api/[[id]].py", "optional catch-all", id="optional-non-catch-all"),
        pytest.param("pages/api/[...all]/more.py", "last part", id="catch-all-not-last"),
        pytest.param("pages/api/[id]/[id].py", "twice", id="repeated-name"),
        pytest.param("pages/api/[].py", "not a valid dynamic segment", id="empty-name"),
        pytest.param("app/@modal/route.py", "parallel routes", id="parallel-route"),
        pytest.param("app/(.)photo/route.py", "intercepting routes", id="intercepting-route"),
    ],
)
def test_malformed_names_are_refused(tmp_path: Path, rel: str, message: str) -> None:
    body = app_named("x") if rel.startswith("app/") else named("x")
    build(tmp_path, {rel: body})
    with pytest.raises(InvalidRouteError, match=message):
        create_app(tmp_path)


@pytest.mark.parametrize(
    ("rel", "body", "message"),
    [
        pytest.param("pages/api/x.py", "def GET(request, context): ...\n", "app/<path>/route.py", id="pages-with-GET"),
        pytest.param("pages/api/x.py", "handler = 3\n", "not int", id="pages-handler-not-callable"),
        pytest.param("app/x/route.py", "def get(request): ...\n", "upper case", id="app-lowercase"),
        pytest.param("app/x/route.py", "def handler(req, res): ...\n", "pages/<path>.py", id="app-with-handler"),
        pytest.param("app/x/page.py", "def render(request): ...\n", r"define page\(request\)", id="page-without-page"),
        pytest.param(
            "pages/api/x.py",
            "config = {'api': {'bodyParser': {'sizeLimit': 'lots'}}}\ndef handler(req, res): ...\n",
            "sizeLimit",
            id="bad-size-limit",
        ),
    ],
)
def test_wrong_exports_are_refused_with_a_hint(tmp_path: Path, rel: str, body: str, message: str) -> None:
    build(tmp_path, {rel: body})
    with pytest.raises(InvalidRouteError, match=message) as caught:
        create_app(tmp_path)
    assert rel in str(caught.value)


def test_missing_project_or_tree(tmp_path: Path) -> None:
    with pytest.raises(ProjectNotFoundError, match="no such directory"):
        create_app(tmp_path / "missing")
    with pytest.raises(ProjectNotFoundError, match="neither pages/ nor app/"):
        create_app(tmp_path)


# -- the matcher on its own --------------------------------------------------------------------------------


def _table(*patterns: str) -> RouteTable[str]:
    table: RouteTable[str] = RouteTable()
    for pattern in patterns:
        parts = [p for p in pattern.split("/") if p]
        segments = tuple(parse_segment(p, pattern) for p in parts)
        table.add(RouteFile("pages", Path(pattern), pattern, segments), pattern)
    return table


@pytest.mark.parametrize(
    ("patterns", "path", "expected"),
    [
        (("/a/[id]/y", "/[first]/x/z"), "/a/x/y", "/a/[id]/y"),
        (("/a/[id]/y", "/[first]/x/z"), "/a/x/z", "/[first]/x/z"),  # back up past the static "a"
        (("/a/[id]/y", "/[first]/x/z"), "/b/x/z", "/[first]/x/z"),
        # Next.js's sorted list puts every route under "a" before "[first]": the catch-all wins.
        (("/a/[id]/y", "/[first]/x/z", "/a/[...rest]"), "/a/x/z", "/a/[...rest]"),
        (("/a/[id]/y", "/[first]/x/z", "/a/[...rest]"), "/c", None),
    ],
)
def test_matcher_backtracks_like_nextjs_sorted_routes(
    patterns: tuple[str, ...], path: str, expected: str | None
) -> None:
    found = _table(*patterns).match([p for p in path.split("/") if p])
    assert (found.target if found else None) == expected


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        pytest.param({"path": "/a/b", "raw_path": b"/a/b%2Fc"}, ("", "/a/b%2Fc"), id="raw"),
        pytest.param({"path": "/a b/c"}, ("", "/a%20b/c"), id="no-raw-path"),
        pytest.param({"path": "/sub/x", "raw_path": b"/sub/x", "root_path": "/sub"}, ("/sub", "/x"), id="mounted"),
        pytest.param(
            {"path": "/subway", "raw_path": b"/subway", "root_path": "/sub"}, ("", "/subway"), id="not-below-root"
        ),
    ],
)
def test_raw_paths(scope: dict[str, object], expected: tuple[str, str]) -> None:
    from nextauth.server._asgi import raw_paths

    assert raw_paths(scope) == expected
