"""Issue 11, hole 1: the CLI never reads, moves, overwrites or deletes a file outside the project.

``.nextauth/manifest.json`` and ``nextauth.toml`` are input like any other. Every hostile path they can
name (``../x``, absolute, ``a/../../x``, a symlink out, NUL, very long, a path inside the project that
nextauth never writes for that role) must make ``generate``, ``generate --force``, ``init --force`` and
``remove-provider`` stop with a clean error (exit 1, ``error:`` and its fix, no traceback) before any
write: the files outside keep their content, mode and mtime, and the project is exactly as it was.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from clikit import Invoke, new_project
from security_figures import record

from nextauth_cli._fs import Changeset
from nextauth_cli.errors import CliError

Snapshot = dict[str, tuple[bytes | str, int, int]]
VICTIM = "outside secret: must never move\n"


def snapshot(root: Path) -> Snapshot:
    """Every entry under ``root``: content (or symlink target), mode and mtime, without following links."""
    out: Snapshot = {}
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        if path.is_symlink():
            out[path.relative_to(root).as_posix()] = (os.readlink(path), st.st_mode, st.st_mtime_ns)
        elif path.is_file():
            out[path.relative_to(root).as_posix()] = (path.read_bytes(), st.st_mode, st.st_mtime_ns)
        else:
            out[path.relative_to(root).as_posix()] = (b"<dir>", st.st_mode, 0)
    return out


def outside_tree(tmp_path: Path) -> Path:
    """A directory beside the project holding files a hostile manifest could name."""
    outside = tmp_path / "outside"
    for rel in (
        "victim.py",
        "auth_options.py",
        ".env.example",
        "x",
        "app/api/auth/[...nextauth]/route.py",
        "[...nextauth]/route.py",
    ):
        (outside / rel).parent.mkdir(parents=True, exist_ok=True)
        (outside / rel).write_text(VICTIM, encoding="utf-8")
    return outside


def _manifest(project: Path, role: str, path: object) -> None:
    manifest = project / ".nextauth" / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["files"][role] = {"path": path}
    manifest.write_text(json.dumps(data), encoding="utf-8")


def hostile_setups(outside: Path) -> dict[str, Callable[[Path], None]]:
    """Each way to point the CLI outside the project (or at a file nextauth never writes), by name."""
    long_path = "app/" + "a/" * 600 + "[...nextauth]/route.py"

    def symlinked_route_dir(project: Path) -> None:
        (project / "app" / "evil").symlink_to(outside / "app" / "api")
        _manifest(project, "route", "app/evil/auth/[...nextauth]/route.py")

    def symlinked_options_file(project: Path) -> None:
        (project / "auth_options.py").unlink()
        (project / "auth_options.py").symlink_to(outside / "auth_options.py")

    def symlinked_state_dir(project: Path) -> None:
        state = project / ".nextauth"
        (outside / "state").mkdir()
        for item in state.rglob("*"):
            target = outside / "state" / item.relative_to(state)
            if item.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(item.read_bytes())
        subprocess.run(["rm", "-rf", str(state)], check=True)
        state.symlink_to(outside / "state")

    def symlinked_app_dir(project: Path) -> None:
        subprocess.run(["rm", "-rf", str(project / "app")], check=True)
        (project / "app").symlink_to(outside / "app")

    return {
        "dotdot": lambda p: _manifest(p, "route", "../outside/victim.py"),
        "dotdot-options": lambda p: _manifest(p, "options", "../outside/auth_options.py"),
        "absolute": lambda p: _manifest(p, "options", str(outside / "auth_options.py")),
        "absolute-env-example": lambda p: _manifest(p, "env_example", str(outside / ".env.example")),
        "inner-dotdot": lambda p: _manifest(p, "route", "app/../../outside/app/api/auth/[...nextauth]/route.py"),
        "a-dotdot-dotdot-x": lambda p: _manifest(p, "route", "a/../../outside/x"),
        "nul": lambda p: _manifest(p, "route", "app/api/auth/[...nextauth]/route.py\x00.txt"),
        "newline": lambda p: _manifest(p, "options", "auth_options.py\n../outside/x"),
        "backslash": lambda p: _manifest(p, "options", "..\\outside\\auth_options.py"),
        "very-long": lambda p: _manifest(p, "route", long_path),
        "not-a-string": lambda p: _manifest(p, "route", ["..", "outside"]),
        "inside-but-not-its-file": lambda p: _manifest(p, "env_example", "nextauth.toml"),
        "inside-git-dir": lambda p: _manifest(p, "options", ".git/config"),
        "symlinked-route-dir": symlinked_route_dir,
        "symlinked-options-file": symlinked_options_file,
        "symlinked-state-dir": symlinked_state_dir,
        "symlinked-app-dir": symlinked_app_dir,
    }


COMMANDS: dict[str, Callable[[Path], list[str]]] = {
    "generate": lambda p: ["generate", str(p)],
    "generate --force": lambda p: ["generate", str(p), "--force"],
    "init --force": lambda p: ["init", str(p), "--yes", "--force", "-p", "credentials", "-p", "github"],
    "remove-provider": lambda p: ["remove-provider", "github", "-C", str(p)],
    "add-provider": lambda p: ["add-provider", "google", "-C", str(p)],
}


def _edit_generated_files(project: Path) -> None:
    """User edits, so that a move would be a merge: the old code carried outside content into the project."""
    options = project / "auth_options.py"
    options.write_text(options.read_text(encoding="utf-8") + "\n# my edit\n", encoding="utf-8")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_hostile_paths_touch_nothing_inside_or_outside(tmp_path: Path, cli: Invoke, command: str) -> None:
    tried = accepted = 0
    setups = hostile_setups(outside_tree(tmp_path))
    for name, setup in setups.items():
        root = tmp_path / name.replace(" ", "-")
        outside = tmp_path / "outside"
        project = new_project(root / "app", providers=["credentials", "github"])
        _edit_generated_files(project)
        setup(project)
        before_out, before_in = snapshot(outside), snapshot(project)
        result = cli(*COMMANDS[command](project))  # catch_exceptions=False: a traceback fails the test
        tried += 1
        touched = snapshot(outside) != before_out or snapshot(project) != before_in
        accepted += touched or result.exit_code == 0
        assert snapshot(outside) == before_out, f"{command} / {name}: a file outside the project changed"
        assert snapshot(project) == before_in, f"{command} / {name}: the project changed"
        assert result.exit_code == 1, f"{command} / {name}: {result.output}"
        assert "error:" in result.stderr and "Traceback" not in result.output, result.output
        assert "nothing was changed" in result.stderr or "never writes" in result.stderr, result.stderr
    record("cli path escapes", tried=tried, accepted=accepted, what="hostile manifest/symlink paths x commands")
    assert accepted == 0


def test_a_hostile_manifest_is_a_clean_error_in_a_real_process(tmp_path: Path) -> None:
    """The installed command, as a user runs it: exit 1, the message and its fix, no traceback."""
    outside = outside_tree(tmp_path)
    project = new_project(tmp_path / "app", providers=["credentials"])
    _manifest(project, "options", "../outside/auth_options.py")
    before = snapshot(outside)
    for args in (["generate", str(project), "--force"], ["init", str(project), "--yes", "--force"]):
        proc = subprocess.run(
            [sys.executable, "-m", "nextauth_cli", *args], capture_output=True, text=True, check=False
        )
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr
        said = " ".join(proc.stderr.split())  # the console wraps long lines
        assert ".nextauth/manifest.json" in said and "outside the project" in said
        assert "fix: correct .nextauth/manifest.json, or delete it" in said
    assert snapshot(outside) == before
    assert (outside / "auth_options.py").read_text(encoding="utf-8") == VICTIM


@pytest.mark.parametrize(
    "base_path",
    ["/api/..", "/api/../../x", "/..", "/.", "/api/./auth", "/api/auth/", "/api\n/auth", "/api\x00", "/" + "a" * 300],
)
def test_base_path_with_dot_segments_is_refused(tmp_path: Path, cli: Invoke, base_path: str) -> None:
    project = new_project(tmp_path / "app")
    config = project / "nextauth.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('base_path = "/api/auth"', f"base_path = {json.dumps(base_path)}"), encoding="utf-8")
    before_out, before_in = snapshot(tmp_path), snapshot(project)
    result = cli("generate", str(project), "--force")
    assert result.exit_code == 1
    assert "`base_path` must be a URL path" in result.stderr
    assert snapshot(tmp_path) == before_out and snapshot(project) == before_in
    refused = cli("init", str(tmp_path / "new"), "--yes", "--base-path", base_path)
    assert refused.exit_code == 2 and "--base-path" in refused.stderr
    assert not (tmp_path / "new").exists()
    record("cli base_path escapes", tried=2, accepted=0, what="base_path with . / .. / control chars")


def test_a_changeset_refuses_a_write_through_a_symlink_before_writing_anything(tmp_path: Path) -> None:
    """The last line of defence: every path of a changeset is checked before the first byte is written."""
    project, outside = tmp_path / "p", tmp_path / "o"
    project.mkdir()
    outside.mkdir()
    (project / "link").symlink_to(outside)
    changes = Changeset(project)
    changes.write(project / "a.txt", "first\n")
    changes.write(project / "link" / "b.txt", "escaped\n")
    changes.write(project / ".." / "o" / "c.txt", "escaped\n")
    with pytest.raises(CliError, match="outside the project") as raised:
        changes.commit()
    assert raised.value.code == "unsafe-path" and raised.value.exit_code == 1
    assert sorted(p.name for p in project.iterdir()) == ["link"]
    assert list(outside.iterdir()) == []


def test_legitimate_paths_still_work(tmp_path: Path, cli: Invoke) -> None:
    """A project reached through a symlink, a custom base path, a router change: all still generate."""
    real = new_project(tmp_path / "real", providers=["credentials"], base_path="/auth/v1.2/~x")
    (tmp_path / "alias").symlink_to(real)
    config = real / "nextauth.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('router = "app"', 'router = "pages"'), encoding="utf-8"
    )
    result = cli("generate", str(tmp_path / "alias"))
    assert result.exit_code == 0, result.output
    assert (real / "pages/auth/v1.2/~x/[...nextauth].py").is_file()
    assert not (real / "app").exists()


def test_an_oversized_or_deeply_nested_manifest_is_a_clean_outcome(tmp_path: Path, cli: Invoke) -> None:
    """Bounded reads: a 2 MB manifest is refused, a 200,000-deep one is treated as unreadable; no traceback."""
    project = new_project(tmp_path / "app")
    manifest = project / ".nextauth" / "manifest.json"
    manifest.write_text("[" * 200_000, encoding="utf-8")
    result = cli("generate", str(project))  # no manifest to go by: the files match their render
    assert result.exit_code == 0, result.output
    manifest.write_text(" " * (2 << 20) + "{}", encoding="utf-8")
    before = snapshot(project)
    result = cli("generate", str(project), "--force")
    assert result.exit_code == 1 and "larger than 1 MB" in result.stderr
    assert snapshot(project) == before
