"""Issue 11, hole 2: a user-supplied string never adds a line to a generated file.

Every value the CLI takes (provider options given with ``-o``, display names, the database URL, the
URLs, the base path, the cookie domain, email ``from``/``server``, pages and theme in nextauth.toml) is
either refused with an error naming the field, or written so that it round-trips: ``nextauth.toml``
read by tomllib, ``auth_options.py`` by ``ast`` and ``.env.local``/``.env.example`` by python-dotenv (as
the server reads them, interpolation on) give back exactly the value entered, and nothing else: no new
key, NEXTAUTH_SECRET still the real one.
"""

from __future__ import annotations

import ast
import io
import shutil
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import tomlkit
from clikit import FIXED_SECRET, Invoke, new_project
from dotenv import dotenv_values
from hypothesis import HealthCheck, given, settings, strategies as st
from security_figures import record

from nextauth_cli import _codegen, _envfile
from nextauth_cli.config import add_provider_to_document, parse_config, parse_option
from nextauth_cli.errors import CliError

HOSTILE = [
    "line\nbreak",
    "carriage\rreturn",
    "x\nNEXTAUTH_SECRET=attacker\n#",
    "x\r\nNEXTAUTH_SECRET=attacker",
    'double"quote',
    "single'quote",
    "back\\slash\\",
    "hash # not a comment",
    "${NEXTAUTH_SECRET}",
    "$HOME and ${HOME:-x}",
    '"""triple',
    "'''triple",
    "non-ASCII é 名 🙂",
    "nul\x00byte",
    "tab\there",
    "sep\u2028arator",
    "esc\x1b[31mred",
    "undecodable\udcff",
    "= leading equals",
    "export X=1",
]
"""Hostile strings, as typed: ``-o key=<value>`` takes them as TOML when they parse as TOML, else verbatim."""


def _env(path: Path) -> dict[str, str | None]:
    """What the server reads: python-dotenv with interpolation, as runtime/nextauth/server/_env.py does."""
    if not path.exists():
        return {}
    return dict(dotenv_values(stream=io.StringIO(path.read_text(encoding="utf-8"))))


def _kwargs(source: str, name: str) -> list[Any]:
    """Every literal value passed as ``name=...`` anywhere in ``source`` (it must parse)."""
    tree = ast.parse(source)
    return [
        ast.literal_eval(k.value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        for k in n.keywords
        if k.arg == name
    ]


def _toml(project: Path) -> dict[str, Any]:
    return tomllib.loads((project / "nextauth.toml").read_text(encoding="utf-8"))


def _files(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in sorted(project.rglob("*")) if p.is_file()}


@dataclass
class Field:
    """How to enter a value for one field, and where it must come back."""

    name: str  # what an error message must name
    args: Callable[[Path, str], list[str]]  # the command line for a value
    toml: Callable[[dict[str, Any]], Any] | None  # where tomllib finds it
    python_kwarg: str | None  # the keyword it is passed as in auth_options.py
    wrap: Callable[[str], str] = str  # the hostile string inside a value the field accepts


def _add(kind: str, pid: str, key: str, *extra: str) -> Callable[[Path, str], list[str]]:
    return lambda project, value: [
        "add-provider",
        kind,
        "--id",
        pid,
        *extra,
        "-o",
        f"{key}={value}",
        "-C",
        str(project),
    ]


ISSUER = "issuer=https://id.example.com"
FIELDS = [
    Field(
        "providers.corp.name",
        _add("oidc", "corp", "name", "-o", ISSUER),
        lambda t: t["providers"]["corp"]["name"],
        "name",
    ),
    Field("name", _add("credentials", "staff", "name"), lambda t: t["providers"]["staff"]["name"], "name"),
    Field(
        "client_id",
        _add("oidc", "corp", "client_id", "-o", ISSUER),
        lambda t: t["providers"]["corp"]["client_id"],
        "client_id",
    ),
    Field(
        "from",
        _add("email", "mail", "from"),
        lambda t: t["providers"]["mail"]["from"],
        "from_",
        lambda v: f"App {v} <no-reply@example.com>",
    ),
    Field(
        "server",
        _add("email", "mail", "server"),
        lambda t: t["providers"]["mail"]["server"],
        "server",
        lambda v: f"smtp://user:{v}@smtp.example.com:587",
    ),
]


def _entered(value: str) -> Any:
    """The value ``-o key=<value>`` stands for (a TOML value when it is one, else the text)."""
    return parse_option(f"k={value}")[1]


def _baseline_keys(template: Path, tmp_path: Path, cli: Invoke, field: Field) -> tuple[set[str], set[str]]:
    project = tmp_path / "baseline"
    shutil.copytree(template, project, symlinks=True)
    result = cli(*field.args(project, field.wrap("benign")))
    assert result.exit_code == 0, result.output
    return set(_env(project / ".env.local")), set(_env(project / ".env.example"))


@pytest.mark.parametrize("field", FIELDS, ids=[f.name for f in FIELDS])
def test_provider_options_are_refused_or_round_trip(tmp_path: Path, cli: Invoke, field: Field) -> None:
    template = new_project(tmp_path / "template", providers=["credentials"])
    local_keys, example_keys = _baseline_keys(template, tmp_path, cli, field)
    accepted = refused = 0
    for index, value in enumerate(HOSTILE):
        project = tmp_path / f"p{index}"
        shutil.copytree(template, project, symlinks=True)
        before = _files(project)
        result = cli(
            *field.args(project, field.wrap(value))
        )  # a traceback would fail the test (catch_exceptions=False)
        if result.exit_code != 0:
            refused += 1
            assert result.exit_code in (1, 2), result.output
            assert field.name in result.stderr or "--option" in result.stderr, (value, result.stderr)
            assert _files(project) == before, f"{value!r}: refused, yet files changed"
            continue
        accepted += 1
        expected = _entered(field.wrap(value))
        assert field.toml is not None and field.toml(_toml(project)) == expected, value
        assert expected in _kwargs((project / "auth_options.py").read_text(encoding="utf-8"), field.python_kwarg or "")
        local, example = _env(project / ".env.local"), _env(project / ".env.example")
        assert set(local) == local_keys and set(example) == example_keys, f"{value!r} added a key"
        assert local["NEXTAUTH_SECRET"] == FIXED_SECRET
        assert all(v == "" for v in example.values()), value
    record(
        "cli injection: provider options",
        tried=len(HOSTILE),
        accepted=0,
        what="hostile -o values (names, ids, email from/server): refused or exact round trip",
    )
    assert accepted + refused == len(HOSTILE)


def test_a_newline_in_a_display_name_cannot_replace_the_secret(tmp_path: Path, cli: Invoke) -> None:
    """The issue's attack: a second NEXTAUTH_SECRET binding smuggled through a provider's name."""
    project = new_project(tmp_path / "app", providers=["credentials"])
    before = _files(project)
    name = '"Corp\\nNEXTAUTH_SECRET=attacker\\n# "'  # a TOML string: its \n are line breaks
    result = cli("add-provider", "oidc", "--id", "corp", "-o", ISSUER, "-o", f"name={name}", "-C", str(project))
    assert result.exit_code == 1
    assert "providers.corp.name" in result.stderr and "control character" in result.stderr
    assert _files(project) == before
    assert _env(project / ".env.local")["NEXTAUTH_SECRET"] == FIXED_SECRET


DB_URLS = [
    "postgresql://user:p\nNEXTAUTH_SECRET=attacker@localhost/db",
    "postgresql://user:p\r@localhost/db",
    "postgresql://user:p'\"#\\é名@localhost/db",
    "postgresql://user:${NEXTAUTH_SECRET}@localhost/db",
    "postgresql://user:$HOME@localhost/db",
    "postgresql://user:p#x@localhost/db?sslmode=require",
    "postgresql://user:p\x00@localhost/db",
    "postgresql://user:p w@localhost/db",
    "sqlite:///./a'b\"c#d.db",
    "sqlite:///./x\n!.env.local",
    "sqlite:///./${HOME}.db",
    "sqlite:///./名前.db",
]


@pytest.mark.parametrize("url", DB_URLS)
def test_database_url_is_refused_or_round_trips(tmp_path: Path, cli: Invoke, url: str) -> None:
    dest = tmp_path / "app"
    result = cli("init", str(dest), "--yes", "-p", "email", "--session", "database", "--database-url", url)
    if result.exit_code != 0:
        assert result.exit_code == 2 and "--database-url" in result.stderr, result.output
        assert not dest.exists() or not any(dest.iterdir())
        record("cli injection: database URL", tried=1, accepted=0, what="hostile --database-url values")
        return
    local, example = _env(dest / ".env.local"), _env(dest / ".env.example")
    assert local["NEXTAUTH_SECRET"] == FIXED_SECRET
    assert set(example) == {"NEXTAUTH_URL", "NEXTAUTH_SECRET", "EMAIL_SERVER", "EMAIL_FROM", "DATABASE_URL"}
    assert all(v == "" for v in example.values())
    if "DATABASE_URL" in local:  # a URL with a password goes to .env.local only
        assert local["DATABASE_URL"] == url
        assert "url" not in _toml(dest)["database"]
    else:
        assert urlsplit(url).password is None, "a password was written into nextauth.toml"
        assert _toml(dest)["database"]["url"] == url
        assert url in _constants(dest)
    ignored = (dest / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".env.local" in ignored and not any(line.startswith("!") for line in ignored)
    record("cli injection: database URL", tried=1, accepted=0, what="hostile --database-url values")


def _constants(project: Path) -> set[Any]:
    tree = ast.parse((project / "auth_options.py").read_text(encoding="utf-8"))
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)}


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("--url", "http://localhost:3000\nNEXTAUTH_SECRET=attacker"),
        ("--url", "http://localhost:3000\r"),
        ("--url", "http://local\thost:3000"),
        ("--url", 'http://a"b:3000'),
        ("--url", "http://${HOST}:3000"),
        ("--url", "http://a'b/"),
        ("--production-url", "https://app.example.com\n#"),
        ("--production-url", "https://app.example.com/${X}"),
        ("--base-path", "/api/auth\nNEXTAUTH_SECRET=x"),
        ("--base-path", '/api/"auth'),
        ("--base-path", "/api/${X}"),
        ("--cookie-domain", "example.com\nX=1"),
        ("--cookie-domain", "exa'mple.com"),
    ],
)
def test_urls_and_paths_with_hostile_characters_are_refused(tmp_path: Path, cli: Invoke, flag: str, value: str) -> None:
    extra = ["--production-url", "https://app.example.com"] if flag == "--cookie-domain" else []
    result = cli("init", str(tmp_path / "app"), "--yes", flag, value, *extra)
    assert result.exit_code == 2, result.output
    assert flag in result.stderr or "cookie domain" in result.stderr
    assert not (tmp_path / "app").exists()
    record("cli injection: urls and paths", tried=1, accepted=0, what="hostile --url/--base-path/... values")


@pytest.mark.parametrize("value", HOSTILE)
def test_pages_and_theme_in_nextauth_toml_are_refused_or_round_trip(tmp_path: Path, cli: Invoke, value: str) -> None:
    """Values typed into nextauth.toml by hand reach auth_options.py through `generate`."""
    project = new_project(tmp_path / "app", providers=["credentials"])
    if "\udcff" in value:
        pytest.skip("a TOML file cannot hold undecodable bytes")
    doc = tomlkit.parse((project / "nextauth.toml").read_text(encoding="utf-8"))
    doc["pages"] = {"sign_in": "/" + value}
    doc["theme"] = {"brand_color": value}
    (project / "nextauth.toml").write_text(tomlkit.dumps(doc), encoding="utf-8")
    before = _files(project)
    result = cli("generate", str(project))
    if result.exit_code != 0:
        assert result.exit_code == 1 and ("pages.sign_in" in result.stderr or "theme.brand_color" in result.stderr)
        assert _files(project) == before
    else:
        source = (project / "auth_options.py").read_text(encoding="utf-8")
        assert _kwargs(source, "sign_in") == ["/" + value] and _kwargs(source, "brand_color") == [value]
    record("cli injection: pages and theme", tried=1, accepted=0, what="hostile pages/theme values in nextauth.toml")


# --------------------------------------------------------------------------------------------- properties
_ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from(HOSTILE)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=_ANY_TEXT, title=_ANY_TEXT)
def test_env_values_and_comments_round_trip_through_python_dotenv(value: str, title: str) -> None:
    """Any value is written so that dotenv reads it back exactly, or refused naming its key; comments add nothing."""
    base = f"# header\nNEXTAUTH_SECRET={FIXED_SECRET}\n"
    try:
        text = _envfile.add_missing(base, [_envfile.EnvEntry("DATABASE_URL", value, title)])
    except CliError as exc:
        assert "DATABASE_URL" in exc.message and _envfile.env_value_problem(value) is not None
        record("property: .env round trip", tried=1, accepted=0, what="random values and group titles")
        return
    assert _envfile.env_value_problem(value) is None
    parsed = dict(dotenv_values(stream=io.StringIO(text)))
    assert parsed == {"NEXTAUTH_SECRET": FIXED_SECRET, "DATABASE_URL": value}
    replaced = _envfile.set_value(text, "NEXTAUTH_SECRET", value)
    assert dict(dotenv_values(stream=io.StringIO(replaced))) == {"NEXTAUTH_SECRET": value, "DATABASE_URL": value}
    record("property: .env round trip", tried=1, accepted=0, what="random values and group titles")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=_ANY_TEXT, key=st.sampled_from(["name", "client_id", "nested"]))
def test_option_values_round_trip_through_tomllib_and_ast(value: str, key: str) -> None:
    """``-o`` values written into nextauth.toml and auth_options.py come back exactly, or are refused."""
    text = new_config()
    options: dict[str, Any] = {"issuer": "https://id.example.com"}
    options.update({"authorization": {"params": {value: value}}} if key == "nested" else {key: value})
    try:
        written = add_provider_to_document(text, "corp", "oidc", options)
        config = parse_config(written)
    except CliError as exc:
        assert key == "name" or "\udcff" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value), exc.message
        record("property: toml/python round trip", tried=1, accepted=0, what="random option values")
        return
    back = tomllib.loads(written)["providers"]["corp"]
    assert (back["authorization"]["params"][value] if key == "nested" else back[key]) == value
    imports, statement = _codegen.options_code(config)
    source = imports + "\n\n" + statement + "\n"
    if key == "nested":
        assert {value: value} in _kwargs(source, "params") or any(
            isinstance(v, dict) and v.get("params") == {value: value} for v in _kwargs(source, "authorization")
        )
    else:
        assert value in _kwargs(source, key)
    record("property: toml/python round trip", tried=1, accepted=0, what="random option values")


def new_config() -> str:
    from nextauth_cli.config import Answers, new_document

    return new_document(Answers())


def test_hostile_provider_ids_are_refused(tmp_path: Path, cli: Invoke) -> None:
    """``--id`` becomes a TOML table name, env variable names and a Python identifier: only [a-z0-9_-]."""
    project = new_project(tmp_path / "app", providers=["credentials"])
    before = _files(project)
    for value in HOSTILE:
        added = cli("add-provider", "oidc", "--id", value, "-o", ISSUER, "-C", str(project))
        said = added.stderr
        assert added.exit_code == 1 and ("provider id" in said or "not UTF-8" in said), (value, added.output)
        removed = cli("remove-provider", value, "-C", str(project))
        assert removed.exit_code == 1 and "is not in nextauth.toml" in removed.stderr, (value, removed.output)
        assert _files(project) == before
    record("cli injection: provider ids", tried=2 * len(HOSTILE), accepted=0, what="hostile --id / remove-provider ids")
