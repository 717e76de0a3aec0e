"""`nextauth generate`, `add-provider` and `remove-provider`: user edits survive, conflicts never pass silently."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from clikit import Invoke, new_project, tree

from nextauth_cli.project import add_provider, regenerate

APP_ROUTE = "app/api/auth/[...nextauth]/route.py"
PAGES_ROUTE = "pages/api/auth/[...nextauth].py"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _set_toml(project: Path, old: str, new: str) -> None:
    _edit(project / "nextauth.toml", old, new)


def test_generate_right_after_init_changes_nothing_and_is_idempotent(tmp_path: Path, cli: Invoke) -> None:
    project = new_project(tmp_path / "p", providers=["credentials", "github"])
    before = tree(project)
    for _ in range(2):
        result = cli("generate", str(project))
        assert result.exit_code == 0, result.output
        assert "everything is up to date" in result.stdout
    assert tree(project) == before


def test_edits_survive_a_provider_being_added(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p", mode="advanced", providers=["credentials"])
    route = project / APP_ROUTE
    _edit(
        route,
        "    return await NextAuth(request, context, auth_options)\n",
        "    request.state.seen = True  # my edit\n    return await NextAuth(request, context, auth_options)\n",
    )
    _edit(
        project / "auth_options.py",
        "    events=auth_callbacks.events,\n",
        "    events=auth_callbacks.events,\n    debug=True,  # mine\n",
    )
    result = add_provider(project, "github")
    assert result.applied and not result.conflicts
    assert "request.state.seen = True  # my edit" in route.read_text()
    options = (project / "auth_options.py").read_text()
    assert "debug=True,  # mine" in options
    assert 'client_id=require("GITHUB_ID"), client_secret=require("GITHUB_SECRET")' in options
    assert {c.path: c.action for c in result.changes}["auth_options.py"] == "merge"
    env = (project / ".env.local").read_text()
    assert "GITHUB_ID=\nGITHUB_SECRET=\n" in env and "NEXTAUTH_SECRET=fixed-test-secret" in env
    assert "GITHUB_ID=" in (project / ".env.example").read_text()
    assert "[providers.github]" in (project / "nextauth.toml").read_text()
    assert regenerate(project).changed == []  # and a second run changes nothing


def test_a_conflict_writes_nothing_then_force_writes_markers(tmp_path: Path, cli: Invoke) -> None:
    project = new_project(tmp_path / "p", providers=["credentials"])
    _edit(
        project / "auth_options.py",
        'session=SessionOptions(strategy="jwt"),',
        'session=SessionOptions(strategy="jwt", max_age=60),',
    )
    _set_toml(project, "# max_age = 2592000", "max_age = 3600")
    before = tree(project)

    result = cli("generate", str(project))
    assert result.exit_code == 1
    assert "conflict in auth_options.py" in result.stdout
    assert "+<<<<<<< your version" in result.stdout and "+>>>>>>> new render from nextauth.toml" in result.stdout
    assert "error: your edits conflict with the new render in auth_options.py; nothing was written" in result.stderr
    assert "nextauth generate --force" in result.stderr
    assert tree(project) == before

    check = cli("generate", str(project), "--check")
    assert check.exit_code == 1 and tree(project) == before

    forced = cli("generate", str(project), "--force")
    assert forced.exit_code == 1
    text = (project / "auth_options.py").read_text()
    assert 'session=SessionOptions(strategy="jwt", max_age=60),' in text
    assert 'session=SessionOptions(strategy="jwt", max_age=3600),' in text
    assert text.count("<<<<<<< your version") == 1

    again = cli("generate", str(project))
    assert again.exit_code == 1 and "unresolved conflict markers in auth_options.py" in again.stderr
    resolved = (
        text.split("<<<<<<< your version\n")[0]
        + '    session=SessionOptions(strategy="jwt", max_age=3600),\n'
        + text.split(">>>>>>> new render from nextauth.toml\n")[1]
    )
    (project / "auth_options.py").write_text(resolved)
    assert cli("generate", str(project), "--check").exit_code == 0


def test_check_and_diff_write_nothing(tmp_path: Path, cli: Invoke) -> None:
    project = new_project(tmp_path / "p", providers=["credentials"])
    _set_toml(project, 'mode = "simple"', 'mode = "advanced"')
    before = tree(project)
    check = cli("generate", str(project), "--check")
    assert check.exit_code == 1
    assert f"out of date: {APP_ROUTE} (update)" in check.stdout
    assert "error: generated files are out of date" in check.stderr
    diff = cli("generate", str(project), "--diff")
    assert diff.exit_code == 0
    assert (
        f"+++ b/{APP_ROUTE}" in diff.stdout and "+async def GET(request: Request, context: RouteContext)" in diff.stdout
    )
    assert tree(project) == before
    assert cli("generate", str(project)).exit_code == 0
    assert cli("generate", str(project), "--check").exit_code == 0


def test_router_change_moves_the_route_and_keeps_edits(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p", providers=["credentials"])
    _edit(project / APP_ROUTE, "\nhandler = ", "\nTIMEOUT = 5  # my setting, kept across the move\nhandler = ")
    _set_toml(project, 'router = "app"', 'router = "pages"')
    result = regenerate(project)
    assert result.applied and not result.conflicts
    moved = next(c for c in result.changes if c.path == PAGES_ROUTE)
    assert (moved.action, moved.moved_from) == ("move", APP_ROUTE)
    assert not (project / "app").exists()  # the old route and its now-empty folders are gone
    text = (project / PAGES_ROUTE).read_text()
    assert "TIMEOUT = 5  # my setting, kept across the move\nhandler = NextAuth(auth_options)" in text
    assert "GET = handler" not in text
    assert regenerate(project).changed == []


def test_a_file_nextauth_has_no_record_of_is_never_overwritten(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p", providers=["credentials"])
    (project / ".nextauth" / "manifest.json").unlink()
    (project / APP_ROUTE).write_text("# my own route\n")
    result = regenerate(project)
    assert not result.applied and [c.path for c in result.conflicts] == [APP_ROUTE]
    assert "no record of the last render" in result.conflicts[0].note
    assert (project / APP_ROUTE).read_text() == "# my own route\n"


def test_a_deleted_generated_file_is_recreated(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p", providers=["credentials"])
    expected = (project / APP_ROUTE).read_text()
    (project / APP_ROUTE).unlink()
    result = regenerate(project)
    assert {c.path: c.note for c in result.changes}[APP_ROUTE] == "recreated (it was missing)"
    assert (project / APP_ROUTE).read_text() == expected


def test_adding_credentials_later_appends_authorize_to_the_users_module(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p", providers=["github"])
    callbacks = project / "auth_callbacks.py"
    _edit(callbacks, "events = EventsOptions()", "events = EventsOptions()  # mine")
    add_provider(project, "credentials")
    add_provider(project, "credentials", provider_id="staff")
    text = callbacks.read_text()
    assert "events = EventsOptions()  # mine" in text
    assert (
        "def authorize(" in text
        and "def authorize_staff(" in text
        and 'os.environ.get("AUTH_STAFF_USERNAME", "")' in text
    )
    env = (project / ".env.local").read_text()
    assert "AUTH_DEMO_USERNAME=demo-0a1b2c" in env and "AUTH_STAFF_PASSWORD=fixed-demo-password-Zm9vYmFy" in env
    options = (project / "auth_options.py").read_text()
    assert "authorize=auth_callbacks.authorize_staff," in options
    files = ["auth_callbacks.py", "auth_options.py"]
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", *files],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 0, lint.stdout
    types = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--config-file",
            "/dev/null",
            "--cache-dir",
            str(tmp_path / "c"),
            *files,
        ],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert types.returncode == 0, types.stdout


def test_email_brings_its_database_and_remove_provider_keeps_env_values(tmp_path: Path, cli: Invoke) -> None:
    project = new_project(tmp_path / "p", providers=["github"])
    result = cli("add-provider", "email", "-C", str(project))
    assert result.exit_code == 0, result.output
    toml = (project / "nextauth.toml").read_text()
    assert '[database]\nurl = "sqlite:///./nextauth.db"' in toml
    assert "SQLAlchemyAdapter(" in (project / "auth_options.py").read_text()
    removed = cli("remove-provider", "github", "-C", str(project))
    assert removed.exit_code == 0, removed.output
    assert "GitHubProvider" not in (project / "auth_options.py").read_text()
    assert "GITHUB_ID=" in (project / ".env.local").read_text()
    last = cli("remove-provider", "email", "-C", str(project))
    assert last.exit_code == 2 and "the only provider" in last.stderr


def test_add_provider_prints_the_redirect_uris_and_what_to_fill_in(tmp_path: Path, cli: Invoke) -> None:
    project = new_project(tmp_path / "p", providers=["credentials"], production_url="https://app.example.com")
    result = cli("add-provider", "keycloak", "-C", str(project))
    assert result.exit_code == 0, result.output
    assert "development  http://localhost:3000/api/auth/callback/keycloak" in result.stdout
    assert "production   https://app.example.com/api/auth/callback/keycloak" in result.stdout
    assert "KEYCLOAK_ID, KEYCLOAK_SECRET, KEYCLOAK_ISSUER" in result.stdout


def test_generic_oauth_provider_with_options(tmp_path: Path, cli: Invoke) -> None:
    project = new_project(tmp_path / "p", providers=["credentials"])
    result = cli(
        "add-provider",
        "oauth",
        "--id",
        "mock",
        "-C",
        str(project),
        "--option",
        "name=Mock OIDC",
        "--option",
        "well_known=http://127.0.0.1:9400/.well-known/openid-configuration",
        "--option",
        "id_token=true",
        "--option",
        'checks=["pkce", "state"]',
        "--option",
        'authorization.params.scope="openid email profile"',
    )
    assert result.exit_code == 0, result.output
    options = (project / "auth_options.py").read_text()
    assert 'OAuthProvider(\n            id="mock",\n            name="Mock OIDC",' in options
    assert 'client_id=require("MOCK_CLIENT_ID"),' in options
    assert 'authorization=Endpoint.of({"params": {"scope": "openid email profile"}}),' in options
    assert 'checks=["pkce", "state"],' in options
