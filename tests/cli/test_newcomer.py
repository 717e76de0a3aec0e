"""Issue 14: the traps a newcomer hit, each driven as they drove it (the `nextauth` program in a subprocess).

Fast here: every command that must refuse, and the port check (nothing is started). The servers that do
start are in test_newcomer_serve.py (slow).
"""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
NEXTAUTH = str(BIN / "nextauth")
NOT_A_PROJECT = "not a nextauth project (no nextauth.toml here or above)"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEXTAUTH_", "AUTH_"))}
    # Not on PATH, as after `python3 -m venv .venv && .venv/bin/pip install .` without activating it.
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if Path(p) != BIN)
    env.update({"COLUMNS": "200", "NO_COLOR": "1"})
    env.update(extra)
    return env


def run(
    *args: str, cwd: Path, program: str = NEXTAUTH, timeout: float = 60, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [program, *args], cwd=cwd, capture_output=True, text=True, env=_env(**env), timeout=timeout, check=False
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    made = run("init", "myapp", "--yes", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    return tmp_path / "myapp"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def listening() -> Iterator[int]:
    """A port another program holds."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


# -- trap 5: a port already in use ------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["dev", "start"])
def test_a_taken_port_is_named_with_what_to_do_before_any_banner(project: Path, listening: int, command: str) -> None:
    result = run(command, "--port", str(listening), cwd=project.parent / "myapp")
    assert result.returncode == 3  # documented: nextauth --help, errors.py, docs/cli.md
    assert "serving" not in result.stdout + result.stderr  # no banner announcing a server that never ran
    assert "Errno" not in result.stderr and "Traceback" not in result.stderr
    assert f"port {listening} on 127.0.0.1 is already in use" in result.stderr
    assert f"--port {listening + 1}" in result.stderr


def test_the_exit_code_of_a_taken_port_is_documented() -> None:
    helped = subprocess.run([NEXTAUTH, "--help"], capture_output=True, text=True, env=_env(), check=True)
    assert "3 port in use" in " ".join(helped.stdout.split())
    assert "exit status 3" in (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text()


def test_python_m_nextauth_server_names_a_taken_port_too(project: Path, listening: int) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "nextauth.server", str(project), "--port", str(listening)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
    )
    assert result.returncode == 3 and "serving" not in result.stdout
    assert f"port {listening} on 127.0.0.1 is already in use" in result.stderr


# -- trap 7: the project directory is the positional DIR everywhere ---------------------------------------


def test_every_project_command_takes_the_positional_dir(project: Path) -> None:
    outside = project.parent
    added = run("add-provider", "github", "myapp", cwd=outside)
    assert added.returncode == 0, added.stderr
    assert "[providers.github]" in (project / "nextauth.toml").read_text()
    assert run("generate", "myapp", "--check", cwd=outside).returncode == 0
    assert run("remove-provider", "github", "myapp", cwd=outside).returncode == 0
    assert "[providers.github]" not in (project / "nextauth.toml").read_text()
    rotated = run("secret", "myapp", "--write", "--rotate", cwd=outside)
    assert rotated.returncode == 0 and "rotated NEXTAUTH_SECRET" in rotated.stdout
    assert run("doctor", "myapp", cwd=outside).returncode == 0
    assert not (outside / ".env.local").exists()  # nothing was written where the command ran


def test_dash_c_still_works_but_is_no_longer_advertised(project: Path) -> None:
    outside = project.parent
    assert run("add-provider", "github", "-C", "myapp", cwd=outside).returncode == 0
    assert run("remove-provider", "github", "--dir", "myapp", cwd=outside).returncode == 0
    assert run("secret", "--write", "--rotate", "-C", "myapp", cwd=outside).returncode == 0
    for command in ("add-provider", "remove-provider", "secret"):
        helped = run(command, "--help", cwd=outside).stdout
        assert "-C" not in helped and "--dir" not in helped and "[DIR]" in helped
    both = run("remove-provider", "github", "myapp", "-C", "myapp", cwd=outside)
    assert both.returncode == 2 and "once" in both.stderr


# -- trap 8: outside a project ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["doctor"],
        ["generate"],
        ["add-provider", "github"],
        ["remove-provider", "github"],
        ["dev"],
        ["start"],
        ["db", "init"],
        ["db", "upgrade"],
    ],
    ids=" ".join,
)
def test_outside_a_project_every_command_says_so_and_exits(tmp_path: Path, command: list[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(*command, cwd=empty, timeout=30)  # `dev` used to wait for files forever: the timeout fails it
    assert result.returncode == 1
    assert NOT_A_PROJECT in result.stderr
    assert "serving" not in result.stdout
    assert list(empty.iterdir()) == []


def test_a_project_is_found_from_a_folder_inside_it(project: Path) -> None:
    inside = project / "app"
    result = run("add-provider", "github", cwd=inside)
    assert result.returncode == 0, result.stderr
    assert "[providers.github]" in (project / "nextauth.toml").read_text()
    assert not (inside / "nextauth.toml").exists()


def test_dev_in_a_project_without_routes_says_which_command_writes_them(project: Path) -> None:
    import shutil

    shutil.rmtree(project / "app")
    result = run("dev", "--port", str(_free_port()), cwd=project, timeout=30)
    assert result.returncode == 1 and "found neither pages/ nor app/" in result.stderr
    assert "generate" in result.stderr


# -- trap 9: next steps as the user can type them ---------------------------------------------------------


def _steps(output: str) -> dict[str, str]:
    """``{"doctor": "<the command line>", "dev": ...}`` from init's next steps."""
    found = {}
    for line in output.splitlines():
        for name in ("doctor", "dev", "db init"):
            marker = f" {name}"
            if ":" in line and marker in line and ("Check" in line or "Run" in line or "Create" in line):
                command = line.split(":", 1)[1].split("→")[0].strip()
                found[name] = command
    return found


def test_next_steps_print_the_program_as_run_when_it_is_not_on_path(tmp_path: Path) -> None:
    # The README's way: a venv in the current folder, not activated.
    venv_bin = tmp_path / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "nextauth").symlink_to(NEXTAUTH)
    made = run(
        "init", "demo", "--yes", "-p", "email", "--session", "database", cwd=tmp_path, program=".venv/bin/nextauth"
    )
    assert made.returncode == 0, made.stderr
    steps = _steps(made.stdout)
    assert steps == {
        "db init": ".venv/bin/nextauth db init demo",
        "doctor": ".venv/bin/nextauth doctor demo",
        "dev": ".venv/bin/nextauth dev demo",
    }
    # Typed as printed, in a shell without the venv on PATH, they run.
    created = subprocess.run(steps["db init"], shell=True, cwd=tmp_path, capture_output=True, text=True, env=_env())
    assert created.returncode == 0 and "the nextauth tables exist" in created.stdout, created.stderr
    checked = subprocess.run(steps["doctor"], shell=True, cwd=tmp_path, capture_output=True, text=True, env=_env())
    assert "EMAIL_SERVER is not set" in checked.stdout, checked.stderr  # it ran, and found what is left to fill in


def test_next_steps_print_the_bare_name_when_it_is_on_path(tmp_path: Path) -> None:
    env_path = os.pathsep.join([str(BIN), _env()["PATH"]])
    made = run("init", "demo", "--yes", cwd=tmp_path, PATH=env_path)
    assert made.returncode == 0, made.stderr
    assert _steps(made.stdout) == {"doctor": "nextauth doctor demo", "dev": "nextauth dev demo"}


def test_next_steps_quote_a_directory_with_spaces(tmp_path: Path) -> None:
    made = run("init", "my app", "--yes", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    doctor = _steps(made.stdout)["doctor"]
    assert shlex.split(doctor) == [NEXTAUTH, "doctor", "my app"]
    done = subprocess.run(doctor, shell=True, cwd=tmp_path, capture_output=True, text=True, env=_env())
    assert done.returncode == 0, done.stderr


# -- trap 3: credentials with database sessions, whatever else is chosen -----------------------------------

CREDENTIALS_DATABASE = "credentials sign-ins only work with JWT sessions"


def test_init_flags_refuse_credentials_with_database_sessions_beside_other_providers(tmp_path: Path) -> None:
    result = run("init", "app", "--yes", "-p", "credentials", "-p", "email", "--session", "database", cwd=tmp_path)
    assert result.returncode == 2
    assert CREDENTIALS_DATABASE in result.stderr and "signed out" in result.stderr  # the why
    assert "--session jwt" in result.stderr and "--provider email --session database" in result.stderr  # the way out
    assert not (tmp_path / "app").exists()


def test_add_provider_generate_and_doctor_refuse_it_too(tmp_path: Path) -> None:
    assert run("init", "db", "--yes", "-p", "email", "--session", "database", cwd=tmp_path).returncode == 0
    toml = (tmp_path / "db" / "nextauth.toml").read_text()
    added = run("add-provider", "credentials", "db", cwd=tmp_path)
    assert added.returncode == 1 and CREDENTIALS_DATABASE in added.stderr
    assert (tmp_path / "db" / "nextauth.toml").read_text() == toml  # nothing written

    assert run("init", "jwt", "--yes", "-p", "credentials", "-p", "email", cwd=tmp_path).returncode == 0
    project = tmp_path / "jwt"
    config = project / "nextauth.toml"
    config.write_text(config.read_text().replace('strategy = "jwt"', 'strategy = "database"'))
    generated = run("generate", "jwt", cwd=tmp_path)
    assert generated.returncode == 1 and CREDENTIALS_DATABASE in generated.stderr
    doctor = run("doctor", "jwt", "--json", cwd=tmp_path)
    import json

    findings = {f["check"]: f for f in json.loads(doctor.stdout)["findings"]}
    assert doctor.returncode == 1 and findings["credentials-database"]["level"] == "error"
    assert 'strategy = "jwt"' in findings["credentials-database"]["fix"]


def test_the_interview_does_not_offer_database_sessions_with_credentials(tmp_path: Path) -> None:
    import pexpect

    from nextauth_cli._interview import _provider_choices

    env = _env(TERM="xterm-256color", COLUMNS="120", LINES="40", PROMPT_TOOLKIT_NO_CPR="1")
    child = pexpect.spawn(NEXTAUTH, ["init", "app"], cwd=str(tmp_path), env=env, encoding="utf-8", timeout=30)
    try:
        child.expect("Router layout")
        child.send("\r")
        child.expect("Initialization")
        child.send("\r")
        child.expect("Providers")
        github = [value for value, _ in _provider_choices()].index("github")
        child.send("\x1b[B" * github + " " + "\r")  # credentials (first) stays checked; add github
        child.expect("Development URL")
        asked = child.before or ""
        child.send("\r")
        child.expect("Production URL")
        child.send("\r")
        while child.expect(["Paths only signed-in users", "Next steps"]) == 0:  # later questions: defaults
            child.send("\r")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    assert "Sessions" in asked and "cannot create database sessions" in asked  # said, not asked
    assert "rows in a database" not in asked
    text = (tmp_path / "app" / "nextauth.toml").read_text()
    assert 'strategy = "jwt"' in text and "[providers.github]" in text and "[providers.credentials]" in text


# -- trap 10: the README's first command leaves the clone clean --------------------------------------------


def test_the_projects_the_first_commands_create_in_the_clone_are_ignored_by_git() -> None:
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text()
    index = (root / "docs" / "index.md").read_text()
    assert "nextauth init demo --yes" in readme and "nextauth init myapp" in index  # the folders they create
    for folder in ("demo/", "myapp/", "demo/.env.local", "myapp/app/api/auth/[...nextauth]/route.py"):
        ignored = subprocess.run(["git", "-C", str(root), "check-ignore", "-q", "--no-index", folder], check=False)
        assert ignored.returncode == 0, folder
    assert "git-ignored" in readme  # and the README says so
