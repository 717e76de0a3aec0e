"""The built wheel works on its own: installed into a fresh venv outside the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    )
    wheels = list(out.glob("nextauth-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "nextauth/__init__.py" in names
    assert "nextauth/py.typed" in names
    assert "nextauth_cli/py.typed" in names
    assert "nextauth_cli/cli.py" in names
    templates = [n for n in names if n.startswith("nextauth_cli/templates/")]
    assert templates, "templates/ must ship inside the wheel as nextauth_cli/templates"
    assert not any(n.startswith(("runtime/", "tests/", "templates/")) for n in names)


def test_installed_wheel_runs_outside_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        check=True,
        env=env,
        cwd=tmp_path,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    help_out = subprocess.run(
        [str(env_dir / "bin" / "nextauth"), "--help"], check=True, capture_output=True, text=True, env=env, cwd=work
    )
    assert "nextauth" in help_out.stdout.lower()
    probe = (
        "import nextauth, nextauth_cli, pathlib, sys\n"
        "from nextauth_cli._render import template_root as templates_dir\n"
        "t = pathlib.Path(str(templates_dir()))\n"
        "print(pathlib.Path(nextauth.__file__).resolve())\n"
        "print(t.resolve())\n"
        "print(sum(1 for p in t.rglob('*') if p.is_file()))\n"
    )
    out = subprocess.run(
        [str(python), "-c", probe], check=True, capture_output=True, text=True, env=env, cwd=work
    ).stdout.split("\n")
    runtime_file, templates, count = Path(out[0]), Path(out[1]), int(out[2])
    site = env_dir.resolve()
    assert site in runtime_file.parents, f"nextauth imported from {runtime_file}, not the installed copy"
    assert site in templates.parents, f"templates found at {templates}, not inside the installed package"
    assert ROOT not in templates.parents
    assert count > 0
