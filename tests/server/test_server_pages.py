"""Pages-style API routes: the request a handler sees, and the response the client gets."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from serverkit import ECHO_PAGES, build, client

from nextauth.server import create_app


@pytest.fixture
def echo(tmp_path: Path) -> Path:
    return build(tmp_path, {"pages/api/echo.py": ECHO_PAGES, "pages/api/items/[id].py": ECHO_PAGES})


async def test_query_repeats_become_lists_and_segments_win(echo: Path) -> None:
    async with client(create_app(echo)) as http:
        body = (await http.get("/api/items/42?id=ignored&tag=a&tag=b&empty=&plus=a+b")).json()
    assert body["query"] == {"id": "42", "tag": ["a", "b"], "empty": "", "plus": "a b"}
    assert body["url"] == "/api/items/42?id=ignored&tag=a&tag=b&empty=&plus=a+b"
    assert body["method"] == "GET"


async def test_headers_are_lower_case_and_cookies_decoded(echo: Path) -> None:
    async with client(create_app(echo)) as http:
        body = (
            await http.get(
                "/api/echo",
                headers=[
                    ("X-Custom", "One"),
                    ("X-Custom", "Two"),
                    ("Cookie", 'a=%E2%9C%93; bad=%E0%A4%A; quoted="q%20v"; a=second'),
                ],
            )
        ).json()
    assert body["headers"]["x-custom"] == "One, Two"
    assert body["cookies"] == {"a": "✓", "bad": "%E0%A4%A", "quoted": "q v"}


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        pytest.param({"json": {"a": [1, 2], "b": None}}, {"a": [1, 2], "b": None}, id="json"),
        pytest.param(
            {"content": b'{"x": 1}', "headers": {"content-type": "application/ld+json; charset=utf-8"}},
            {"x": 1},
            id="ld-json",
        ),
        pytest.param(
            {"content": b"a=1&a=2&b=%20x&c", "headers": {"content-type": "application/x-www-form-urlencoded"}},
            {"a": ["1", "2"], "b": " x", "c": ""},
            id="form-with-list",
        ),
        pytest.param({"content": b"hello", "headers": {"content-type": "text/plain"}}, "hello", id="text"),
        pytest.param({"content": b"<x/>", "headers": {"content-type": "nonsense"}}, "<x/>", id="bad-type-is-text"),
        pytest.param(
            {"content": b"caf\xe9", "headers": {"content-type": "text/plain; charset=latin-1"}}, "café", id="charset"
        ),
        pytest.param({"content": b"\xef\xbb\xbf[1]", "headers": {"content-type": "application/json"}}, [1], id="bom"),
        pytest.param({}, None, id="no-body"),
        pytest.param({"content": b"", "headers": {"content-type": "application/json"}}, None, id="empty-json"),
    ],
)
async def test_body_parsing(echo: Path, kwargs: dict[str, object], expected: object) -> None:
    async with client(create_app(echo)) as http:
        response = await http.post("/api/echo", **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 200
    assert response.json()["body"] == expected


@pytest.mark.parametrize(
    "content", [b"{bad", b"NaN", b"[" * 100_000, b'{"a": Infinity}'], ids=["syntax", "nan", "deep", "infinity"]
)
async def test_invalid_json_is_400_and_the_handler_never_runs(tmp_path: Path, content: bytes) -> None:
    build(tmp_path, {"pages/api/x.py": "def handler(req, res):\n    raise AssertionError('called')\n"})
    async with client(create_app(tmp_path)) as http:
        response = await http.post("/api/x", content=content, headers={"content-type": "application/json"})
    assert (response.status_code, response.text) == (400, "Invalid JSON")


async def test_unknown_charset_is_400(echo: Path) -> None:
    async with client(create_app(echo)) as http:
        response = await http.post("/api/echo", content=b"x", headers={"content-type": "text/plain; charset=klingon"})
    assert (response.status_code, response.text) == (400, "Invalid body")


async def test_bodies_over_one_megabyte_are_refused(echo: Path) -> None:
    limit = 1024 * 1024

    async def chunks() -> object:
        for _ in range(3):
            yield b"x" * (limit // 2)

    async with client(create_app(echo)) as http:
        at_limit = await http.post("/api/echo", content=b"x" * limit, headers={"content-type": "text/plain"})
        declared = await http.post("/api/echo", content=b"x" * (limit + 1))
        streamed = await http.post("/api/echo", content=chunks())  # chunked: no Content-Length to check first
    assert at_limit.status_code == 200
    assert (declared.status_code, declared.text) == (413, "Body exceeded 1mb limit")
    assert (streamed.status_code, streamed.text) == (413, "Body exceeded 1mb limit")


async def test_body_parser_config_as_in_nextjs(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            "pages/api/raw.py": """
                config = {"api": {"bodyParser": False}}

                async def handler(req, res):
                    res.json({"body": req.body, "raw": (await req.raw.body()).decode()})
            """,
            "pages/api/small.py": """
                config = {"api": {"bodyParser": {"sizeLimit": "1kb"}}}

                def handler(req, res):
                    res.send("ok")
            """,
        },
    )
    async with client(create_app(tmp_path)) as http:
        raw = await http.post("/api/raw", json={"a": 1})
        small = await http.post("/api/small", content=b"x" * 1025)
    assert raw.json() == {"body": None, "raw": '{"a":1}'}
    assert (small.status_code, small.text) == (413, "Body exceeded 1kb limit")


async def test_the_raw_request_body_is_still_readable_after_parsing(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            "pages/api/x.py": """
                async def handler(req, res):
                    res.json({"parsed": req.body, "raw": (await req.raw.body()).decode()})
            """
        },
    )
    async with client(create_app(tmp_path)) as http:
        body = (await http.post("/api/x", data={"a": "1"})).json()
    assert body == {"parsed": {"a": "1"}, "raw": "a=1"}


async def test_every_method_reaches_the_handler_and_head_drops_the_body(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            "pages/api/m.py": """
                def handler(req, res):
                    res.status(400).set_header("X-Method", req.method).send("method " + req.method)
            """
        },
    )
    async with client(create_app(tmp_path)) as http:
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PURGE"):
            response = await http.request(method, "/api/m")
            assert (response.status_code, response.text) == (400, f"method {method}")
            assert "content-type" not in response.headers  # Next.js adds none to a string body
        head = await http.head("/api/m")
    assert (head.status_code, head.content, head.headers["x-method"]) == (400, b"", "HEAD")
    assert head.headers["content-length"] == str(len("method HEAD"))


async def test_response_status_headers_and_every_set_cookie(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            "pages/api/c.py": """
                def handler(req, res):
                    res.set_header("Set-Cookie", ["a=1; Path=/", "b=2; HttpOnly"])
                    res.append_header("Set-Cookie", "c=3")
                    res.status(201).json({"ok": True})
            """
        },
    )
    async with client(create_app(tmp_path)) as http:
        response = await http.get("/api/c")
    assert response.status_code == 201
    assert response.headers.get_list("set-cookie") == ["a=1; Path=/", "b=2; HttpOnly", "c=3"]
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json() == {"ok": True}


async def test_redirect_and_no_content(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            "pages/api/go.py": "def handler(req, res):\n    res.redirect('/there')\n",
            "pages/api/none.py": "def handler(req, res):\n    res.status(204).send('dropped')\n",
        },
    )
    async with client(create_app(tmp_path)) as http:
        go = await http.get("/api/go")
        none = await http.get("/api/none")
    assert (go.status_code, go.headers["location"]) == (307, "/there")
    assert (none.status_code, none.content, "content-length" in none.headers) == (204, b"", False)


async def test_sync_handlers_run_off_the_event_loop(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            "pages/api/t.py": """
                import threading

                def handler(req, res):
                    res.json({"main": threading.current_thread() is threading.main_thread()})
            """,
            "pages/api/wrapped.py": """
                async def _inner(req, res):
                    res.send("awaited")

                def handler(req, res):
                    return _inner(req, res)
            """,
        },
    )
    async with client(create_app(tmp_path)) as http:
        assert (await http.get("/api/t")).json() == {"main": False}
        assert (await http.get("/api/wrapped")).text == "awaited"


async def test_handler_exception_is_500_without_details(tmp_path: Path, logs: pytest.LogCaptureFixture) -> None:
    build(
        tmp_path,
        {
            "pages/api/boom.py": """
                def handler(req, res):
                    raise RuntimeError("db password is hunter2")
            """
        },
    )
    async with client(create_app(tmp_path)) as http:
        response = await http.get("/api/boom")
    assert (response.status_code, response.text) == (500, "Internal Server Error")
    assert "hunter2" not in response.text
    record = next(r for r in logs.records if r.levelno == logging.ERROR)
    assert "pages/api/boom.py" in record.getMessage()
    assert record.exc_info is not None and "hunter2" in str(record.exc_info[1])


async def test_debug_mode_sends_the_traceback(tmp_path: Path) -> None:
    build(tmp_path, {"pages/api/boom.py": "def handler(req, res):\n    raise RuntimeError('visible in debug')\n"})
    async with client(create_app(tmp_path, debug=True)) as http:
        response = await http.get("/api/boom")
    assert response.status_code == 500
    assert "visible in debug" in response.text


async def test_unfinished_response_is_500_and_logged(tmp_path: Path, logs: pytest.LogCaptureFixture) -> None:
    build(tmp_path, {"pages/api/lazy.py": "def handler(req, res):\n    res.status(200)\n"})
    async with client(create_app(tmp_path)) as http:
        response = await http.get("/api/lazy")
    assert response.status_code == 500
    assert any("without sending a response" in r.getMessage() for r in logs.records)


async def test_error_after_the_response_was_written_keeps_the_response(
    tmp_path: Path, logs: pytest.LogCaptureFixture
) -> None:
    build(
        tmp_path,
        {
            "pages/api/late.py": """
                def handler(req, res):
                    res.json({"sent": True})
                    raise RuntimeError("after")
            """
        },
    )
    async with client(create_app(tmp_path)) as http:
        response = await http.get("/api/late")
    assert (response.status_code, response.json()) == (200, {"sent": True})
    assert any(r.exc_info for r in logs.records)


@pytest.mark.parametrize(
    "line",
    [
        "res.set_header('X-Bad', 'a\\r\\nSet-Cookie: evil=1')",
        "res.set_header('Bad Name', 'x')",
        "res.set_header('X-Snowman', '☃')",
        "res.status(1000)",
    ],
    ids=["crlf-injection", "bad-name", "non-latin1", "bad-status"],
)
async def test_invalid_response_is_500_not_sent(tmp_path: Path, line: str) -> None:
    build(tmp_path, {"pages/api/h.py": f"def handler(req, res):\n    {line}\n    res.send('x')\n"})
    async with client(create_app(tmp_path)) as http:
        response = await http.get("/api/h")
    assert response.status_code == 500
    assert "evil" not in response.headers.get("set-cookie", "")


async def test_client_disconnect_while_reading_the_body_is_not_an_error(
    echo: Path, logs: pytest.LogCaptureFixture
) -> None:
    app = create_app(echo)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/echo",
        "raw_path": b"/api/echo",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 1),
    }
    messages = [{"type": "http.request", "body": b"{", "more_body": True}, {"type": "http.disconnect"}]
    sent: list[object] = []

    async def receive() -> dict[str, object]:
        return messages.pop(0)

    async def send(message: object) -> None:
        sent.append(message)

    await app(scope, receive, send)  # type: ignore[arg-type]
    assert sent == []
    assert not [r for r in logs.records if r.levelno >= logging.ERROR]
