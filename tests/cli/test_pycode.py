"""The code layout of generated files is ruff's: fuzzed against ``ruff format`` itself."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

from nextauth_cli._pycode import Call, Expr, List, Raw, format_imports, format_statement, literal, py_string


def _random_value(rng: random.Random, depth: int) -> object:
    kind = rng.choice(["str", "int", "bool", "list", "dict"] if depth < 3 else ["str", "int", "bool"])
    if kind == "str":
        alphabet = "abcdefghij klmnop-_/:.'\"\\é"
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
    if kind == "int":
        return rng.randint(-5, 10**9)
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "list":
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 5))]
    return {f"key_{i}{'x' * rng.randint(0, 12)}": _random_value(rng, depth + 1) for i in range(rng.randint(0, 5))}


def _random_expr(rng: random.Random, depth: int = 0) -> Expr:
    if depth < 3 and rng.random() < 0.5:
        kwargs = [
            (f"arg_{i}{'y' * rng.randint(0, 10)}", _random_expr(rng, depth + 1)) for i in range(rng.randint(0, 4))
        ]
        args = [Raw(f'require("VAR_{i}")') for i in range(rng.randint(0, 2))]
        return Call(f"Factory{depth}", args, kwargs, explode=rng.random() < 0.2)
    if depth < 3 and rng.random() < 0.2:
        return List([_random_expr(rng, depth + 1) for _ in range(rng.randint(1, 3))], explode=rng.random() < 0.3)
    return literal(_random_value(rng, depth))


def test_layout_matches_ruff_format(tmp_path: Path) -> None:
    rng = random.Random(20240601)
    files = []
    for index in range(300):
        text = format_statement(f"value_{index}", _random_expr(rng)) + "\n"
        path = tmp_path / f"case_{index:03}.py"
        path.write_text(text, encoding="utf-8")
        files.append(path.name)
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--isolated", "--check", "--diff", *files],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[:4000]
    compiled = [compile((tmp_path / f).read_text(encoding="utf-8"), f, "exec") for f in files]
    assert len(compiled) == 300


def test_string_literals_round_trip() -> None:
    for value in ["plain", 'say "hi"', "it's", "both ' and \"", "back\\slash", "tab\tnew\nline", "\x00\x7f", "é ☃ 𝄞"]:
        assert eval(py_string(value)) == value
    assert py_string('say "hi"') == "'say \"hi\"'"
    assert py_string("it's") == '"it\'s"'


def test_literal_refuses_values_toml_cannot_hold() -> None:
    import pytest

    with pytest.raises(TypeError, match="cannot write a object"):
        literal(object())


def test_imports_are_sorted_like_isort() -> None:
    text = format_imports(
        [
            {"__future__": ["annotations"]},
            {"os": [], "hmac": [], "urllib.parse": ["urlsplit"]},
            {"nextauth": ["SessionOptions", "AuthOptions"], "nextauth.env": ["require", "optional"]},
        ]
    )
    assert text == (
        "from __future__ import annotations\n\n"
        "import hmac\nimport os\nfrom urllib.parse import urlsplit\n\n"
        "from nextauth import AuthOptions, SessionOptions\nfrom nextauth.env import optional, require"
    )
