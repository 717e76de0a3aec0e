"""Helpers shared by the CLI tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from typer.testing import Result

from nextauth_cli.config import Answers
from nextauth_cli.project import scaffold

FIXED_SECRET = "fixed-test-secret-Qm9vb2sgaXMgbm90IHJhbmRvbQ"
FIXED_DEMO = ("demo-0a1b2c", "fixed-demo-password-Zm9vYmFy")
"""What the "random" secrets are in tests (see the ``fixed_secrets`` fixture)."""

Invoke = Callable[..., Result]
"""The ``cli`` fixture: ``cli("init", "dir", "--yes")`` runs the command in-process."""


def tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` as ``{relative posix path: text}`` (temporary files would show up too)."""
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*")) if p.is_file()
    }


def new_project(root: Path, **answers: object) -> Path:
    """A project scaffolded with ``Answers(**answers)`` in ``root``."""
    scaffold(root, Answers(**answers))  # type: ignore[arg-type]
    return root
