"""How long `nextauth` takes to start, and what rendering and regenerating a project cost.

Run: .venv/bin/python benchmarks/cli_startup.py   (prints medians; no asserts)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NEXTAUTH = str(Path(sys.executable).with_name("nextauth"))


def _median_ms(command: list[str], runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    print(f"nextauth --help           {_median_ms([NEXTAUTH, '--help']):7.1f} ms (median of 15 processes)")
    print(f"nextauth --version        {_median_ms([NEXTAUTH, '--version']):7.1f} ms")
    print(f"nextauth init --help      {_median_ms([NEXTAUTH, 'init', '--help']):7.1f} ms")
    print(f"nextauth providers        {_median_ms([NEXTAUTH, 'providers']):7.1f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "app"
        init = [NEXTAUTH, "init", str(project), "--yes", "-p", "credentials", "-p", "github"]
        start = time.perf_counter()
        subprocess.run(init, capture_output=True, check=True)
        print(f"nextauth init --yes       {(time.perf_counter() - start) * 1000:7.1f} ms (one run)")
        print(f"nextauth generate         {_median_ms([NEXTAUTH, 'generate', str(project)], runs=7):7.1f} ms")
        print(
            f"nextauth generate --check {_median_ms([NEXTAUTH, 'generate', '--check', str(project)], runs=7):7.1f} ms"
        )
        print(f"nextauth doctor           {_median_ms([NEXTAUTH, 'doctor', str(project)], runs=7):7.1f} ms")

        from nextauth_cli._render import render
        from nextauth_cli.config import load_config
        from nextauth_cli.project import regenerate

        config = load_config(project)
        render(config)
        start = time.perf_counter()
        for _ in range(20):
            render(config)
        print(f"render (copier, in-process) {(time.perf_counter() - start) / 20 * 1000:5.1f} ms per project")
        start = time.perf_counter()
        for _ in range(20):
            regenerate(project)
        print(f"regenerate (in-process)     {(time.perf_counter() - start) / 20 * 1000:5.1f} ms per run")


if __name__ == "__main__":
    main()
