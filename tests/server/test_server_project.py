"""Loading a project: env files, imports of the user's modules, and the errors shown when they fail."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from serverkit import build, client

from nextauth.server import (
    PROJECT_DIR_ENV,
    ProjectNotFoundError,
    RouteImportError,
    create_app,
    create_app_from_env,
    load_env_files,
    main,
    serve,
)

READ_ENV = """
    import os

    AT_IMPORT = {name: os.environ.get(name) for name in ("ONLY_ENV", "BOTH", "REAL", "REF")}

    def handler(req, res):
        res.json(AT_IMPORT)
"""


async def test_env_files_load_before_routes_with_nextjs_precedence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(
        tmp_path,
        {
            ".env": "ONLY_ENV=from-env\nBOTH=from-env\nREAL=from-env\n",
            ".env.local": "BOTH=from-local\nREAL=from-local\nREF=${ONLY_ENV}-ref\n",
            "pages/api/env.py": READ_ENV,
        },
    )
    monkeypatch.setenv("REAL", "from-process")
    async with client(create_app(tmp_path)) as http:
        seen = (await http.get("/api/env")).json()
    assert seen == {"ONLY_ENV": "from-env", "BOTH": "from-local", "REAL": "from-process", "REF": "from-env-ref"}


def test_load_env_false_reads_no_file(tmp_path: Path) -> None:
    build(tmp_path, {".env": "NOT_LOADED_MARKER=1\n", "pages/api/x.py": "def handler(req, res): ...\n"})
    create_app(tmp_path, load_env=False)
    assert "NOT_LOADED_MARKER" not in os.environ


def test_env_loading_logs_file_names_never_values(tmp_path: Path, logs: pytest.LogCaptureFixture) -> None:
    build(tmp_path, {".env.local": "NEXTAUTH_SECRET=very-secret-value\n"})
    assert load_env_files(tmp_path) == [".env.local"]
    text = "\n".join(r.getMessage() for r in logs.records)
    assert ".env.local" in text
    assert "very-secret-value" not in text


async def test_route_files_import_project_modules(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            "auth_options.py": "PROVIDERS = ['github']\n",
            "lib/__init__.py": "",
            "lib/db.py": "NAME = 'db'\n",
            "pages/api/auth/[...nextauth].py": """
                import auth_options
                from lib.db import NAME

                def handler(req, res):
                    res.json({"providers": auth_options.PROVIDERS, "db": NAME, "segments": req.query["nextauth"]})
            """,
        },
    )
    async with client(create_app(tmp_path)) as http:
        body = (await http.get("/api/auth/signin/github")).json()
    assert body == {"providers": ["github"], "db": "db", "segments": ["signin", "github"]}


async def test_each_project_gets_its_own_modules(tmp_path: Path) -> None:
    """Two projects in one process (a test run) each import their own ``auth_options``."""
    route = "import auth_options\n\ndef handler(req, res):\n    res.send(auth_options.NAME)\n"
    first = build(tmp_path / "one", {"auth_options.py": "NAME = 'one'\n", "pages/api/n.py": route})
    second = build(tmp_path / "two", {"auth_options.py": "NAME = 'two'\n", "pages/api/n.py": route})
    app_one, app_two = create_app(first), create_app(second)
    async with client(app_one) as one, client(app_two) as two:
        assert (await one.get("/api/n")).text == "one"
        assert (await two.get("/api/n")).text == "two"


def test_syntax_error_names_the_file_and_shows_the_users_code(tmp_path: Path) -> None:
    build(tmp_path, {"pages/api/broken.py": "def handler(req, res):\n    return (\n"})
    with pytest.raises(RouteImportError) as caught:
        create_app(tmp_path)
    message = str(caught.value)
    assert message.startswith("pages/api/broken.py could not be imported: SyntaxError")
    assert "broken.py" in message and "line 2" in message


def test_exception_in_an_imported_module_shows_the_users_traceback(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            "auth_options.py": "def load():\n    raise LookupError('no provider configured')\n\nOPTIONS = load()\n",
            "app/api/auth/[...nextauth]/route.py": "import auth_options\n\nGET = POST = None\n",
        },
    )
    with pytest.raises(RouteImportError) as caught:
        create_app(tmp_path)
    message = str(caught.value)
    assert message.startswith("app/api/auth/[...nextauth]/route.py could not be imported: LookupError")
    assert "auth_options.py" in message and "OPTIONS = load()" in message
    assert "Traceback" in message
    assert "importlib" not in message and "_modules.py" not in message  # only the user's frames


def test_nextauth_configuration_errors_stay_short(tmp_path: Path) -> None:
    build(
        tmp_path,
        {
            "app/api/auth/[...nextauth]/route.py": """
                from nextauth.env import require

                SECRET = require("GITHUB_SECRET")
            """
        },
    )
    with pytest.raises(RouteImportError) as caught:
        create_app(tmp_path)
    message = str(caught.value)
    assert "GITHUB_SECRET is not set" in message
    assert "(app/api/auth/[...nextauth]/route.py:3)" in message
    assert "Traceback" not in message


def test_a_failed_import_leaves_no_half_module_behind(tmp_path: Path) -> None:
    import sys

    build(tmp_path, {"pages/api/x.py": "raise ValueError('nope')\n"})
    with pytest.raises(RouteImportError):
        create_app(tmp_path)
    assert not [name for name in sys.modules if name.startswith("nextauth_route_pages_api_x")]


# -- running ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"reload": True, "workers": 2}, "cannot be combined", id="reload-and-workers"),
        pytest.param({"workers": 0}, "1 or more", id="no-workers"),
        pytest.param({"log_level": "loud"}, "log_level", id="log-level"),
    ],
)
def test_serve_refuses_bad_options_before_starting(tmp_path: Path, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        serve(tmp_path, port=0, **kwargs)


def test_serve_refuses_a_missing_project(tmp_path: Path) -> None:
    with pytest.raises(ProjectNotFoundError):
        serve(tmp_path / "missing", port=0)


def test_factory_reads_the_project_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(tmp_path, {"pages/api/x.py": "def handler(req, res):\n    res.send('x')\n"})
    monkeypatch.setenv(PROJECT_DIR_ENV, str(tmp_path))
    assert len(create_app_from_env().routes) == 1


def test_factory_reports_a_broken_project_and_exits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, logs: pytest.LogCaptureFixture
) -> None:
    build(tmp_path, {"pages/api/x.py": "1/0\n"})
    monkeypatch.setenv(PROJECT_DIR_ENV, str(tmp_path))
    with pytest.raises(SystemExit) as caught:
        create_app_from_env()
    assert caught.value.code == 1
    assert "pages/api/x.py could not be imported: ZeroDivisionError" in logs.text


def test_main_reports_project_errors_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path), "--port", "0"]) == 1
    assert capsys.readouterr().err.startswith(f"error: {tmp_path}: found neither pages/ nor app/")


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:3000"),
        ("::1", "http://[::1]:3000"),
        ("0.0.0.0", "http://localhost:3000 (all interfaces)"),
    ],
)
def test_printed_url(host: str, url: str) -> None:
    from nextauth.server._run import _url

    assert _url(host, 3000) == url
