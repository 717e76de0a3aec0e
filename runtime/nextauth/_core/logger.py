"""next-auth's logger: ``[next-auth][error][CODE]`` lines with a link to the code's explanation.

Output goes to the standard ``logging`` logger ``nextauth``; ``AuthOptions.logger`` replaces any level.
Warnings are emitted once per handler (next-auth: once per process). Metadata that may hold tokens is
reduced to exception type and message before it is logged.

Whatever a request carries may end up in a log line (an ``?error=`` parameter, a host, an exception
message). So that nobody can forge a line, every argument of every record of the runtime's loggers
(``nextauth`` and ``nextauth.server``) has its control characters escaped before it is formatted: CR, LF
and the other C0 and C1 controls, DEL, ANSI escapes (ESC), the Unicode line and paragraph separators
(U+2028, U+2029) and the bidirectional overrides, written as ``\\n``, ``\\x1b``, ``\\u2028``. The message of
an exception in a logged traceback is escaped the same way. A custom ``AuthOptions.logger`` receives the
values as they are.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Mapping
from typing import Any

from nextauth._lib.util import maybe_await
from nextauth.options import LoggerOptions

log = logging.getLogger("nextauth")

RUNTIME_LOGGERS = ("nextauth", "nextauth.server")
"""Every logger the runtime writes to; each gets the escaping filter below."""

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_control(text: str) -> str:
    """``text`` with every control character (see the module docstring) written as a visible escape, so it
    stays on one log line and cannot move the terminal's cursor."""
    return _CONTROL.sub(_escape_char, text) if _CONTROL.search(text) else text


class _Escaped:
    """A log argument that formats as its value does (``%s``, ``%r``), control characters escaped."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __str__(self) -> str:
        return escape_control(str(self.value))

    def __repr__(self) -> str:
        return escape_control(repr(self.value))

    def __format__(self, spec: str) -> str:
        return escape_control(format(self.value, spec))


def _escaped(value: object) -> object:
    if value is None or isinstance(value, int | float):  # numbers (and %d/%f) stay as they are
        return value
    return _Escaped(value)


def format_exception_escaped(exc: BaseException) -> str:
    """A traceback as ``logging`` prints it, with the exception lines (the part a request can influence)
    escaped; the source lines of the frames are the program's own."""
    return "".join(_traceback_parts(exc, set())).rstrip("\n")


def _traceback_parts(exc: BaseException, seen: set[int]) -> list[str]:
    seen.add(id(exc))
    parts: list[str] = []
    cause, context = exc.__cause__, exc.__context__
    if cause is not None and id(cause) not in seen:
        parts += _traceback_parts(cause, seen)
        parts.append("\nThe above exception was the direct cause of the following exception:\n\n")
    elif context is not None and not exc.__suppress_context__ and id(context) not in seen:
        parts += _traceback_parts(context, seen)
        parts.append("\nDuring handling of the above exception, another exception occurred:\n\n")
    if exc.__traceback__ is not None:
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(exc.__traceback__))
    summary = "".join(traceback.format_exception_only(type(exc), exc)).rstrip("\n")
    parts.append(escape_control(summary) + "\n")
    return parts


class EscapeControlCharacters(logging.Filter):
    """Escapes the arguments (and the traceback's exception lines) of every record; never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, Mapping):
            record.args = {key: _escaped(value) for key, value in args.items()}
        elif isinstance(args, tuple):
            record.args = tuple(_escaped(value) for value in args)
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and not record.exc_text:
            record.exc_text = format_exception_escaped(exc)
        return True


_FILTER = EscapeControlCharacters()
for _name in RUNTIME_LOGGERS:
    logging.getLogger(_name).addFilter(_FILTER)

WARNING_FIXES = {
    "NEXTAUTH_URL": "NEXTAUTH_URL is not set: URLs use http://localhost:3000. Set NEXTAUTH_URL to the site's "
    "public URL (e.g. https://example.com) in .env.local.",
    "NO_SECRET": "No secret is set. Run `nextauth secret --write` (or set NEXTAUTH_SECRET in .env.local).",
    "DEBUG_ENABLED": "Debug logging is on (debug=True): it can log personal data. Turn it off in production.",
}


def _describe(metadata: Any) -> str:
    if isinstance(metadata, BaseException):
        return f"{type(metadata).__name__}: {metadata}"
    if isinstance(metadata, Mapping):
        error = metadata.get("error")
        rest = {k: v for k, v in metadata.items() if k != "error"}
        text = _describe(error) if error is not None else ""
        if rest:
            text = f"{text} {rest}".strip()
        return text
    return "" if metadata is None else str(metadata)


_ONCE: set[str] = set()
"""Warnings already given in this process: next-auth warns once per process, and advanced
initialization builds a new handler per request, so the record cannot live on the handler."""


def once(key: str) -> bool:
    """True the first time ``key`` is seen in this process."""
    if key in _ONCE:
        return False
    _ONCE.add(key)
    return True


def reset_once() -> None:
    """Forget which warnings were given (for tests)."""
    _ONCE.clear()


class Logger:
    """Routes next-auth log codes to the user's logger or to ``logging``."""

    def __init__(self, user: LoggerOptions | None, debug: bool) -> None:
        self.user = user
        self.debug_enabled = debug

    async def error(self, code: str, metadata: Any = None) -> None:
        if self.user and self.user.error:
            await maybe_await(self.user.error(code, metadata))
            return
        log.error(
            "[next-auth][error][%s] \nhttps://next-auth.js.org/errors#%s %s",
            code,
            code.lower(),
            _describe(metadata),
            exc_info=metadata if isinstance(metadata, BaseException) and self.debug_enabled else None,
        )

    async def warn(self, code: str) -> None:
        if not once(f"warn:{code}"):
            return
        if self.user and self.user.warn:
            await maybe_await(self.user.warn(code))
            return
        fix = WARNING_FIXES.get(code, "")
        log.warning("[next-auth][warn][%s] \nhttps://next-auth.js.org/warnings#%s %s", code, code.lower(), fix)

    async def debug(self, code: str, metadata: Any = None) -> None:
        if self.user and self.user.debug:
            await maybe_await(self.user.debug(code, metadata))
            return
        if self.debug_enabled:
            log.debug("[next-auth][debug][%s] %s", code, _describe(metadata))
