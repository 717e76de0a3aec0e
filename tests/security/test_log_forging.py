"""Log forging (hole 7): nothing a request carries can start a log line or move the terminal's cursor.

Each test sends a request whose ``?error=``, ``Host`` or exception message holds a line break (CR, LF, NEL,
VT, FF, U+2028, U+2029) followed by a line that imitates next-auth's own, or an ANSI escape, and reads the
log as a handler with a standard formatter writes it.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from requestkit import (
    SURFACES,
    Surface,
    asgi_request,
    auth_project,
    isolated_imports,  # noqa: F401 - a fixture
    surface_app,
)
from security_figures import record

from nextauth import AuthOptions, NextAuth
from nextauth._core.logger import Logger
from nextauth.providers import GitHubProvider
from nextauth.server import auth_routes, create_app

pytestmark = pytest.mark.usefixtures("isolated_imports")

FORGED = "[next-auth][error][FORGED] the attacker wrote this line"
BREAKS = ["\n", "\r", "\r\n", "\x85", "\x0b", "\x0c", "\u2028", "\u2029", "\x1c", "\x1e"]
ANSI = ["\x1b[2K\r", "\x1b[1A", "\x1b]0;title\x07", "\x9b2K"]
PAYLOADS = [f"x{sep}{FORGED}" for sep in BREAKS] + [f"x{seq}{FORGED}" for seq in ANSI]
# Anything but the "\n" that ends a record (and separates next-auth's own two-line messages).
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")


@pytest.fixture
def log_text() -> Iterator[io.StringIO]:
    """Every record of the ``nextauth`` loggers, formatted as a plain handler writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("nextauth")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(old_level)


def forged_lines(text: str) -> list[str]:
    """Lines (as any reader splits them, Unicode breaks included) that begin with the attacker's text."""
    return [line for line in text.splitlines() if line.lstrip("\x1b[]0123456789;ABCDKJ\x07\x9b").startswith(FORGED)]


def check(text: str, name: str, tried: int) -> None:
    forged = forged_lines(text)
    raw = RAW_CONTROL.findall(text)
    record(name, tried=tried, accepted=len(forged) + (1 if raw else 0), what="forged log lines")
    assert not forged, forged
    assert not raw, f"raw control characters in the log: {raw!r}"


@pytest.mark.parametrize("surface", SURFACES)
async def test_the_error_parameter_cannot_forge_a_line(tmp_path: Path, surface: Surface, log_text: io.StringIO) -> None:
    app = surface_app(tmp_path, surface)
    for payload in PAYLOADS:
        reply = await asgi_request(app, "GET", "/api/auth/callback/github", query=f"error={quote(payload)}")
        assert reply.status == 302  # next-auth's error redirect
    text = log_text.getvalue()
    assert text.count("OAUTH_CALLBACK_HANDLER_ERROR") >= len(PAYLOADS)  # the parameter was logged, escaped
    assert "x\\n[next-auth][error][FORGED]" in text
    check(text, "log forging: ?error= parameter", len(PAYLOADS))


async def test_debug_mode_cannot_forge_a_line(log_text: io.StringIO) -> None:
    handler = NextAuth(
        AuthOptions(secret="s" * 40, debug=True, providers=[GitHubProvider(client_id="i", client_secret="s")])
    )
    from fastapi import FastAPI

    app = FastAPI()
    app.router.routes.extend(auth_routes(handler))
    for payload in PAYLOADS:
        reply = await asgi_request(app, "GET", "/api/auth/callback/github", query=f"error={quote(payload)}")
        assert reply.status == 302
        reply = await asgi_request(app, "GET", "/api/auth/signin/github", query=f"callbackUrl=/{quote(payload)}")
        assert reply.status < 500
    check(log_text.getvalue(), "log forging: debug mode", 2 * len(PAYLOADS))


async def test_a_logged_traceback_cannot_forge_a_line(log_text: io.StringIO) -> None:
    """In debug mode an error's traceback is logged; the exception lines (chained ones too) are escaped."""
    logger = Logger(None, debug=True)
    for payload in PAYLOADS:
        try:
            try:
                raise KeyError(payload)
            except KeyError as inner:
                raise ValueError(payload) from inner
        except ValueError as exc:
            await logger.error("SESSION_ERROR", exc)
    text = log_text.getvalue()
    assert text.count("Traceback (most recent call last)") == 2 * len(PAYLOADS)
    assert text.count("The above exception was the direct cause") == len(PAYLOADS)
    check(text, "log forging: tracebacks", len(PAYLOADS))


@pytest.mark.parametrize("surface", SURFACES)
async def test_a_host_header_cannot_forge_a_line(
    tmp_path: Path, surface: Surface, log_text: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With NEXTAUTH_URL set, a request for another host is logged (once per process: reset between hosts)."""
    from nextauth._core.logger import reset_once

    monkeypatch.setenv("NEXTAUTH_URL", "http://localhost:3000")
    app = surface_app(tmp_path, surface)
    for payload in PAYLOADS:
        reset_once()
        raw_host = payload.encode("utf-8")
        reply = await asgi_request(app, "GET", "/api/auth/session", host=raw_host.decode("latin-1"))
        assert reply.status < 500
        reply = await asgi_request(
            app, "GET", "/api/auth/session", headers=[("x-forwarded-proto", payload.encode().decode("latin-1"))]
        )
        assert reply.status < 500
    text = log_text.getvalue()
    assert text.count("a request arrived for") >= len(PAYLOADS)  # the host was logged, escaped
    check(text, "log forging: Host and X-Forwarded-Proto", 2 * len(PAYLOADS))


async def test_an_exception_in_a_route_cannot_forge_a_line(tmp_path: Path, log_text: io.StringIO) -> None:
    """The server logs a route's exception with its traceback; its message may quote the request."""
    project = auth_project(
        tmp_path / "p",
        "pages",
        {
            "pages/api/boom.py": "def handler(req, res):\n    raise ValueError('bad input: ' + req.query['q'])\n",
            "app/api/boom2/route.py": "def GET(request):\n    raise ValueError('bad: ' + request.query_params['q'])\n",
        },
    )
    app = create_app(project, load_env=False)
    for payload in PAYLOADS:
        for path in ("/api/boom", "/api/boom2"):
            reply = await asgi_request(app, "GET", path, query=f"q={quote(payload)}")
            assert reply.status == 500 and b"FORGED" not in reply.body
    text = log_text.getvalue()
    assert text.count("Traceback (most recent call last)") == 2 * len(PAYLOADS)
    check(text, "log forging: route exceptions", 2 * len(PAYLOADS))


def test_escaping_keeps_formatting_and_text() -> None:
    from nextauth._core.logger import escape_control

    logger = logging.getLogger("nextauth.server")
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    keep = Keep()
    logger.addHandler(keep)
    try:
        logger.warning("%s|%r|%d|%.1f|%s", "a\nb", "c\rd", 7, 1.25, None)
        logger.warning("%(k)s", {"k": "\x1b[31mred\u2028"})
    finally:
        logger.removeHandler(keep)
    assert [r.getMessage() for r in records] == ["a\\nb|'c\\rd'|7|1.2|None", "\\x1b[31mred\\u2028"]
    assert escape_control("plain text, é, 日本, tabs\tkept?") == "plain text, é, 日本, tabs\\tkept?"
    assert escape_control("\x00\x7f\x9f\u202e") == "\\x00\\x7f\\x9f\\u202e"
