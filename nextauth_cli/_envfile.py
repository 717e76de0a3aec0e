""".env.local and .gitignore: add what is missing, never change or drop what the user has.

.env files are read with python-dotenv (its parser, so quoting, ``export`` and multi-line values work as
the server reads them); a key is changed by replacing exactly its binding's text, everything else kept
byte for byte. Values written here are safe unquoted (URLs, url-safe tokens) or single-quoted, so that
python-dotenv (what the server reads them with, interpolation on) gives back exactly the value written;
a value no quoting can carry (``${`` would be expanded, NUL and undecodable text cannot be stored) is
refused with an error naming the key. Comments are single lines: a line break in a provider's name
becomes a visible escape, never a new binding.
"""

from __future__ import annotations

import fnmatch
import io
import re
import secrets
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from nextauth_cli.errors import ConfigError

__all__ = [
    "GITIGNORE_PROBES",
    "EnvEntry",
    "add_missing",
    "comment_text",
    "env_value_problem",
    "gitignore_with",
    "ignored_by",
    "is_gitignored",
    "new_demo_credentials",
    "new_secret",
    "parse_env",
    "read_env",
    "set_value",
]

GITIGNORE_PROBES = {
    ".env.local": ".env.local",
    ".env*.local": ".env.production.local",
    "*.nextauth-tmp": "..env.local.x1y2z3.nextauth-tmp",
}
"""For each .gitignore pattern nextauth writes, a path it ignores: asking git about it says if the pattern is needed."""

_SAFE = re.compile(r"[A-Za-z0-9_./:@%+,=-]*")
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
"""Control characters, line and paragraph separators, lone surrogates: never inside a comment line."""


@dataclass(frozen=True)
class EnvEntry:
    """A key to put in a .env file if it is missing; ``comment`` goes on the line above the group."""

    key: str
    value: str = ""
    group: str = ""


def new_secret() -> str:
    """A fresh NEXTAUTH_SECRET: 32 random bytes, url-safe base64 (43 characters, 256 bits)."""
    return secrets.token_urlsafe(32)


def new_demo_credentials() -> tuple[str, str]:
    """A fresh demo user for the credentials template: ``demo-<6 hex>`` and an 18-byte random password."""
    return f"demo-{secrets.token_hex(3)}", secrets.token_urlsafe(18)


def parse_env(text: str) -> dict[str, str | None]:
    from dotenv import dotenv_values

    return dict(dotenv_values(stream=io.StringIO(text)))


def read_env(path: Path) -> dict[str, str | None]:
    try:
        return parse_env(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def comment_text(text: str) -> str:
    """``text`` on one line: control characters and line separators written as visible escapes (``\\n``)."""
    return _BREAKS.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), text)


def env_value_problem(value: str) -> str | None:
    """Why ``value`` cannot be written to a .env file so that python-dotenv reads it back, or ``None``."""
    if "\x00" in value:
        return "contains a NUL character"
    if re.search(r"[\ud800-\udfff]", value):
        return "contains bytes that are not UTF-8"
    if "${" in value:
        return "contains ${, which .env files expand as a variable (write $ as %24 in a URL)"
    return None


def _quote(key: str, value: str) -> str:
    problem = env_value_problem(value)
    if problem is not None:
        raise ConfigError(f"the value of {key} {problem}: it cannot be written to a .env file")
    if _SAFE.fullmatch(value):
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def add_missing(text: str, entries: Sequence[EnvEntry]) -> str:
    """``text`` with a line for each entry whose key it lacks, appended in groups; existing lines untouched."""
    present = set(parse_env(text))
    missing = [e for e in entries if e.key not in present]
    if not missing:
        return text
    out = text
    if out and not out.endswith("\n"):
        out += "\n"
    group = None
    for entry in missing:
        if entry.group != group:
            group = entry.group
            if out.strip():
                out += "\n"
            if group:
                out += f"# {comment_text(group)}\n"
        out += f"{entry.key}={_quote(entry.key, entry.value)}\n"
    return out


def set_value(text: str, key: str, value: str) -> str:
    """``text`` with ``key`` set to ``value``: its binding replaced in place, or appended."""
    from dotenv.parser import parse_stream

    bindings = list(parse_stream(io.StringIO(text)))
    out: list[str] = []
    done = False
    for binding in bindings:
        original = binding.original.string
        if binding.key == key and not done:
            leading = original[: len(original) - len(original.lstrip("\n"))]
            trailing = "\n" if original.endswith("\n") else ""
            out.append(f"{leading}{key}={_quote(key, value)}{trailing}")
            done = True
        elif binding.key == key:
            continue  # a later duplicate would override ours when the server reads the file
        else:
            out.append(original)
    result = "".join(out)
    if not done:
        if result and not result.endswith("\n"):
            result += "\n"
        result += f"{key}={_quote(key, value)}\n"
    return result


def gitignore_with(text: str, patterns: Iterable[str], *, header: str = "# nextauth: local secrets") -> str:
    """``text`` with each pattern appended unless an existing line already ignores that path."""
    lines = [ln.strip() for ln in text.splitlines()]
    missing = [p for p in patterns if not ignored_by(lines, p)]
    if not missing:
        return text
    out = text
    if out and not out.endswith("\n"):
        out += "\n"
    if out.strip():
        out += "\n"
    out += header + "\n" + "".join(f"{p}\n" for p in missing)
    return out


def ignored_by(lines: Sequence[str], path: str) -> bool:
    """Whether the .gitignore ``lines`` ignore the file ``path`` (a simple reading: no directory patterns)."""
    ignored = False
    for line in lines:
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = line[1:] if negate else line
        pattern = pattern.lstrip("/")
        if pattern.endswith("/"):
            continue
        if fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(path.rsplit("/", 1)[-1], pattern):
            ignored = not negate
    return ignored


def is_gitignored(project: Path, rel: str) -> bool:
    """Whether git ignores ``rel``: ``git check-ignore`` inside a repository, else the project's .gitignore."""
    try:
        proc = subprocess.run(
            ["git", "-C", str(project), "check-ignore", "-q", "--", rel],
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        proc = None
    if proc is not None and proc.returncode in (0, 1):
        return proc.returncode == 0
    try:
        text = (project / ".gitignore").read_text(encoding="utf-8")
    except OSError:
        return False
    return ignored_by([ln.strip() for ln in text.splitlines()], rel)


def values_in(mapping: Mapping[str, str | None], key: str) -> str:
    return (mapping.get(key) or "").strip()
