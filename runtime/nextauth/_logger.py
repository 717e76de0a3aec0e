"""next-auth's logger: ``[next-auth][error][CODE]`` lines with a link to the code's explanation.

Output goes to the standard ``logging`` logger ``nextauth``; ``AuthOptions.logger`` replaces any level.
Warnings are emitted once per handler (next-auth: once per process). Metadata that may hold tokens is
reduced to exception type and message before it is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from nextauth._util import maybe_await
from nextauth.options import LoggerOptions

log = logging.getLogger("nextauth")

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
