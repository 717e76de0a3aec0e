"""What a Python module defines at its top level, read with :mod:`ast` (never imported or run).

One walker for the CLI: ``generate`` (does auth_callbacks.py already define ``authorize_<id>``?) and
``doctor`` (does the route file define ``GET``/``POST``/``handler``?) must agree, or one would call a file
complete that the other calls broken.
"""

from __future__ import annotations

import ast
from pathlib import Path

__all__ = ["defined_names", "defined_names_in", "keyword_arguments"]

MAX_SOURCE_BYTES = 1_000_000
"""Files larger than this are not parsed (a generated or hand-written auth module is a few kilobytes)."""


def defined_names(source: str) -> set[str] | None:
    """Names bound at the top level of ``source``; ``None`` when it is not valid Python.

    Functions, classes, assignments (plain and annotated) and imports, as Python binds them:
    ``from m import a as b`` binds ``b``; ``import a.b`` binds ``a``; ``import a.b as c`` binds ``c``.
    ``from m import *`` binds nothing this walker can name.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):  # ValueError: NUL bytes in the source
        return None
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom):
            names.update(a.asname or a.name for a in node.names if a.name != "*")
        elif isinstance(node, ast.Import):
            names.update(a.asname or a.name.split(".")[0] for a in node.names)
    return names


def _read(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_SOURCE_BYTES:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def defined_names_in(path: Path) -> set[str] | None:
    """:func:`defined_names` of the file at ``path``; ``None`` when it is missing, unreadable or not Python."""
    source = _read(path)
    return None if source is None else defined_names(source)


def keyword_arguments(path: Path, wanted: tuple[str, ...]) -> dict[str, ast.expr]:
    """Keyword arguments named in ``wanted`` passed anywhere in the module at ``path`` (the last one wins)."""
    source = _read(path)
    if source is None:
        return {}
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return {}
    found: dict[str, ast.expr] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in wanted:
            found[node.arg] = node.value
    return found
