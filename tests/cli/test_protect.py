"""Route protection from the CLI: `init --protect`, [middleware] in nextauth.toml, middleware.py and the
starter pages kept in step by `generate` (user edits merged), old projects brought up to date, and
`doctor`'s redirect-loop check whose fix, followed word for word, clears it."""

from __future__ import annotations

import ast
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from clikit import Invoke, new_project, tree
from security_figures import record

from nextauth_cli.doctor import diagnose
from nextauth_cli.errors import ConfigError
from nextauth_cli.project import regenerate

APP_PAGES = ("app/page.py", "app/dashboard/page.py")
PAGES_PAGES = ("pages/index.py", "pages/dashboard.py")
STRONG = "Jx3vQm9Lr2Tz8Wc4Yb7Nd1Kf6Hs0Ug5Pa2Ei9Oq3Rt"


def _matcher(project: Path) -> list[str]:
    """``config["matcher"]`` of the project's middleware.py, read as Python reads it."""
    tree_ = ast.parse((project / "middleware.py").read_text(encoding="utf-8"))
    for node in tree_.body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["config"]:
            value = ast.literal_eval(node.value)
            assert isinstance(value, dict)
            return list(value["matcher"])
    raise AssertionError("middleware.py has no config")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _strip_protection(project: Path) -> None:
    """Make ``project`` what `nextauth init` wrote before route protection: no [middleware] section, no
    middleware.py, no pages, and a manifest that never heard of them."""
    toml = project / "nextauth.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(re.sub(r"\n\[middleware\]\n(?:#.*\n|protect = .*\n)*", "\n", text), encoding="utf-8")
    assert "[middleware]" not in toml.read_text() and "protect" not in toml.read_text()
    manifest_path = project / ".nextauth/manifest.json"
    manifest = json.loads(manifest_path.read_text())
    for role in ("middleware", "home", "dashboard"):
        rel = manifest["files"].pop(role, {}).get("path")
        if rel:
            (project / rel).unlink()
        (project / ".nextauth/renders" / role).unlink(missing_ok=True)
    (project / "app/dashboard").rmdir() if (project / "app/dashboard").is_dir() else None
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")


# ----------------------------------------------------------------------------------------------- init
@pytest.mark.parametrize(("router", "pages"), [("app", APP_PAGES), ("pages", PAGES_PAGES)])
def test_init_yes_protects_the_dashboard_and_writes_both_pages(
    tmp_path: Path, cli: Invoke, router: str, pages: tuple[str, ...]
) -> None:
    result = cli("init", str(tmp_path / "p"), "--router", router, "--yes")
    assert result.exit_code == 0, result.output
    project = tmp_path / "p"
    assert 'protect = ["/dashboard/:path*"]' in (project / "nextauth.toml").read_text()
    assert _matcher(project) == ["/dashboard/:path*"]
    assert "middleware = with_auth()" in (project / "middleware.py").read_text()
    for rel in pages:
        assert (project / rel).is_file(), rel
        assert f"wrote {rel}" in result.stdout
    entry = "def page(request" if router == "app" else "def handler(req"
    assert all(entry in (project / rel).read_text() for rel in pages)


def test_init_protect_flags_are_recorded_and_rendered(tmp_path: Path, cli: Invoke) -> None:
    patterns = ["/admin/:path+", "/account", "/users/:id(\\d+)", "/((?!api|_next/static|favicon.ico).*)"]
    args = [arg for p in patterns for arg in ("--protect", p)]
    result = cli("init", str(tmp_path / "p"), "--yes", *args, "--protect", "/account")  # repeated: once
    assert result.exit_code == 0, result.output
    project = tmp_path / "p"
    import tomllib

    assert tomllib.loads((project / "nextauth.toml").read_text())["middleware"]["protect"] == patterns
    assert _matcher(project) == patterns
    assert regenerate(project, check=True).up_to_date


@pytest.mark.parametrize(
    ("pattern", "says"),
    [
        ("dashboard", "must start with '/'"),
        ("/a/(b", "unbalanced parentheses"),
        ("/a/:", "needs a parameter name"),
        ("/a\n/b", "control character"),
        ("/a/(?<x>y)", "cannot start with '?'"),
        ("/" + "a" * 5000, "longer than"),
    ],
)
def test_init_refuses_a_bad_matcher_with_a_clear_error_and_writes_nothing(
    tmp_path: Path, cli: Invoke, pattern: str, says: str
) -> None:
    result = cli("init", str(tmp_path / "p"), "--yes", "--protect", pattern)
    written = (tmp_path / "p").exists() and any((tmp_path / "p").iterdir())
    accepted = int(result.exit_code == 0 or written)
    record("cli injection: protect matchers", tried=1, accepted=accepted, what="bad --protect / hostile matchers")
    assert accepted == 0
    assert result.exit_code == 2, result.output
    assert says in result.output and "--protect" in result.output
    assert "/dashboard/:path*" in result.output  # the fix shows a valid matcher
    assert "Traceback" not in result.output
    assert not (tmp_path / "p").exists() or not any((tmp_path / "p").iterdir())


def test_init_asks_which_paths_to_protect(tmp_path: Path, cli: Invoke) -> None:
    flags = ["--router", "app", "--mode", "simple", "--provider", "credentials", "--url", "http://localhost:3000"]
    answers = "\n/nope(\n/admin/:path* /dashboard/:path*\n"  # production URL; a refused answer is asked again
    result = cli("init", str(tmp_path / "p"), *flags, input=answers)
    assert result.exit_code == 0, result.output
    assert "unbalanced parentheses" in result.output
    assert _matcher(tmp_path / "p") == ["/admin/:path*", "/dashboard/:path*"]


def test_init_answered_none_protects_nothing_but_writes_the_pages(tmp_path: Path, cli: Invoke) -> None:
    flags = ["--router", "pages", "--mode", "simple", "--provider", "credentials", "--url", "http://localhost:3000"]
    result = cli("init", str(tmp_path / "p"), *flags, input="\nnone\n")
    assert result.exit_code == 0, result.output
    project = tmp_path / "p"
    assert "protect = []" in (project / "nextauth.toml").read_text()
    assert not (project / "middleware.py").exists()
    assert all((project / rel).is_file() for rel in PAGES_PAGES)


def test_hostile_matchers_become_python_string_literals_never_code(tmp_path: Path) -> None:
    patterns = ['/a/"quoted"', "/b/'single'", "/c/:x(\\\\d+)", '/d/"""', "/e/\\\\", "/f/é"]
    project = new_project(tmp_path / "p", protect=patterns)
    matcher = _matcher(project)
    names = {n.id for n in ast.walk(ast.parse((project / "middleware.py").read_text())) if isinstance(n, ast.Name)}
    code = names - {"with_auth", "middleware", "config", "annotations"}
    accepted = sum(1 for i, p in enumerate(patterns) if i >= len(matcher) or matcher[i] != p) + len(code)
    record("cli injection: protect matchers", tried=len(patterns), accepted=accepted)
    assert matcher == patterns and not code


# ----------------------------------------------------------------------------------------------- generate
def test_an_old_project_without_the_section_keeps_working_unchanged(tmp_path: Path, cli: Invoke) -> None:
    project = new_project(tmp_path / "p")
    _strip_protection(project)
    before = tree(project)
    assert regenerate(project, check=True).up_to_date
    result = cli("generate", str(project))
    assert result.exit_code == 0, result.output
    assert tree(project) == before
    assert not (project / "middleware.py").exists()


@pytest.mark.parametrize(("router", "pages"), [("app", APP_PAGES), ("pages", PAGES_PAGES)])
def test_generate_brings_an_old_project_up_to_date_and_keeps_middleware_edits(
    tmp_path: Path, cli: Invoke, router: str, pages: tuple[str, ...]
) -> None:
    project = new_project(tmp_path / "p", router=router)
    fresh = {rel: (project / rel).read_text() for rel in ("middleware.py", *pages)}
    _strip_protection(project)
    toml = project / "nextauth.toml"
    toml.write_text(toml.read_text() + '\n[middleware]\nprotect = ["/dashboard/:path*"]\n')

    result = cli("generate", str(project))
    assert result.exit_code == 0, result.output
    for rel, text in fresh.items():
        assert (project / rel).read_text() == text, rel  # what a new project gets
        assert f"created {rel}" in result.stdout

    # The user's edit to middleware.py, then a change of nextauth.toml that rewrites its matcher.
    _edit(
        project / "middleware.py",
        "middleware = with_auth()\n",
        '# my own note: billing is admin-only\nmiddleware = with_auth(pages={"sign_in": "/api/auth/signin"})\n',
    )
    _edit(toml, 'protect = ["/dashboard/:path*"]', 'protect = ["/dashboard/:path*", "/billing/:path*"]')
    result = cli("generate", str(project))
    assert result.exit_code == 0, result.output
    assert "merged (your edits kept) middleware.py" in result.stdout
    text = (project / "middleware.py").read_text()
    assert "# my own note: billing is admin-only\n" in text
    assert 'middleware = with_auth(pages={"sign_in": "/api/auth/signin"})' in text
    assert _matcher(project) == ["/dashboard/:path*", "/billing/:path*"]
    assert cli("generate", str(project)).stdout.strip().endswith("everything is up to date with nextauth.toml")


def test_a_page_the_user_wrote_before_is_theirs(tmp_path: Path, cli: Invoke) -> None:
    project = new_project(tmp_path / "p")
    _strip_protection(project)
    mine = 'def page(request: object) -> str:\n    return "<h1>my home</h1>"\n'
    (project / "app/page.py").write_text(mine)
    toml = project / "nextauth.toml"
    toml.write_text(toml.read_text() + '\n[middleware]\nprotect = ["/dashboard/:path*"]\n')
    for _ in range(2):
        result = cli("generate", str(project))
        assert result.exit_code == 0, result.output
        assert (project / "app/page.py").read_text() == mine
        assert (project / "app/dashboard/page.py").is_file() and (project / "middleware.py").is_file()
    assert "home" not in json.loads((project / ".nextauth/manifest.json").read_text())["files"]
    assert regenerate(project, check=True).up_to_date


def test_emptying_protect_deletes_an_unedited_middleware_and_keeps_an_edited_one(tmp_path: Path) -> None:
    untouched = new_project(tmp_path / "a")
    edited = new_project(tmp_path / "b")
    _edit(edited / "middleware.py", "middleware = with_auth()\n", "middleware = with_auth()  # mine\n")
    for project in (untouched, edited):
        _edit(project / "nextauth.toml", 'protect = ["/dashboard/:path*"]', "protect = []")
        result = regenerate(project)
        assert result.applied and not result.conflicts
        assert (project / "app/page.py").is_file()
        assert "middleware" not in json.loads((project / ".nextauth/manifest.json").read_text())["files"]
        assert regenerate(project, check=True).up_to_date
    assert not (untouched / "middleware.py").exists()
    assert "# mine" in (edited / "middleware.py").read_text()


def test_a_bad_protect_entry_in_nextauth_toml_names_its_line(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    _edit(project / "nextauth.toml", 'protect = ["/dashboard/:path*"]', 'protect = ["/dashboard/:path*", "/x/(y"]')
    with pytest.raises(ConfigError) as caught:
        regenerate(project)
    line = next(
        i for i, ln in enumerate((project / "nextauth.toml").read_text().splitlines(), 1) if ln.startswith("protect =")
    )
    assert f"nextauth.toml:{line}: `middleware.protect` entry '/x/(y' is not a valid matcher" in caught.value.message
    assert caught.value.fix and "/dashboard/:path*" in caught.value.fix
    _edit(project / "nextauth.toml", '"/x/(y"]', "42]")
    with pytest.raises(ConfigError, match="must be a string"):
        regenerate(project)


@pytest.mark.parametrize("strategy", ["jwt", "database"])
def test_the_middleware_fits_the_session_strategy_and_base_path(tmp_path: Path, strategy: str) -> None:
    providers = ["credentials"] if strategy == "jwt" else ["github", "email"]
    project = new_project(tmp_path / "p", providers=providers, session=strategy, base_path="/auth")
    text = (project / "middleware.py").read_text()
    pages = '{"sign_in": "/auth/signin", "error": "/auth/error"}'
    if strategy == "jwt":
        assert f"middleware = with_auth(pages={pages})" in text
    else:  # with_auth reads JWTs: database sessions are looked up by an authorized callback
        assert "return await get_server_session(request, auth_options) is not None" in text
        assert f'middleware = with_auth(\n    callbacks={{"authorized": authorized}},\n    pages={pages},\n)' in text
    for rel in APP_PAGES:
        assert 'SIGN_IN = "/auth/signin"' in (project / rel).read_text()


# ----------------------------------------------------------------------------------------------- doctor
def _findings(project: Path, **env: str) -> list[tuple[str, str, str]]:
    report = diagnose(project, environ={"NEXTAUTH_SECRET": STRONG, **env})
    return [(f.level, f.message, f.fix) for f in report.findings if f.check == "middleware"]


def test_doctor_on_a_new_project_and_on_an_old_one(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    assert _findings(project) == [("ok", "middleware.py protects /dashboard/:path*", "")]
    _strip_protection(project)
    [(level, message, fix)] = _findings(project)
    assert level == "info" and "no route is protected" in message and "[middleware]" in fix


def test_doctor_loop_on_the_auth_routes_is_cleared_by_its_fix(tmp_path: Path) -> None:
    everything = "/((?!api|_next/static|favicon.ico).*)"
    project = new_project(tmp_path / "p", base_path="/auth", protect=[everything])
    env_local = project / ".env.local"
    # NEXTAUTH_URL without the base path: with_auth takes /api/auth for the auth routes and guards /auth/*.
    _edit(env_local, "NEXTAUTH_URL=http://localhost:3000/auth\n", "NEXTAUTH_URL=http://localhost:3000\n")
    [(level, message, fix)] = _findings(project)
    assert level == "warning" and "/auth/signin" in message and "loop" in message
    assert fix == "set NEXTAUTH_URL=http://localhost:3000/auth in .env.local (its path must be /auth)"
    setting = fix.removeprefix("set ").split(" in ")[0]
    _edit(env_local, "NEXTAUTH_URL=http://localhost:3000\n", setting + "\n")
    assert [level for level, _, _ in _findings(project)] == ["ok"]


def test_doctor_loop_on_a_custom_sign_in_page_is_cleared_by_its_fix(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p", protect=["/((?!api|_next/static|favicon.ico).*)"])
    toml = project / "nextauth.toml"
    toml.write_text(toml.read_text() + '\n[pages]\nsign_in = "/login"\n')
    assert regenerate(project).applied
    assert 'middleware = with_auth(pages={"sign_in": "/login"})' in (project / "middleware.py").read_text()
    assert [level for level, _, _ in _findings(project)] == ["ok"]
    # The user rewrites the middleware and drops the pages: /login would send visitors to /login.
    _edit(project / "middleware.py", 'with_auth(pages={"sign_in": "/login"})', "with_auth()")
    [(level, message, fix)] = _findings(project)
    assert level == "warning" and "/login" in message and "loop" in message
    literally = re.match(r"pass (pages=\{.*?\}) to with_auth in middleware.py", fix)
    assert literally is not None, fix
    _edit(project / "middleware.py", "with_auth()", f"with_auth({literally.group(1)})")
    assert [level for level, _, _ in _findings(project)] == ["ok"]


def test_doctor_accepts_matchers_that_leave_the_auth_routes_alone(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p", protect=["/((?!api|_next/static|favicon.ico).*)", "/api/private/:path*"])
    assert [level for level, _, _ in _findings(project)] == ["ok"]


@pytest.fixture
def isolated() -> Iterator[None]:
    """Loading a project sets env-file variables, sys.path and modules: give all three back."""
    environ, path, modules = dict(os.environ), list(sys.path), set(sys.modules)
    yield
    os.environ.clear()
    os.environ.update(environ)
    sys.path[:] = path
    for name in set(sys.modules) - modules:
        del sys.modules[name]


async def test_the_sign_in_page_loop_doctor_reports_is_real_and_its_fix_ends_it(isolated: None, tmp_path: Path) -> None:
    """Served in-process: the situation of the warning above loops, and the file as the fix leaves it does not."""
    import httpx

    from nextauth.server import create_app

    project = new_project(tmp_path / "p", protect=["/((?!api|_next/static|favicon.ico).*)"])
    toml = project / "nextauth.toml"
    toml.write_text(toml.read_text() + '\n[pages]\nsign_in = "/login"\n')
    assert regenerate(project).applied
    _edit(project / "middleware.py", 'with_auth(pages={"sign_in": "/login"})', "with_auth()")
    [(_, _, fix)] = _findings(project)
    base = "http://localhost:3000"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(project)), base_url=base) as client:
        url, seen = "/login", []
        for _ in range(4):
            response = await client.get(url)
            assert response.status_code in (302, 307), response.text
            url = response.headers["location"]
            seen.append(httpx.URL(url).path)
        assert seen == ["/api/auth/signin", "/login", "/api/auth/signin", "/login"]  # round and round
    literally = re.match(r"pass (pages=\{.*?\}) to with_auth in middleware.py", fix)
    assert literally is not None
    _edit(project / "middleware.py", "with_auth()", f"with_auth({literally.group(1)})")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(project)), base_url=base) as client:
        assert (await client.get("/login")).status_code == 404  # reaches routing: no page there, no redirect
        assert (await client.get("/dashboard")).headers["location"] == "/login?callbackUrl=%2Fdashboard"


@pytest.mark.parametrize(("router", "pages"), [("app", APP_PAGES), ("pages", PAGES_PAGES)])
def test_the_pages_escape_names_and_emails(isolated: None, tmp_path: Path, router: str, pages: tuple[str, ...]) -> None:
    import importlib.util

    project = new_project(tmp_path / "p", router=router)
    sys.path.insert(0, str(project))  # the pages import auth_options, as the server lets them
    hostile = {"name": '<script>alert("x")</script>', "email": "a'b\"&<c>@example.com"}
    rendered = []
    for index, rel in enumerate(pages):
        spec = importlib.util.spec_from_file_location(f"starter_page_{router}_{index}", project / rel)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        rendered.append(module.render(hostile))
    home, dashboard = rendered
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in home and "<script>" not in home
    assert "a&#x27;b&quot;&amp;&lt;c&gt;@example.com" in home
    assert "&lt;script&gt;" in dashboard and "<script>" not in dashboard


def test_a_middleware_the_user_wrote_before_is_a_conflict_never_overwritten(tmp_path: Path, cli: Invoke) -> None:
    project = new_project(tmp_path / "p")
    _strip_protection(project)
    mine = 'from nextauth.middleware import with_auth as middleware\n\nconfig = {"matcher": ["/admin/:path*"]}\n'
    (project / "middleware.py").write_text(mine)
    toml = project / "nextauth.toml"
    toml.write_text(toml.read_text() + '\n[middleware]\nprotect = ["/dashboard/:path*"]\n')
    result = cli("generate", str(project))
    assert result.exit_code == 1
    assert "conflict in middleware.py" in result.stdout and "nothing was written" in result.stderr
    assert (project / "middleware.py").read_text() == mine
    assert not (project / "app/page.py").exists()  # all or nothing
