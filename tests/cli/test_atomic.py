"""All-or-nothing writes: a failure or Ctrl-C in the middle of a commit leaves the project as it was."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from clikit import Invoke, new_project, tree

from nextauth_cli import _fs
from nextauth_cli._fs import Changeset
from nextauth_cli.config import Answers
from nextauth_cli.errors import WriteError
from nextauth_cli.project import add_provider, scaffold


def _failing_replace(monkeypatch: pytest.MonkeyPatch, *, after: int, error: BaseException) -> None:
    """Let ``after`` replacements of the commit through, then raise ``error`` on the next one."""
    real = _fs._replace
    calls = {"n": 0}

    def replace(source: Path, target: Path) -> None:
        calls["n"] += 1
        if calls["n"] > after:
            raise error
        real(source, target)

    monkeypatch.setattr(_fs, "_replace", replace)


@pytest.mark.parametrize(
    "error",
    [
        pytest.param(OSError(28, "No space left on device"), id="oserror"),
        pytest.param(KeyboardInterrupt(), id="ctrl-c"),
    ],
)
def test_a_failure_midway_through_add_provider_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    project = new_project(tmp_path / "app", providers=["credentials"])
    before = tree(project)
    _failing_replace(monkeypatch, after=2, error=error)
    with pytest.raises((WriteError, KeyboardInterrupt)):
        add_provider(project, "github")
    monkeypatch.undo()
    assert tree(project) == before  # same files, same bytes, no temporary files left behind


def test_a_failure_midway_through_init_leaves_no_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _failing_replace(monkeypatch, after=3, error=KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        scaffold(tmp_path / "new" / "app", Answers())
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_a_failure_while_staging_touches_no_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text("old a")
    changes = Changeset(tmp_path)
    changes.write(tmp_path / "a.txt", "new a")
    changes.write(tmp_path / "sub" / "b.txt", "new b")
    real = _fs._stage
    calls = {"n": 0}

    def stage(path: Path, text: str) -> Path:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(5, "Input/output error", str(path))
        return real(path, text)

    monkeypatch.setattr(_fs, "_stage", stage)
    with pytest.raises(WriteError, match="nothing was changed"):
        changes.commit()
    assert tree(tmp_path) == {"a.txt": "old a"}


def test_modes_are_kept_and_deletions_prune_empty_directories(tmp_path: Path) -> None:
    script = tmp_path / "run.sh"
    script.write_text("old")
    script.chmod(0o755)
    nested = tmp_path / "x" / "y" / "z.txt"
    nested.parent.mkdir(parents=True)
    nested.write_text("gone")
    changes = Changeset(tmp_path)
    changes.write(script, "new")
    changes.delete(nested)
    assert sorted(p.name for p in changes.commit()) == ["run.sh", "z.txt"]
    assert script.stat().st_mode & 0o777 == 0o755 and script.read_text() == "new"
    assert not (tmp_path / "x").exists()


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    """An empty directory nobody may write to, root included: a read-only tmpfs, else an immutable directory."""
    target = tmp_path / "ro"
    target.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(target)], capture_output=True)
    if mounted.returncode == 0:
        yield target
        subprocess.run(["umount", str(target)], check=True)
        return
    immutable = subprocess.run(["chattr", "+i", str(target)], capture_output=True) if shutil.which("chattr") else None
    if immutable is None or immutable.returncode != 0:
        pytest.skip("cannot make a read-only directory here (needs mount or chattr)")
    yield target
    subprocess.run(["chattr", "-i", str(target)], check=True)


def test_a_read_only_directory_is_an_error_not_a_traceback(read_only_dir: Path, cli: Invoke) -> None:
    result = cli("init", str(read_only_dir), "--yes")
    assert result.exit_code == 1
    assert "error: cannot write" in result.stderr
    assert "nothing was changed" in result.stderr
    assert list(read_only_dir.iterdir()) == []
