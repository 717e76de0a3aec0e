"""The CLI starts fast because of what it does not import (issue 18); no timed asserts here.

`nextauth --help` and every command's own help load neither rich's help rendering nor pydantic (typer 0.29's
converters: typer stays below 0.29), copier, jinja2, tomlkit, the runtime or ``importlib.metadata``;
`nextauth init --yes` never loads copier, questionary, pydantic, httpx or the runtime beyond the matcher and
loopback rules. The modules of ``nextauth_cli`` import one another without a circle (an
import hidden inside a function counts). ``benchmarks/cli_startup.py`` prints the times.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from clikit import Invoke

CLI = Path(__file__).resolve().parents[2] / "nextauth_cli"
NOT_FOR_HELP = (
    "copier",
    "jinja2",
    "tomlkit",
    "questionary",
    "pydantic",
    "rich",
    "httpx",
    "starlette",
    "importlib.metadata",
    "nextauth._core",
    "nextauth.providers",
)
COMMANDS = (
    "init",
    "add-provider",
    "remove-provider",
    "providers",
    "generate",
    "secret",
    "doctor",
    "dev",
    "start",
    "db",
)
NOT_FOR_INIT = (
    "copier",
    "plumbum",
    "questionary",
    "pydantic",  # typer 0.29 built a pydantic adapter per parameter: ~140 ms of init's ~450 (issue 18)
    "importlib.metadata",  # pydantic's plugin loader brought it
    "httpx",
    "starlette",
    "nextauth._core",
    "nextauth.providers",
)


def _loaded(argv: list[str], cwd: Path | None = None) -> set[str]:
    script = textwrap.dedent(
        f"""
        import json, sys
        sys.argv = ["nextauth", *{argv!r}]
        from nextauth_cli.cli import main
        try:
            main()
        except SystemExit:
            pass
        sys.stdout.write("\\n" + json.dumps(sorted(sys.modules)))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=cwd, check=True
    )
    return set(json.loads(done.stdout.rsplit("\n", 1)[-1]))


def _heavy(loaded: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(name for name in names if name in loaded)


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["-h"], ["--version"], [], ["init", "--help"], ["add-provider", "--help"], ["db", "--help"]],
    ids=lambda argv: " ".join(argv) or "none",
)
def test_help_and_version_load_nothing_heavy(argv: list[str]) -> None:
    assert _heavy(_loaded(argv), NOT_FOR_HELP) == []


def test_init_yes_loads_no_copier_no_questionary_no_runtime(tmp_path: Path) -> None:
    loaded = _loaded(["init", str(tmp_path / "app"), "--yes"])
    assert (tmp_path / "app" / "nextauth.toml").is_file()
    assert _heavy(loaded, NOT_FOR_INIT) == []
    runtime = sorted(name for name in loaded if name == "nextauth" or name.startswith("nextauth."))
    assert set(runtime) <= {
        "nextauth",
        "nextauth.__about__",
        "nextauth.errors",
        "nextauth._lib",
        "nextauth._lib.matcher",
        "nextauth._lib.loopback",
        "nextauth._lib.url",
    }, runtime


def test_the_runtime_mechanisms_import_without_the_pipeline() -> None:
    """`nextauth` is a lazy face: its mechanisms (what the CLI uses) load without Starlette or the pipeline."""
    code = (
        "import sys, nextauth._lib.matcher, nextauth.errors, nextauth.__about__\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", "import json\n" + code], capture_output=True, text=True, timeout=60, check=True
    )
    loaded = set(json.loads(done.stdout))
    assert _heavy(loaded, ("starlette", "httpx", "nextauth._core", "nextauth.providers", "nextauth.options")) == []
    import nextauth

    assert nextauth.NextAuth.__module__ == "nextauth._core.next"  # and the names still resolve on use
    assert set(nextauth.__all__) <= set(dir(nextauth))


def test_root_help_lists_every_command_with_its_whole_first_paragraph(cli: Invoke) -> None:
    shown = " ".join(cli("--help").stdout.split())
    for name in COMMANDS:
        assert f" {name} " in shown
    assert "(signed-in users only)." in shown  # init's first paragraph, not cut at 45 characters
    assert "..." not in shown.replace("[...nextauth]", "").replace("[ARGS]...", "")
    db = " ".join(cli("db", "--help").stdout.split())
    assert "(existing tables are kept)." in db and "(run it after upgrading nextauth)." in db


def test_command_help_keeps_the_examples_line_by_line(cli: Invoke) -> None:
    lines = cli("init", "--help").stdout.splitlines()
    assert "    nextauth init myapp --yes" in lines
    assert (
        "    nextauth init . --provider email --session database --database-url postgresql://localhost/app -y" in lines
    )
    assert not any("completion" in line for line in lines)  # completion options belong to the root only


def test_a_mistyped_command_is_named_with_a_suggestion(cli: Invoke) -> None:
    result = cli("ini")
    assert result.exit_code == 2 and "Did you mean 'init'?" in result.output


# -- no import circles ---------------------------------------------------------------------------------------


def _module_of(path: Path) -> str:
    parts = list(path.relative_to(CLI.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every module ``source`` imports, anywhere in the file except under ``if TYPE_CHECKING:``."""
    tree = ast.parse(source)
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            hidden.update(id(inner) for stmt in node.body for inner in ast.walk(stmt))
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join([*parts[: len(parts) - node.level + 1], *([node.module] if node.module else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_of_the_cli_imports_one_that_imports_it_back() -> None:
    modules = {_module_of(path): path for path in CLI.rglob("*.py")}
    graph = {
        name: {
            found
            for found in _imports(path.read_text(encoding="utf-8"), name, is_package=path.name == "__init__.py")
            if found in modules and found != name
        }
        for name, path in modules.items()
    }
    assert len(graph) > 20 and graph["nextauth_cli.config"]  # the reader found the modules and their imports
    assert _cycles(graph) == []


def test_the_cycle_finder_sees_a_circle_and_the_reader_an_import_inside_a_function() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import x\ndef f():\n    from . import y\n"
    expected = {"typing", "typing.TYPE_CHECKING", "nextauth_cli", "nextauth_cli.y"}  # not x
    assert _imports(source, "nextauth_cli._probe") == expected
