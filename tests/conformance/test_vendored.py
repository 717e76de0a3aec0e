"""The vendored ground truth (``kit/``, ``tests/browser/reference/``) and ``scripts/refresh-vendored``.

The suite reads only these copies. The script keeps them byte-identical to ../shared: these tests run it on a
scratch repository and a scratch ../shared built from the copies, so they need nothing outside the clone; only
the last one compares with the real ../shared, when it is there.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "refresh-vendored"
VENDORED = {"conformance": ROOT / "tests/conformance/kit", "spec/next-auth-pages": ROOT / "tests/browser/reference"}
SHARED = ROOT.parent / "shared"


def run(script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, timeout=60, check=False)


def plain_copy(source: Path, target: Path) -> None:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


@pytest.fixture
def scratch(tmp_path: Path) -> tuple[Path, Path]:
    """A repository holding the script and the vendored copies, and a ../shared that matches them."""
    repo, shared = tmp_path / "repo", tmp_path / "shared"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy2(SCRIPT, repo / "scripts" / SCRIPT.name)
    for source, copy in VENDORED.items():
        plain_copy(copy, repo / copy.relative_to(ROOT))
        plain_copy(copy, shared / source)
    # What the kit has and the repo does not vendor: no test runs the recording app.
    (shared / "conformance" / "oracle-app").mkdir()
    (shared / "conformance" / "oracle-app" / "package.json").write_text("{}\n")
    return repo, shared


def test_the_vendored_kit_is_what_the_tests_read() -> None:
    for name in ("run.sh", "transcript.py", "compare.py", "options.md", "jwt.mjs", "package-lock.json"):
        assert (VENDORED["conformance"] / name).is_file(), name
    goldens = sorted(p.name for p in (VENDORED["conformance"] / "golden").iterdir())
    assert goldens == ["next-auth-app.json", "next-auth-pages.json"]
    assert (VENDORED["conformance"] / "middleware" / "golden" / "next-auth-middleware.json").is_file()
    assert sorted(p.name for p in VENDORED["spec/next-auth-pages"].glob("*.png")) == [
        "error-AccessDenied.png",
        "signin.png",
        "signout.png",
        "verify-request.png",
    ]


def test_check_passes_when_in_sync(scratch: tuple[Path, Path]) -> None:
    repo, shared = scratch
    result = run(repo / "scripts" / SCRIPT.name, "--check", "--shared", str(shared))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "match" in result.stdout


def test_check_lists_every_drift_and_changes_nothing(scratch: tuple[Path, Path]) -> None:
    repo, shared = scratch
    kit = shared / "conformance"
    golden = kit / "golden" / "next-auth-pages.json"
    golden.write_bytes(golden.read_bytes().replace(b'"status": 200', b'"status": 201', 1))
    (kit / "golden" / "next-auth-middleware-v2.json").write_text("{}\n")
    (kit / "jwt.mjs").unlink()
    (shared / "spec" / "next-auth-pages" / "signin.png").write_bytes(b"\x89PNG other")
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}

    result = run(repo / "scripts" / SCRIPT.name, "--check", "--shared", str(shared))

    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "missing  tests/conformance/kit/golden/next-auth-middleware-v2.json",
        "changed  tests/conformance/kit/golden/next-auth-pages.json",
        "extra    tests/conformance/kit/jwt.mjs",
        "changed  tests/browser/reference/signin.png",
    ]
    assert "4 file(s) differ" in result.stderr
    assert {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()} == before


def test_refresh_makes_the_copies_byte_identical(scratch: tuple[Path, Path]) -> None:
    repo, shared = scratch
    kit = shared / "conformance"
    (kit / "compare.py").write_bytes(b"#!/usr/bin/env python3\nprint('new comparer')\r\n")
    (kit / "compare.py").chmod(0o755)
    (kit / "middleware" / "golden" / "extra.json").write_text("[]\n")
    (kit / "options.md").unlink()
    script = repo / "scripts" / SCRIPT.name

    refreshed = run(script, "--shared", str(shared))

    assert refreshed.returncode == 0, refreshed.stdout + refreshed.stderr
    copy = repo / "tests/conformance/kit"
    assert (copy / "compare.py").read_bytes() == (kit / "compare.py").read_bytes()  # CRLF kept as is
    assert (copy / "compare.py").stat().st_mode & 0o111  # still executable: run.sh's siblings keep their mode
    assert (copy / "middleware" / "golden" / "extra.json").read_text() == "[]\n"
    assert not (copy / "options.md").exists()
    assert not (copy / "oracle-app").exists()
    assert not list(repo.rglob("*.tmp"))
    assert run(script, "--check", "--shared", str(shared)).returncode == 0


def test_a_missing_shared_folder_is_a_clear_error(scratch: tuple[Path, Path], tmp_path: Path) -> None:
    repo, _shared = scratch
    result = run(repo / "scripts" / SCRIPT.name, "--check", "--shared", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "not found" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(not (SHARED / "conformance").is_dir(), reason="no ../shared beside the clone: nothing to compare")
def test_the_vendored_copies_match_shared() -> None:
    result = run(SCRIPT, "--check")
    assert result.returncode == 0, f"the vendored copies drifted from ../shared:\n{result.stdout}{result.stderr}"
