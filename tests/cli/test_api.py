"""The programmatic API: a small, lazily imported surface that the commands are built on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nextauth_cli


def test_every_exported_name_resolves() -> None:
    assert nextauth_cli.__all__ == sorted(nextauth_cli.__all__)
    for name in nextauth_cli.__all__:
        assert getattr(nextauth_cli, name) is not None
    try:
        nextauth_cli.not_a_name  # noqa: B018
    except AttributeError as exc:
        assert "not_a_name" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("unknown attributes must raise AttributeError")


def test_scaffold_regenerate_diagnose(tmp_path: Path) -> None:
    written = nextauth_cli.scaffold(tmp_path / "app", nextauth_cli.Answers(router="pages", providers=["github"]))
    assert tmp_path / "app" / "pages/api/auth/[...nextauth].py" in written
    assert nextauth_cli.regenerate(tmp_path / "app", check=True).up_to_date
    report = nextauth_cli.diagnose(tmp_path / "app", environ={})
    assert {f.message.split(" is not set")[0] for f in report.errors} == {"GITHUB_ID", "GITHUB_SECRET"}


def test_python_dash_m_runs_the_command() -> None:
    proc = subprocess.run([sys.executable, "-m", "nextauth_cli", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("nextauth ")
