"""One AST walker for the CLI: doctor and generate agree on what a module defines (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nextauth_cli._pynames import defined_names, defined_names_in


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def GET(): ...\nasync def POST(): ...\nclass C: ...", {"GET", "POST", "C"}),
        ("a = b = 1\nc: int = 2\nd: int", {"a", "b", "c", "d"}),
        ("from m import x, y as z", {"x", "z"}),
        ("import os.path", {"os"}),  # `import a.b` binds a
        ("import os.path as p", {"p"}),  # `import a.b as c` binds c
        ("import handlers as handler", {"handler"}),
        ("from m import *", set()),
        ("if True:\n    nested = 1", set()),  # only the top level: what an import surely binds
    ],
)
def test_names_as_python_binds_them(source: str, expected: set[str]) -> None:
    assert defined_names(source) == expected


def test_invalid_or_hostile_sources_are_none() -> None:
    assert defined_names("def (") is None
    assert defined_names("x = 1\0") is None  # NUL: ast raises ValueError, not SyntaxError


def test_unreadable_or_oversized_files_are_none(tmp_path: Path) -> None:
    assert defined_names_in(tmp_path / "missing.py") is None
    (tmp_path / "latin1.py").write_bytes(b"x = '\xff'\n")
    assert defined_names_in(tmp_path / "latin1.py") is None
    (tmp_path / "huge.py").write_text("x = 1\n" * 200_000)  # 1.2 MB
    assert defined_names_in(tmp_path / "huge.py") is None
