"""Figures that hostile tests report: how many attacks were tried and how many were accepted.

Every test that throws many hostile inputs at the product records its count here with :func:`record`; the root
``conftest.py`` prints the table in pytest's terminal summary, so a reader of the CI log sees the coverage, not just
a green dot. ``accepted`` counts attempts the product let through (a 5xx, a session created, a file touched outside
the project, ...): the tests assert it is zero, the table shows what was tried.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Figure:
    tried: int = 0
    accepted: int = 0
    what: str = ""


FIGURES: dict[str, Figure] = {}


def record(name: str, *, tried: int, accepted: int = 0, what: str = "") -> None:
    """Add ``tried`` attempts (``accepted`` of them let through) to the figure called ``name``."""
    figure = FIGURES.setdefault(name, Figure(what=what))
    figure.tried += tried
    figure.accepted += accepted
    if what and not figure.what:
        figure.what = what


def summary_lines() -> list[str]:
    if not FIGURES:
        return []
    width = max(len(name) for name in FIGURES)
    lines = [f"{'figure'.ljust(width)}  {'tried':>8}  {'accepted':>8}  what"]
    for name in sorted(FIGURES):
        f = FIGURES[name]
        lines.append(f"{name.ljust(width)}  {f.tried:>8}  {f.accepted:>8}  {f.what}")
    total_tried = sum(f.tried for f in FIGURES.values())
    total_accepted = sum(f.accepted for f in FIGURES.values())
    lines.append(f"{'total'.ljust(width)}  {total_tried:>8}  {total_accepted:>8}")
    return lines
