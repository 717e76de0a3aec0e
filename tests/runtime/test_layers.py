"""The runtime's layers, read from the source: what each folder may import (docs/architecture.md).

- ``nextauth._lib`` (mechanisms) imports only itself and ``nextauth.errors``: never the pipeline nor a public face.
- ``nextauth.pages`` (HTML) imports only itself, ``nextauth.options`` and ``nextauth.providers``.
- ``nextauth._core`` (pipeline) never imports what is built on it: the package face, ``session``, ``fastapi``,
  ``middleware`` or ``server``.
- The public base modules (``errors``, ``options``, ``jwt``, ``env``, ``api``, ``events``, ``providers``,
  ``adapters``, ``pages``) never import the pipeline: only the faces built on it do.

Imports are read with ``ast`` (every ``import``/``from`` anywhere in a file, under ``TYPE_CHECKING`` too), so an
import hidden inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import nextauth

PACKAGE = Path(nextauth.__file__).parent

LIB_MAY_IMPORT = ("nextauth._lib", "nextauth.errors")
PAGES_MAY_IMPORT = ("nextauth.pages", "nextauth.options", "nextauth.providers")
BASE_MODULES = ("errors.py", "options.py", "jwt.py", "env.py", "api.py", "events.py", "providers", "adapters", "pages")
CORE_MUST_NOT_IMPORT = ("nextauth.session", "nextauth.fastapi", "nextauth.middleware", "nextauth.server")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every ``nextauth`` module a file names in an import (``from nextauth import x`` counts as ``nextauth.x``)."""
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            # ``from nextauth import jwt`` imports the module nextauth.jwt; ``from nextauth import NextAuth`` the face.
            subs = {f"{target}.{alias.name}" for alias in node.names}
            found.update(subs)
            if not all(is_module(name) for name in subs):
                found.add(target)
    return {name for name in found if name == "nextauth" or name.startswith("nextauth.")}


def is_module(name: str) -> bool:
    if name == "nextauth":
        return True
    if not name.startswith("nextauth."):
        return False
    rel = Path(*name.split(".")[1:])
    return (PACKAGE / rel).with_suffix(".py").is_file() or (PACKAGE / rel / "__init__.py").is_file()


def real_modules(names: set[str]) -> set[str]:
    """Keep the names that are modules of the package (``from nextauth.errors import X`` also adds ``...errors.X``)."""
    return {name for name in names if is_module(name)}


def files_under(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def imports_of(path: Path) -> set[str]:
    return real_modules(imported_modules(path.read_text(), module_name(path), is_package=path.name == "__init__.py"))


@pytest.mark.parametrize("path", files_under("_lib"), ids=lambda p: p.name)
def test_mechanisms_import_only_mechanisms_and_errors(path: Path) -> None:
    assert {name for name in imports_of(path) if not within(name, LIB_MAY_IMPORT)} == set()


@pytest.mark.parametrize("path", files_under("pages"), ids=lambda p: p.name)
def test_pages_import_only_options_and_providers(path: Path) -> None:
    assert {name for name in imports_of(path) if not within(name, PAGES_MAY_IMPORT)} == set()


@pytest.mark.parametrize("path", files_under("_core"), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_pipeline_never_imports_what_is_built_on_it(path: Path) -> None:
    bad = {name for name in imports_of(path) if name == "nextauth" or within(name, CORE_MUST_NOT_IMPORT)}
    assert bad == set()


def base_files() -> list[Path]:
    out: list[Path] = []
    for name in BASE_MODULES:
        out += [PACKAGE / name] if name.endswith(".py") else files_under(name)
    return out


@pytest.mark.parametrize("path", base_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_public_base_modules_never_import_the_pipeline(path: Path) -> None:
    assert {name for name in imports_of(path) if within(name, ("nextauth._core",))} == set()


def test_the_folders_exist_and_hold_code() -> None:
    assert len(files_under("_lib")) >= 10
    assert len(files_under("_core")) >= 10


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("from nextauth._core.init import Internal", "nextauth._core.init", id="from-absolute"),
        pytest.param("import nextauth._core.dispatch", "nextauth._core.dispatch", id="import-absolute"),
        pytest.param("from nextauth import session", "nextauth.session", id="from-package"),
        pytest.param("def f():\n    from .._core import email\n", "nextauth._core.email", id="relative-in-function"),
        pytest.param(
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from nextauth.server import x\n",
            "nextauth.server",
            id="type-checking",
        ),
    ],
)
def test_the_reader_sees_each_import_form(source: str, expected: str) -> None:
    assert expected in real_modules(imported_modules(source, "nextauth._lib.cookies"))
    assert not within(expected, LIB_MAY_IMPORT)
