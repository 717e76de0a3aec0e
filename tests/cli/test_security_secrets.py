"""Issue 11, hole 8: secrets at rest.

``.env.local`` is created 0600 (by ``init``, ``secret --write``, ``add-provider``), a rewrite keeps the
mode the user gave it, and a ``kill -9`` in the middle of a write leaves no secret that git would pick
up: the temporary copy is 0600 like its target, the generated ``.gitignore`` ignores ``*.nextauth-tmp``
(and ``generate`` adds the pattern to older projects), and the next run removes the leftover.
"""

from __future__ import annotations

import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from clikit import Invoke, new_project
from security_figures import record


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_init_and_secret_write_create_env_local_0600(tmp_path: Path, cli: Invoke) -> None:
    assert cli("init", str(tmp_path / "app"), "--yes").exit_code == 0
    assert _mode(tmp_path / "app" / ".env.local") == 0o600
    assert _mode(tmp_path / "app" / "auth_options.py") == 0o644  # not a secret: readable as before
    bare = tmp_path / "bare"
    bare.mkdir()
    assert cli("secret", "--write", "-C", str(bare)).exit_code == 0
    assert _mode(bare / ".env.local") == 0o600


def test_a_rewrite_keeps_the_mode_the_user_chose(tmp_path: Path, cli: Invoke) -> None:
    project = new_project(tmp_path / "app")
    env = project / ".env.local"
    env.chmod(0o640)
    (project / "auth_options.py").chmod(0o664)
    assert cli("add-provider", "github", "-C", str(project)).exit_code == 0
    assert "GITHUB_ID" in env.read_text(encoding="utf-8")
    assert _mode(env) == 0o640 and _mode(project / "auth_options.py") == 0o664
    env.chmod(0o400)
    assert cli("secret", "--write", "--force", "-C", str(project)).exit_code == 0
    assert _mode(env) == 0o400


_KILLED_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    from nextauth_cli import _fs
    from nextauth_cli.secret import write_secret


    def replace_then_hang(source: Path, target: Path) -> None:
        print(source, flush=True)  # every temporary file is written: tell the test, then wait for kill -9
        sys.stdin.read()


    _fs._replace = replace_then_hang
    write_secret(Path(sys.argv[1]), force=True)
    """
)


def _kill_mid_write(project: Path) -> Path:
    """Run `secret --write --force` in a child, kill -9 it once its temporary file is staged; the leftover."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(project)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        staged = Path(proc.stdout.readline().strip()) if proc.stdout else None
    finally:
        proc.kill()  # SIGKILL: no cleanup handler runs
        proc.wait()
        if proc.stdin:
            proc.stdin.close()
        if proc.stdout:
            proc.stdout.close()
    assert staged is not None and staged.is_file(), "the child never staged its write"
    return staged


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_kill_9_leftover_is_private_ignored_by_git_and_removed_by_the_next_run(tmp_path: Path, cli: Invoke) -> None:
    project = new_project(tmp_path / "app")
    leftover = _kill_mid_write(project)
    assert leftover.parent == project and leftover.name.startswith("..env.local.")
    assert leftover.name.endswith(".nextauth-tmp")
    assert "NEXTAUTH_SECRET=" in leftover.read_text(encoding="utf-8")  # a full copy of the secrets
    assert _mode(leftover) == 0o600, "the temporary copy of .env.local was readable by others"

    subprocess.run(["git", "init", "-q", str(project)], check=True)
    status = subprocess.run(
        ["git", "-C", str(project), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert leftover.name not in status and ".env.local" not in status, status

    # leftovers of the route and of nextauth's state, as a killed `generate` leaves them
    route_dir = project / "app" / "api" / "auth" / "[...nextauth]"
    others = [
        route_dir / ".route.py.k1l2m3.nextauth-tmp",
        project / ".nextauth" / "renders" / ".route.ab12.nextauth-tmp",
    ]
    for path in others:
        path.write_text("partial", encoding="utf-8")
    keep = [project / "notes.nextauth-tmp.txt", project / "mine.nextauth-tmp"]  # not nextauth's temp names
    for path in keep:
        path.write_text("user file", encoding="utf-8")

    result = cli("generate", str(project))
    assert result.exit_code == 0, result.output
    assert not leftover.exists() and not any(p.exists() for p in others)
    assert all(p.read_text(encoding="utf-8") == "user file" for p in keep)
    record("kill -9 leftovers", tried=1 + len(others), accepted=0, what="temporary copies left by kill -9, cleaned")


def test_generate_teaches_an_older_gitignore_the_temporary_files(tmp_path: Path, cli: Invoke) -> None:
    project = new_project(tmp_path / "app")
    gitignore = project / ".gitignore"
    old = "node_modules/\n\n# nextauth: local secrets\n.env.local\n.env*.local\n"
    gitignore.write_text(old, encoding="utf-8")
    assert cli("generate", str(project), "--check").exit_code == 0  # .gitignore is not a generated file
    assert gitignore.read_text(encoding="utf-8") == old
    result = cli("generate", str(project))
    assert result.exit_code == 0, result.output
    text = gitignore.read_text(encoding="utf-8")
    assert text.startswith(old) and "*.nextauth-tmp" in text.splitlines()
    cli("generate", str(project))
    assert gitignore.read_text(encoding="utf-8") == text  # idempotent


def test_a_new_project_gitignore_lists_the_temporary_files(tmp_path: Path) -> None:
    project = new_project(tmp_path / "app")
    lines = (project / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {".env.local", ".env*.local", "*.nextauth-tmp"} <= set(lines)


def test_secret_write_ignores_the_temporary_files_too(tmp_path: Path, cli: Invoke) -> None:
    bare = tmp_path / "bare"  # no .gitignore: secret --write writes one
    bare.mkdir()
    assert cli("secret", "--write", "-C", str(bare)).exit_code == 0
    assert {".env.local", "*.nextauth-tmp"} <= set((bare / ".gitignore").read_text(encoding="utf-8").splitlines())

    older = tmp_path / "older"  # lists .env.local only, as secret --write left it before
    older.mkdir()
    gitignore = older / ".gitignore"
    gitignore.write_text("node_modules/\n.env.local\n", encoding="utf-8")
    assert cli("secret", "--write", "-C", str(older)).exit_code == 0
    text = gitignore.read_text(encoding="utf-8")
    assert text.startswith("node_modules/\n.env.local\n") and text.splitlines().count(".env.local") == 1
    assert "*.nextauth-tmp" in text.splitlines()
    assert cli("secret", "--write", "--rotate", "-C", str(older)).exit_code == 0
    assert gitignore.read_text(encoding="utf-8") == text  # idempotent
