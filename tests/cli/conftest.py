"""Fixtures for the CLI tests: fixed "random" secrets, a CLI runner, and projects in tmp_path."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from clikit import FIXED_DEMO, FIXED_SECRET, Invoke
from typer.testing import CliRunner, Result

from nextauth_cli import _envfile
from nextauth_cli.cli import app


@pytest.fixture(autouse=True)
def fixed_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Generated secrets are random; tests and golden files need them fixed."""
    monkeypatch.setattr(_envfile, "new_secret", lambda: FIXED_SECRET)
    monkeypatch.setattr(_envfile, "new_demo_credentials", lambda: FIXED_DEMO)


@pytest.fixture(autouse=True)
def keep_cwd() -> Iterator[None]:
    cwd = Path.cwd()
    yield
    os.chdir(cwd)


@pytest.fixture
def cli() -> Invoke:
    """Run ``nextauth <args>`` in-process; returns typer's Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)

    return invoke
