"""What the docs show type-checks under ``mypy --strict`` (dicts for nested options, endpoints as URLs or dicts),
and the type checker's view of the option classes stays in step with their fields."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from nextauth.options import AuthOptions
from nextauth.providers.oauth import OAuthProvider

SNIPPET = Path(__file__).parent / "snippets" / "options_as_docs_write_them.py"
ROOT = Path(__file__).resolve().parents[2]


def stub_parameters(cls: type) -> list[str]:
    """The keyword parameters of the ``__init__`` a class declares under ``if TYPE_CHECKING:``."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    (klass,) = tree.body
    assert isinstance(klass, ast.ClassDef)
    for node in klass.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            (init,) = (n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__")
            return [a.arg for a in init.args.kwonlyargs]
    raise AssertionError(f"{cls.__name__} has no TYPE_CHECKING __init__")


@pytest.mark.parametrize("cls", [AuthOptions, OAuthProvider])
def test_the_type_checkers_init_lists_every_field(cls: type) -> None:
    """A field added to the dataclass and not to the typed ``__init__`` would be refused by mypy."""
    fields = [f.name for f in dataclasses.fields(cls) if f.init]
    assert stub_parameters(cls) == fields


def mypy_strict(path: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", str(cache), str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=240,
        check=False,
    )


@pytest.mark.slow  # runs mypy over the runtime's import graph
def test_options_as_the_docs_write_them_type_check(tmp_path: Path) -> None:
    ok = mypy_strict(SNIPPET, tmp_path / "cache")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    # Controls: a wrong strategy and a number for an endpoint are refused, so the pass above means something.
    broken = tmp_path / "broken_options.py"
    broken.write_text(
        SNIPPET.read_text()
        .replace('{"strategy": "jwt", "max_age": 3600}', '{"strategy": "jvt", "max_age": 3600}')
        .replace('token="https://sso.example.com/token"', "token=42")
    )
    refused = mypy_strict(broken, tmp_path / "cache")
    assert refused.returncode == 1, refused.stdout
    errors = [line for line in refused.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 2, errors
    assert any('"strategy"' in e for e in errors) and any('Argument "token"' in e for e in errors), errors


def test_the_snippet_runs() -> None:
    """The typed snippet is also valid at run time (the options it builds are accepted)."""
    namespace: dict[str, object] = {}
    exec(compile(SNIPPET.read_text(), str(SNIPPET), "exec"), namespace)
    options = namespace["auth_options"]
    assert isinstance(options, AuthOptions)
    assert options.session.max_age == 3600 and options.jwt.max_age == 3600 and options.pages.new_user == "/welcome"
    corp = options.providers[1]
    assert isinstance(corp, OAuthProvider) and corp.authorization.params == {"scope": "openid email"}
    assert corp.token.url == "https://sso.example.com/token"
