"""Python source for generated files, laid out as ``ruff format`` (black style) lays it out.

Generated files must be ruff-formatted without ruff being installed, so the few shapes they contain
(calls with keyword arguments, lists, dicts, literals, import statements) are modelled here and printed
with black's right-hand split: a bracket whose contents fit on one line keeps them on one line;
otherwise each element goes on its own line with a trailing comma, recursively. The golden-file tests
run ``ruff format --check`` over every rendered tree, so any drift from ruff shows up there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "LINE_LENGTH",
    "Call",
    "Dict",
    "Expr",
    "List",
    "Raw",
    "format_imports",
    "format_statement",
    "literal",
    "py_string",
]

LINE_LENGTH = 88  # ruff's and black's default: what a user's own formatter most likely uses
INDENT = "    "


class Expr:
    """A Python expression that knows its one-line form and, if bracketed, how to split.

    ``explode`` puts every element on its own line with a trailing comma, which ruff keeps (the "magic
    trailing comma"): generated code uses it where one element per line makes merges line up.
    """

    explode: bool = False

    def flat(self) -> str:
        raise NotImplementedError

    def parts(self) -> tuple[str, list[tuple[str, Expr]], str] | None:
        """``(opener, [(prefix, element)], closer)`` for bracketed expressions, else ``None``."""
        return None


@dataclass(frozen=True)
class Raw(Expr):
    """Code that is never split: a name, an attribute, a short call such as ``require("X")``."""

    code: str

    def flat(self) -> str:
        return self.code


@dataclass(frozen=True)
class Call(Expr):
    func: str
    args: Sequence[Expr] = ()
    kwargs: Sequence[tuple[str, Expr]] = ()
    explode: bool = False

    def flat(self) -> str:
        inner = [a.flat() for a in self.args] + [f"{k}={v.flat()}" for k, v in self.kwargs]
        return f"{self.func}({', '.join(inner)})"

    def parts(self) -> tuple[str, list[tuple[str, Expr]], str] | None:
        elements = [("", a) for a in self.args] + [(f"{k}=", v) for k, v in self.kwargs]
        return (f"{self.func}(", elements, ")") if elements else None


@dataclass(frozen=True)
class List(Expr):
    items: Sequence[Expr] = field(default_factory=list)
    explode: bool = False

    def flat(self) -> str:
        return "[" + ", ".join(i.flat() for i in self.items) + "]"

    def parts(self) -> tuple[str, list[tuple[str, Expr]], str] | None:
        return ("[", [("", i) for i in self.items], "]") if self.items else None


@dataclass(frozen=True)
class Dict(Expr):
    items: Sequence[tuple[str, Expr]] = field(default_factory=list)

    def flat(self) -> str:
        return "{" + ", ".join(f"{py_string(k)}: {v.flat()}" for k, v in self.items) + "}"

    def parts(self) -> tuple[str, list[tuple[str, Expr]], str] | None:
        return ("{", [(f"{py_string(k)}: ", v) for k, v in self.items], "}") if self.items else None


def py_string(value: str) -> str:
    """A string literal as ruff writes it: double quotes unless single quotes need fewer escapes."""
    quote = "'" if value.count('"') > value.count("'") else '"'
    out = []
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == quote:
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif not ch.isprintable():
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    return quote + "".join(out) + quote


def literal(value: Any) -> Expr:
    """A TOML value (str, int, float, bool, list, table) as a Python expression."""
    if isinstance(value, bool):
        return Raw("True" if value else "False")
    if value is None:
        return Raw("None")
    if isinstance(value, str):
        return Raw(py_string(value))
    if isinstance(value, int | float):
        return Raw(repr(value))
    if isinstance(value, Mapping):
        return Dict([(str(k), literal(v)) for k, v in value.items()])
    if isinstance(value, Sequence):
        return List([literal(v) for v in value])
    raise TypeError(f"cannot write a {type(value).__name__} as Python")


def _lines(expr: Expr, depth: int, prefix: str, suffix: str) -> list[str]:
    indent = INDENT * depth
    one = f"{indent}{prefix}{expr.flat()}{suffix}"
    split = expr.parts()
    if split is None or (len(one) <= LINE_LENGTH and not expr.explode):
        return [one]
    opener, elements, closer = split
    head, tail = f"{indent}{prefix}{opener}", f"{indent}{closer}{suffix}"
    if len(elements) == 1 and not expr.explode:
        # one element: no comma to split at, so no trailing comma is added (black's rule)
        element_prefix, element = elements[0]
        return [head, *_lines(element, depth + 1, element_prefix, ""), tail]
    inner = INDENT * (depth + 1)
    body = ", ".join(p + e.flat() for p, e in elements)
    # call arguments that fit stay on one line; a collection literal is always exploded
    if isinstance(expr, Call) and not expr.explode and len(inner + body) <= LINE_LENGTH:
        return [head, inner + body, tail]
    lines = []
    for element_prefix, element in elements:
        lines.extend(_lines(element, depth + 1, element_prefix, ","))
    return [head, *lines, tail]


def format_statement(target: str, expr: Expr, *, depth: int = 0) -> str:
    """``target = expr`` (or a bare expression when ``target`` is empty), formatted, without a newline."""
    prefix = f"{target} = " if target else ""
    return "\n".join(_lines(expr, depth, prefix, ""))


def format_expr(expr: Expr, *, depth: int = 0, prefix: str = "", suffix: str = "") -> str:
    return "\n".join(_lines(expr, depth, prefix, suffix))


def _sort_key(name: str) -> tuple[int, str]:
    """isort's ``order-by-type``: CONSTANTS, then Classes, then everything else; case-sensitive within."""
    if name.isupper() and len(name) > 1:
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


def format_imports(sections: Sequence[Mapping[str, Sequence[str]]]) -> str:
    """Import sections as ruff's isort writes them, sections separated by one blank line.

    Each section maps a module to the names imported from it; an empty name list means ``import module``.
    """
    blocks: list[str] = []
    for section in sections:
        plain = sorted(m for m, names in section.items() if not names)
        froms = sorted((m for m, names in section.items() if names), key=lambda m: m.lower())
        lines = [f"import {m}" for m in plain]
        for module in froms:
            names = sorted(set(section[module]), key=_sort_key)
            one = f"from {module} import {', '.join(names)}"
            if len(one) <= LINE_LENGTH:
                lines.append(one)
            else:
                lines.append(f"from {module} import (")
                lines.extend(f"{INDENT}{n}," for n in names)
                lines.append(")")
        if lines:
            blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
