"""Each command through the CLI: help with examples, outputs, error messages and exit codes."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from clikit import Invoke, new_project, tree

from nextauth_cli.catalog import CATALOG

COMMANDS = [
    ["init"],
    ["add-provider"],
    ["remove-provider"],
    ["providers"],
    ["generate"],
    ["secret"],
    ["doctor"],
    ["dev"],
    ["start"],
    ["db", "init"],
    ["db", "upgrade"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_examples(cli: Invoke, command: list[str]) -> None:
    result = cli(*command, "--help")
    assert result.exit_code == 0
    assert "Examples" in result.stdout and "nextauth " + command[0] in result.stdout


def test_root_help_version_and_no_arguments(cli: Invoke) -> None:
    from nextauth_cli import __version__

    assert cli("--version").stdout == f"nextauth {__version__}\n"
    root = cli("--help")
    assert root.exit_code == 0
    for name in (
        "init",
        "add-provider",
        "remove-provider",
        "providers",
        "generate",
        "secret",
        "doctor",
        "dev",
        "start",
        "db",
    ):
        assert name in root.stdout
    assert "--install-completion" in root.stdout  # shell completion
    assert cli().exit_code == 2  # no command: usage


def test_help_is_fast_enough_to_not_import_the_world() -> None:
    """`nextauth --help` imports neither copier, jinja2, the runtime nor questionary."""
    code = (
        "import sys; from nextauth_cli.cli import app; "
        "heavy = [m for m in ('copier', 'jinja2', 'nextauth', 'questionary', 'tomlkit', 'httpx', 'sqlalchemy') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == ""


def test_init_yes_prints_next_steps_with_redirect_uris(tmp_path: Path, cli: Invoke) -> None:
    result = cli(
        "init",
        str(tmp_path / "app"),
        "--yes",
        "-p",
        "credentials",
        "-p",
        "google",
        "--production-url",
        "https://app.example.com",
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "wrote nextauth.toml" in out and "wrote app/api/auth/[...nextauth]/route.py" in out
    assert "development  http://localhost:3000/api/auth/callback/google" in out
    assert "production   https://app.example.com/api/auth/callback/google" in out
    assert "https://console.cloud.google.com/apis/credentials" in out
    assert "GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET" in out
    assert "nextauth doctor" in out and "nextauth dev" in out
    assert "fixed-demo-password" not in out  # secrets stay in .env.local
    env = (tmp_path / "app" / ".env.local").read_text()
    assert "NEXTAUTH_URL=http://localhost:3000\n" in env and "AUTH_DEMO_PASSWORD=fixed-demo-password-Zm9vYmFy" in env
    assert (tmp_path / "app" / ".gitignore").read_text().splitlines()[1:3] == [".env.local", ".env*.local"]


def test_init_keeps_an_existing_gitignore_and_env_values(tmp_path: Path, cli: Invoke) -> None:
    project = tmp_path / "app"
    project.mkdir()
    (project / ".gitignore").write_text("node_modules/\n*.pyc")
    (project / ".env.local").write_text("NEXTAUTH_SECRET=mine-0123456789abcdefghijklmnopqrstuvwxyzABCD\nOTHER=1\n")
    assert cli("init", str(project), "--yes").exit_code == 0
    assert (
        (project / ".gitignore")
        .read_text()
        .startswith("node_modules/\n*.pyc\n\n# nextauth: local secrets\n.env.local\n")
    )
    env = (project / ".env.local").read_text()
    assert env.startswith("NEXTAUTH_SECRET=mine-0123456789abcdefghijklmnopqrstuvwxyzABCD\nOTHER=1\n")
    assert env.count("NEXTAUTH_SECRET=") == 1 and "NEXTAUTH_URL=http://localhost:3000" in env


def test_init_where_a_config_exists_is_refused(tmp_path: Path, cli: Invoke) -> None:
    project = new_project(tmp_path / "app")
    before = tree(project)
    result = cli("init", str(project), "--yes", "--router", "pages")
    assert result.exit_code == 1
    assert f"error: {project / 'nextauth.toml'} already exists" in result.stderr
    assert "nextauth init --force" in result.stderr
    assert tree(project) == before


def test_an_existing_route_file_is_never_clobbered_without_force(tmp_path: Path, cli: Invoke) -> None:
    route = tmp_path / "app" / "app" / "api" / "auth" / "[...nextauth]" / "route.py"
    route.parent.mkdir(parents=True)
    route.write_text("# hand-written\n")
    result = cli("init", str(tmp_path / "app"), "--yes")
    assert result.exit_code == 1
    assert "app/api/auth/[...nextauth]/route.py already exist(s)" in result.stderr
    assert route.read_text() == "# hand-written\n" and not (tmp_path / "app" / "nextauth.toml").exists()
    forced = cli("init", str(tmp_path / "app"), "--yes", "--force")
    assert forced.exit_code == 0, forced.output
    assert "GET = handler" in route.read_text()
    backup = tmp_path / "app" / ".nextauth" / "backup" / "app" / "api" / "auth" / "[...nextauth]" / "route.py.bak"
    assert backup.read_text() == "# hand-written\n"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["-p", "githib"], 1, "unknown provider 'githib'"),
        (["-p", "credentials", "--session", "database"], 2, "credentials sign-ins only work with JWT sessions"),
        (["--url", "localhost:3000"], 2, "must start with http:// or https://"),
        (["--url", "http://localhost:3000/app"], 2, "origin only"),
        (["--cookie-domain", "example.com"], 2, "also give --production-url"),
        (
            ["--production-url", "https://app.other.net", "--cookie-domain", "example.com"],
            2,
            "not under the cookie domain",
        ),
        (["-p", "oauth"], 2, "the generic `oauth` provider needs endpoints"),
        (["--base-path", "api/auth/"], 2, "--base-path 'api/auth/' is not a URL path"),
        (["--router", "nope"], 2, "Invalid value for '--router'"),
    ],
)
def test_init_refuses_bad_answers(tmp_path: Path, cli: Invoke, args: list[str], code: int, message: str) -> None:
    result = cli("init", str(tmp_path / "app"), "--yes", *args)
    assert result.exit_code == code
    assert message in result.stderr
    assert not (tmp_path / "app").exists()


def test_unknown_provider_suggests_close_ids(tmp_path: Path, cli: Invoke) -> None:
    project = new_project(tmp_path / "app")
    result = cli("add-provider", "gogle", "-C", str(project))
    assert result.exit_code == 1
    assert "error: unknown provider 'gogle'" in result.stderr
    assert "did you mean 'google'?" in result.stderr


def test_invalid_toml_reports_line_and_column(tmp_path: Path, cli: Invoke) -> None:
    project = new_project(tmp_path / "app")
    text = (project / "nextauth.toml").read_text()
    (project / "nextauth.toml").write_text(text.replace('mode = "simple"', "mode = simple"))
    result = cli("generate", str(project))
    assert result.exit_code == 1
    line = text.splitlines().index('mode = "simple"') + 1
    assert f"{project / 'nextauth.toml'}:{line}:8: invalid TOML" in result.stderr
    assert "Traceback" not in result.output


def test_a_password_in_the_database_url_goes_to_env_local_not_to_the_toml(tmp_path: Path, cli: Invoke) -> None:
    url = "postgresql://app:s3cr3t@db.internal:5432/app"
    result = cli("init", str(tmp_path / "app"), "--yes", "-p", "github", "--session", "database", "--database-url", url)
    assert result.exit_code == 0, result.output
    assert "s3cr3t" not in (tmp_path / "app" / "nextauth.toml").read_text()
    assert f"DATABASE_URL={url}" in (tmp_path / "app" / ".env.local").read_text()
    assert 'SQLAlchemyAdapter(require("DATABASE_URL"))' in (tmp_path / "app" / "auth_options.py").read_text()
    assert "s3cr3t" not in result.output


def test_providers_lists_the_catalog(cli: Invoke) -> None:
    result = cli("providers", "--json")
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == list(CATALOG)
    github = next(r for r in rows if r["id"] == "github")
    assert github["env"] == ["GITHUB_ID", "GITHUB_SECRET"]
    assert github["redirect_uri"] == "<NEXTAUTH_URL>/api/auth/callback/github"
    table = cli("providers", env={"COLUMNS": "250"})
    assert table.exit_code == 0 and "azure-ad" in table.stdout and "KEYCLOAK_ISSUER" in table.stdout


def test_secret_prints_writes_rotates(tmp_path: Path, cli: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    from nextauth_cli import _envfile

    printed = cli("secret")
    assert printed.exit_code == 0 and printed.stdout == "fixed-test-secret-Qm9vb2sgaXMgbm90IHJhbmRvbQ\n"
    monkeypatch.undo()
    assert len(_envfile.new_secret()) == 43 and _envfile.new_secret() != _envfile.new_secret()
    assert cli("secret", "--write", "-C", str(tmp_path)).exit_code == 0
    first = _envfile.read_env(tmp_path / ".env.local")["NEXTAUTH_SECRET"]
    assert first and len(first) == 43
    assert ".env.local" in (tmp_path / ".gitignore").read_text()
    again = cli("secret", "--write", "-C", str(tmp_path))
    assert again.exit_code == 1 and "NEXTAUTH_SECRET is already set in .env.local" in again.stderr
    rotated = cli("secret", "--write", "--rotate", "-C", str(tmp_path))
    assert rotated.exit_code == 0 and "1 old one(s) kept" in rotated.stdout
    value = _envfile.read_env(tmp_path / ".env.local")["NEXTAUTH_SECRET"] or ""
    assert value.split(",")[1] == first and len(value.split(",")) == 2
    replaced = cli("secret", "--write", "--force", "-C", str(tmp_path))
    assert replaced.exit_code == 0 and "," not in (_envfile.read_env(tmp_path / ".env.local")["NEXTAUTH_SECRET"] or ",")
    assert cli("secret", "--rotate").exit_code == 2


def test_db_init_creates_the_tables(tmp_path: Path, cli: Invoke) -> None:
    project = new_project(tmp_path / "app", providers=["github"], session="database")
    result = cli("db", "init", str(project))
    assert result.exit_code == 0, result.output
    assert "the nextauth tables exist in sqlite:///./nextauth.db" in result.stdout
    with sqlite3.connect(project / "nextauth.db") as conn:
        names = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
    assert {"users", "accounts", "sessions", "verification_tokens"} <= names
    assert cli("db", "init", str(project)).exit_code == 0  # idempotent


def test_db_init_reports_an_unreachable_database_with_the_password_masked(tmp_path: Path, cli: Invoke) -> None:
    started = time.monotonic()
    (tmp_path / "a-file").write_text("not a directory")
    result = cli("db", "init", str(tmp_path), "--database-url", f"sqlite:///{tmp_path}/a-file/y.db")
    assert result.exit_code == 1 and "cannot create the tables" in result.stderr
    masked = cli("db", "init", str(tmp_path), "--database-url", "postgresql+psycopg://u:hunter2@127.0.0.1:1/x")
    assert masked.exit_code == 1
    assert "hunter2" not in masked.output and "u:***@127.0.0.1:1" in masked.stderr
    assert time.monotonic() - started < 30
    none = cli("db", "init", str(tmp_path))
    assert none.exit_code == 1 and "not a nextauth project (no nextauth.toml here or above)" in none.stderr


def test_serve_commands_check_the_directory(tmp_path: Path, cli: Invoke) -> None:
    for command in ("dev", "start"):
        result = cli(command, str(tmp_path / "missing"))
        assert result.exit_code == 1 and "is not a directory" in result.stderr
