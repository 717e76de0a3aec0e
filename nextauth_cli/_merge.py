"""Three-way merge of text files: the last render (base), the user's file (ours), the new render (theirs).

``git merge-file`` does it when git is installed (it needs no repository). Without git, a small diff3
of our own gives the same kind of result: changes on one side only are taken, identical changes on
both sides are taken once, and overlapping different changes become a conflict with diff3-style
markers (yours, the last render, the new render). ``NEXTAUTH_MERGE=git|builtin`` forces an engine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Literal

__all__ = ["LABELS", "MergeResult", "diff3", "has_conflict_markers", "merge3"]

Engine = Literal["auto", "git", "builtin"]
LABELS = ("your version", "last generated", "new render from nextauth.toml")
MARKERS = ("<<<<<<< ", "||||||| ", "=======", ">>>>>>> ")


@dataclass(frozen=True)
class MergeResult:
    text: str
    conflicts: int
    engine: str


def merge3(base: str, ours: str, theirs: str, *, engine: Engine = "auto") -> MergeResult:
    """Merge ``theirs``' changes to ``base`` into ``ours``; ``conflicts`` counts the conflict blocks."""
    if ours == theirs:
        return MergeResult(ours, 0, "trivial")
    if ours == base:
        return MergeResult(theirs, 0, "trivial")
    if theirs == base:
        return MergeResult(ours, 0, "trivial")
    choice = engine if engine != "auto" else os.environ.get("NEXTAUTH_MERGE", "auto")
    git = shutil.which("git") if choice in ("auto", "git") else None
    if git is not None:
        result = _git_merge(git, base, ours, theirs)
        if result is not None:
            return result
    text, conflicts = diff3(base, ours, theirs)
    return MergeResult(text, conflicts, "builtin")


def _git_merge(git: str, base: str, ours: str, theirs: str) -> MergeResult | None:
    with tempfile.TemporaryDirectory(prefix="nextauth-merge-") as tmp:
        paths = []
        for name, text in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = Path(tmp) / name
            path.write_bytes(text.encode("utf-8"))
            paths.append(str(path))
        labels = [arg for label in LABELS for arg in ("-L", label)]
        env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "LC_ALL": "C"}
        try:
            proc = subprocess.run(
                [git, "merge-file", "-p", "--diff3", *labels, *paths],
                capture_output=True,
                env=env,
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return None
    if proc.returncode < 0 or proc.returncode >= 128:
        return None  # git failed (not a conflict count): fall back to the built-in merge
    return MergeResult(proc.stdout.decode("utf-8"), proc.returncode, "git")


def _matches(base: list[str], other: list[str]) -> dict[int, int]:
    found: dict[int, int] = {}
    for a, b, size in SequenceMatcher(None, base, other, autojunk=False).get_matching_blocks():
        for offset in range(size):
            found[a + offset] = b + offset
    return found


def _terminated(lines: list[str]) -> list[str]:
    if lines and not lines[-1].endswith("\n"):
        return [*lines[:-1], lines[-1] + "\n"]
    return lines


def diff3(base: str, ours: str, theirs: str) -> tuple[str, int]:
    """The classic diff3 merge on lines; returns ``(text, number of conflict blocks)``.

    Stable lines are base lines matched in both ``ours`` and ``theirs`` at the current positions;
    between two stable points each side either kept the base (take the other side), or both made the
    same change (take it once), or they differ (a conflict block, never a silent choice).
    """
    b, o, t = base.splitlines(keepends=True), ours.splitlines(keepends=True), theirs.splitlines(keepends=True)
    in_ours, in_theirs = _matches(b, o), _matches(b, t)
    out: list[str] = []
    conflicts = 0
    i = j = k = 0
    while True:
        if i < len(b) and in_ours.get(i) == j and in_theirs.get(i) == k:
            out.append(b[i])
            i, j, k = i + 1, j + 1, k + 1
            continue
        nxt = i
        while nxt < len(b) and not (nxt in in_ours and nxt in in_theirs):
            nxt += 1
        if nxt < len(b):
            j2, k2 = in_ours[nxt], in_theirs[nxt]
        else:
            j2, k2 = len(o), len(t)
        if (nxt, j2, k2) == (i, j, k):
            break
        chunk_b, chunk_o, chunk_t = b[i:nxt], o[j:j2], t[k:k2]
        if chunk_o == chunk_b:
            out.extend(chunk_t)
        elif chunk_t in (chunk_b, chunk_o):
            out.extend(chunk_o)
        else:
            conflicts += 1
            out.append(f"{MARKERS[0]}{LABELS[0]}\n")
            out.extend(_terminated(chunk_o))
            out.append(f"{MARKERS[1]}{LABELS[1]}\n")
            out.extend(_terminated(chunk_b))
            out.append(f"{MARKERS[2]}\n")
            out.extend(_terminated(chunk_t))
            out.append(f"{MARKERS[3]}{LABELS[2]}\n")
        i, j, k = nxt, j2, k2
    return "".join(out), conflicts


def has_conflict_markers(text: str) -> bool:
    """Whether ``text`` still holds an unresolved conflict block written by ``generate --force``."""
    lines = text.splitlines()
    return any(line.startswith(MARKERS[0]) for line in lines) and any(line.startswith(MARKERS[3]) for line in lines)
