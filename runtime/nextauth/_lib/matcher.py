"""Next.js middleware matchers (``config = {"matcher": [...]}``), compiled once to regular expressions.

Each entry is a path pattern in Next.js's syntax: literal text, named parameters ``:name`` with the
modifiers ``?`` (optional), ``*`` (zero or more segments) and ``+`` (one or more), custom patterns
``:name(regex)`` or bare ``(regex)``, ``{...}`` groups and ``\\`` escapes. Next.js wraps every entry as
``/:nextData(_next/data/[^/]{1,})?<entry>(.json)?`` (the root entry ``/`` as
``/:nextData(...)?/(/?index|/?index\\.json)?``), compiles it to one anchored, case-sensitive regex,
and tests that against the raw request path (still percent-encoded, without the query).

The regex strings built here are the ones Next.js writes to its middleware manifest, character for
character, including its quirks: the ``.`` of ``(.json)?`` is not escaped (so ``/dashboardxjson``
matches ``/dashboard/:path*``), and a lookahead such as ``(?!api)`` excludes every path that merely
starts with ``api``. Matching runs in time linear in the number of entries; the user's own regex parts
run as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Matcher", "MatcherError", "compile_entry", "compile_matcher"]

_DEFAULT_SEGMENT = r"[^\/#\?]+?"  # one path segment: no "/", "#" or "?"
_NEXT_DATA = "/:nextData(_next/data/[^/]{1,})?"
_ESCAPE = frozenset(".+*?=^!:${}()[]|/\\")
_NAME_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
MAX_ENTRY_LENGTH = 4096  # Next.js refuses sources longer than this too


class MatcherError(ValueError):
    """A matcher entry that Next.js would refuse too; the message names the entry and what is wrong."""


@dataclass(frozen=True, slots=True)
class _Part:
    """A parameter or group: ``prefix`` and ``suffix`` are literal, ``pattern`` a regex ('' = a plain group)."""

    prefix: str
    pattern: str
    suffix: str
    modifier: str


_JSON_SUFFIX = _Part("", ".json", "", "?")  # "(.json)?": the unescaped dot is Next.js's


def _lex(source: str) -> list[tuple[str, str]]:
    """The entry as (kind, value) tokens: char, escaped, name, pattern, modifier, open, close."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c in "*+?":
            out.append(("modifier", c))
            i += 1
        elif c == "\\":
            if i + 1 >= n:
                raise MatcherError("a trailing backslash escapes nothing")
            out.append(("escaped", source[i + 1]))
            i += 2
        elif c == "{":
            out.append(("open", c))
            i += 1
        elif c == "}":
            out.append(("close", c))
            i += 1
        elif c == ":":
            j = i + 1
            while j < n and source[j] in _NAME_CHARS:
                j += 1
            if j == i + 1:
                raise MatcherError(f"':' at {i} needs a parameter name (letters, digits, _)")
            out.append(("name", source[i + 1 : j]))
            i = j
        elif c == "(":
            pattern, i = _lex_pattern(source, i)
            out.append(("pattern", pattern))
        else:
            out.append(("char", c))
            i += 1
    return out


def _lex_pattern(source: str, start: int) -> tuple[str, int]:
    """The regex between ``(`` at ``start`` and its ``)``; nested groups must be non-capturing (``(?...)``)."""
    j = start + 1
    if j < len(source) and source[j] == "?":
        raise MatcherError(f"the pattern at {start} cannot start with '?'")
    depth = 1
    chars: list[str] = []
    while j < len(source):
        c = source[j]
        if c == "\\":
            chars.append(source[j : j + 2])
            j += 2
            continue
        if c == ")":
            depth -= 1
            if depth == 0:
                j += 1
                break
        elif c == "(":
            depth += 1
            if source[j + 1 : j + 2] != "?":
                raise MatcherError(f"capturing group at {j} inside a pattern; use a non-capturing one, (?:...)")
        chars.append(c)
        j += 1
    if depth:
        raise MatcherError(f"unbalanced parentheses from {start}")
    if not chars:
        raise MatcherError(f"empty pattern () at {start}")
    return "".join(chars), j


def _parse(source: str) -> list[str | _Part]:
    tokens = _lex(source)
    parts: list[str | _Part] = []
    text = ""
    i = 0

    def take(kind: str) -> str | None:
        nonlocal i
        if i < len(tokens) and tokens[i][0] == kind:
            i += 1
            return tokens[i - 1][1]
        return None

    def literal() -> str:
        got = ""
        while (c := take("char") or take("escaped")) is not None:
            got += c
        return got

    while i < len(tokens):
        char = take("char")
        name = take("name")
        pattern = take("pattern")
        if name is not None or pattern is not None:
            prefix = char or ""
            if prefix not in ("/", "."):  # only "/" and "." attach to a parameter as its prefix
                text += prefix
                prefix = ""
            if text:
                parts.append(text)
                text = ""
            parts.append(_Part(prefix, pattern or _DEFAULT_SEGMENT, "", take("modifier") or ""))
            continue
        value = char if char is not None else take("escaped")
        if value is not None:
            text += value
            continue
        if text:
            parts.append(text)
            text = ""
        if take("open") is not None:
            prefix = literal()
            name = take("name")
            pattern = take("pattern")
            suffix = literal()
            if take("close") is None:
                raise MatcherError("a '{' group is not closed by '}'")
            if name is not None and pattern is None:
                pattern = _DEFAULT_SEGMENT
            parts.append(_Part(prefix, pattern or "", suffix, take("modifier") or ""))
            continue
        kind = tokens[i][0]
        raise MatcherError(f"unexpected {kind} {tokens[i][1]!r} (a modifier must follow a parameter)")
    if text:
        parts.append(text)
    return parts


def _escape(text: str) -> str:
    return "".join("\\" + c if c in _ESCAPE else c for c in text)


def _source_form(regex: str) -> str:
    """``/`` escaped outside character classes, as JavaScript's ``RegExp.prototype.source`` shows it."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(regex):
        c = regex[i]
        if c == "\\":
            out.append(regex[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "/":
            c = "\\/"
        out.append(c)
        i += 1
    return "".join(out)


def _to_regex(parts: list[str | _Part]) -> str:
    out = ["^"]
    for part in parts:
        if isinstance(part, str):
            out.append(_escape(part))
            continue
        prefix, suffix = _escape(part.prefix), _escape(part.suffix)
        mod = part.modifier
        if not part.pattern:
            out.append(f"(?:{prefix}{suffix}){mod}")
        elif prefix or suffix:
            if mod in ("*", "+"):
                repeat = f"(?:{suffix}{prefix}(?:{part.pattern}))*"
                out.append(f"(?:{prefix}((?:{part.pattern}){repeat}){suffix}){'?' if mod == '*' else ''}")
            else:
                out.append(f"(?:{prefix}({part.pattern}){suffix}){mod}")
        elif mod in ("*", "+"):
            out.append(f"((?:{part.pattern}){mod})")
        else:
            out.append(f"({part.pattern}){mod}")
    out.append(r"[\/#\?]?$")  # not strict: one trailing delimiter is allowed
    return _source_form("".join(out))


def compile_entry(entry: str) -> str:
    """The anchored regex Next.js 14 compiles one matcher entry to (as in ``middleware-manifest.json``)."""
    if not isinstance(entry, str):
        raise MatcherError(f"a matcher entry must be a string such as '/dashboard/:path*', not {type(entry).__name__}")
    if not entry.startswith("/"):
        raise MatcherError(f"{entry!r}: a matcher entry must start with '/'")
    if len(entry) > MAX_ENTRY_LENGTH:
        raise MatcherError(f"matcher entry of {len(entry)} characters; the limit is {MAX_ENTRY_LENGTH}")
    try:
        if entry == "/":
            return _to_regex(_parse(f"{_NEXT_DATA}/(/?index|/?index\\.json)?"))
        # Parsed on their own and joined: Next.js joins the texts, so a trailing ":id" would take
        # "(.json)" as its own pattern and "/users/:id" would never select "/users/1".
        return _to_regex([*_parse(_NEXT_DATA), *_parse(entry), _JSON_SUFFIX])
    except MatcherError as exc:
        raise MatcherError(f"{entry!r}: {exc}") from None


@dataclass(frozen=True, slots=True)
class Matcher:
    """The compiled entries of one ``config["matcher"]``; ``None`` entries means every path."""

    entries: tuple[str, ...] | None
    regexes: tuple[str, ...]
    _compiled: tuple[re.Pattern[str], ...]
    _any: re.Pattern[str] | None = None
    """All entries as one alternation (one call per request), when that cannot change their meaning."""

    @property
    def combined(self) -> re.Pattern[str] | None:
        """One regex for all entries, or ``None`` (every path, or entries that must be tried one by one)."""
        return self._any

    def matches(self, raw_path: str) -> bool:
        """Whether the raw request path (percent-encoded, no query) is selected."""
        if self._any is not None:
            return self._any.match(raw_path) is not None
        if self.entries is None:
            return True
        return any(p.match(raw_path) is not None for p in self._compiled)


_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=|\\k<|\(\?P<|\(\?<")


def _combined(compiled: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    # Group numbers shift in an alternation, so entries with back-references or named groups stay apart.
    if any(_BACKREFERENCE.search(p.pattern) for p in compiled):
        return None
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in compiled), re.ASCII)
    except re.error:  # pragma: no cover - each part compiled on its own
        return None


def _compile_python(regex: str, entry: str) -> re.Pattern[str]:
    # JavaScript's "$" (no m flag) matches only at the very end; Python's also before a final "\n".
    python = regex[:-1] + r"\Z"
    try:
        return re.compile(python, re.ASCII)  # \d, \w as in JavaScript
    except re.error as exc:
        raise MatcherError(f"{entry!r}: not a valid regular expression here ({exc})") from None


def compile_matcher(matcher: object) -> Matcher:
    """``config["matcher"]`` (a string, a list of strings, or ``None`` for every path) as a :class:`Matcher`.

    An entry may also be a dict with only ``"source"`` (Next.js's object form without ``has``/``missing``,
    which are not supported).
    """
    if matcher is None:
        return Matcher(None, (), ())
    items: Sequence[object]
    if isinstance(matcher, str | Mapping):
        items = [matcher]
    elif isinstance(matcher, Sequence):
        items = matcher
    else:
        raise MatcherError(f"config['matcher'] must be a string or a list of strings, not {type(matcher).__name__}")
    entries: list[str] = []
    for given in items:
        item = given
        if isinstance(item, Mapping):
            extra = sorted(set(item) - {"source"})
            if extra or not isinstance(item.get("source"), str):
                raise MatcherError(
                    f"matcher entry {dict(item)!r}: only {{'source': '/path'}} is supported "
                    f"(not {', '.join(map(str, extra)) or 'without a source'}); use plain strings"
                )
            item = item["source"]
        if not isinstance(item, str):
            raise MatcherError(f"a matcher entry must be a string such as '/dashboard/:path*', not {item!r}")
        entries.append(item)
    if not entries:
        raise MatcherError("config['matcher'] is empty: it would select no path; remove it to select every path")
    regexes = tuple(compile_entry(e) for e in entries)
    compiled = tuple(_compile_python(r, e) for r, e in zip(regexes, entries, strict=True))
    return Matcher(tuple(entries), regexes, compiled, _combined(compiled))
