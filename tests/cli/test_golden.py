"""Golden files: each scenario's rendered tree, byte for byte, and lint- and type-clean.

Regenerate the goldens (after an intended template change) with
``NEXTAUTH_UPDATE_GOLDEN=1 .venv/bin/pytest tests/cli/test_golden.py`` and review the diff.
Files named ``.gitignore`` are stored as ``dot.gitignore``, so that git does not apply them to the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from clikit import tree

from nextauth_cli.config import Answers
from nextauth_cli.project import scaffold

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("NEXTAUTH_UPDATE_GOLDEN") == "1"

PROVIDER_SETS: dict[str, dict[str, object]] = {
    "credentials": {"providers": ["credentials"]},
    "google-github": {
        "providers": ["google", "github"],
        "production_url": "https://app.example.com",
        "cookie_domain": "example.com",
    },
    "email-database": {"providers": ["email"], "session": "database"},
    "keycloak": {"providers": ["keycloak"], "redirect_callback": True},
}
SCENARIOS = {
    f"{router}-{mode}-{name}": {"router": router, "mode": mode, **answers}
    for router in ("app", "pages")
    for mode in ("simple", "advanced")
    for name, answers in PROVIDER_SETS.items()
}


def _stored_name(rel: str) -> str:
    return "/".join("dot.gitignore" if part == ".gitignore" else part for part in rel.split("/"))


def render_scenario(name: str, dest: Path) -> dict[str, str]:
    scaffold(dest, Answers(**SCENARIOS[name]))  # type: ignore[arg-type]
    return {_stored_name(rel): text for rel, text in tree(dest).items()}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_rendered_tree_matches_golden(name: str, tmp_path: Path) -> None:
    rendered = render_scenario(name, tmp_path / name)
    golden_dir = GOLDEN / name
    if UPDATE:
        shutil.rmtree(golden_dir, ignore_errors=True)
        for rel, text in rendered.items():
            path = golden_dir / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
    assert golden_dir.is_dir(), f"no golden files for {name}: run with NEXTAUTH_UPDATE_GOLDEN=1"
    golden = {p.relative_to(golden_dir).as_posix(): p.read_bytes() for p in golden_dir.rglob("*") if p.is_file()}
    assert sorted(rendered) == sorted(golden)
    for rel, text in rendered.items():
        assert text.encode("utf-8") == golden[rel], f"{name}/{rel} differs from its golden file"


def test_every_generated_python_file_starts_with_the_header() -> None:
    for path in GOLDEN.rglob("*.py"):
        if path.name == "auth_callbacks.py":
            continue  # the user's own module: no "generated" header
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# Generated from nextauth.toml by `nextauth generate`; your edits survive regeneration."


def _python_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.py") if ".nextauth" not in p.parts)


def test_rendered_trees_are_ruff_clean_and_formatted() -> None:
    """With a user's likely settings: ruff's default line length and the common rule sets."""
    ruff = [sys.executable, "-m", "ruff"]
    for name in sorted(SCENARIOS):
        root = GOLDEN / name
        files = _python_files(root)
        check = subprocess.run(
            [
                *ruff,
                "check",
                "--isolated",
                "--no-cache",
                "--select",
                "E,W,F,I,B,UP,FA,SIM,C4,RUF,PTH,S",
                "--ignore",
                "S105",
                *files,
            ],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        assert check.returncode == 0, f"{name}:\n{check.stdout}{check.stderr}"
        fmt = subprocess.run(
            [*ruff, "format", "--isolated", "--no-cache", "--check", "--diff", *files],
            cwd=root,
            capture_output=True,
            text=True,
        )
        assert fmt.returncode == 0, f"{name}:\n{fmt.stdout}{fmt.stderr}"


def _unique_names(files: list[str]) -> list[list[str]]:
    """``files`` in batches without two files of the same name: outside a package mypy names a module after
    its file alone, and refuses two modules called ``page`` (``app/page.py``, ``app/dashboard/page.py``)."""
    batches: list[list[str]] = []
    for rel in files:
        name = Path(rel).name
        batch = next((b for b in batches if all(Path(f).name != name for f in b)), None)
        if batch is None:
            batches.append([rel])
        else:
            batch.append(rel)
    return batches


def test_rendered_trees_are_mypy_strict_clean(tmp_path: Path) -> None:
    cache = tmp_path / "mypy-cache"
    for name in sorted(SCENARIOS):
        root = GOLDEN / name
        for files in _unique_names(_python_files(root)):
            proc = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "mypy",
                    "--strict",
                    "--config-file",
                    os.devnull,
                    "--cache-dir",
                    str(cache),
                    *files,
                ],
                cwd=root,
                capture_output=True,
                text=True,
                check=False,
            )
            assert proc.returncode == 0, f"{name}:\n{proc.stdout}{proc.stderr}"
