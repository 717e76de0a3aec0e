"""How long `nextauth` takes to start, and what rendering and regenerating a project cost (issue 18).

Each command runs as a whole process several times, alternating with `python -c pass` (the floor: the
interpreter starting and stopping); the script prints the median wall and CPU time of each, and the ratio to
the floor measured in the same rounds, which holds when the machine's speed drifts. Goals: `nextauth --help`
under 100 ms and `nextauth init DIR --yes` under 300 ms of wall time on a quiet machine.

Run: .venv/bin/python benchmarks/cli_startup.py [--runs N]   (prints figures; no asserts)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

NEXTAUTH = str(Path(sys.executable).with_name("nextauth"))
FLOOR = [sys.executable, "-c", "pass"]


def _run(command: list[str], *, check: bool = True) -> tuple[float, float]:
    """One process: (wall seconds, CPU seconds of the process and its children)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if check and process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited with {process.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def measure(label: str, make: Callable[[], list[str]], runs: int, *, check: bool = True) -> None:
    """``make()`` gives the command of one run (a fresh directory for init); rounds alternate with the floor."""
    walls, cpus, floor_walls, floor_cpus = [], [], [], []
    _run(make(), check=check)
    _run(FLOOR)  # warm-up: file caches, .pyc files
    for _ in range(runs):
        wall, cpu = _run(make(), check=check)
        walls.append(wall)
        cpus.append(cpu)
        wall, cpu = _run(FLOOR)
        floor_walls.append(wall)
        floor_cpus.append(cpu)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    ratio_wall = statistics.median(w / f for w, f in zip(walls, floor_walls, strict=True))
    ratio_cpu = statistics.median(c / f for c, f in zip(cpus, floor_cpus, strict=True))
    print(
        f"{label:<28} wall {wall * 1000:7.1f} ms  cpu {cpu * 1000:7.1f} ms   "
        f"x floor: wall {ratio_wall:5.1f}  cpu {ratio_cpu:5.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11, help="runs of each command (median reported)")
    runs = parser.parse_args().runs
    floor = statistics.median(_run(FLOOR)[0] for _ in range(runs))
    print(f"floor: python -c pass, median wall {floor * 1000:.1f} ms ({runs} runs per figure, medians)\n")
    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(10**6))

        def fresh_init() -> list[str]:
            return [NEXTAUTH, "init", str(Path(tmp) / f"init{next(counter)}"), "--yes"]

        measure("nextauth --help", lambda: [NEXTAUTH, "--help"], runs)
        measure("nextauth --version", lambda: [NEXTAUTH, "--version"], runs)
        measure("nextauth init --help", lambda: [NEXTAUTH, "init", "--help"], runs)
        measure("nextauth init DIR --yes", fresh_init, runs)
        project = Path(tmp) / "app"
        subprocess.run(
            [NEXTAUTH, "init", str(project), "--yes", "-p", "credentials", "-p", "github"],
            capture_output=True,
            check=True,
        )
        measure("nextauth providers", lambda: [NEXTAUTH, "providers"], runs)
        measure("nextauth generate --check", lambda: [NEXTAUTH, "generate", "--check", str(project)], runs)
        # doctor exits 1 here (the GitHub variables are placeholders): timed all the same
        measure("nextauth doctor", lambda: [NEXTAUTH, "doctor", str(project)], max(3, runs // 2), check=False)

        from nextauth_cli._render import render
        from nextauth_cli.config import load_config
        from nextauth_cli.project import regenerate

        config = load_config(project)
        render(config)
        start = time.perf_counter()
        for _ in range(50):
            render(config)
        print(f"\nrender (jinja2, in-process)  {(time.perf_counter() - start) / 50 * 1000:6.2f} ms per project")
        start = time.perf_counter()
        for _ in range(20):
            regenerate(project)
        print(f"regenerate (in-process)      {(time.perf_counter() - start) / 20 * 1000:6.2f} ms per run")


if __name__ == "__main__":
    main()
