"""Hole 9: the access log printed OAuth ``code`` and ``state`` and email sign-in tokens from callback URLs.

Whenever ``nextauth dev``/``start`` log requests, the value of every sensitive query parameter is replaced
by ``[redacted]``; ``start`` logs no requests unless ``--access-log`` is given (issue 18), ``dev`` does by
default. The end-to-end tests run the real CLI (uvicorn, its reloader and its worker processes) and read
what it printed.
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import secrets
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from security_figures import record

REDACTED = "[redacted]"

SECRET_PARAMS = [
    "code",
    "state",
    "token",
    "id_token",
    "access_token",
    "refresh_token",
    "code_verifier",
    "client_secret",
    "password",
    "session_state",
    "oauth_token",
    "oauth_verifier",
    "csrfToken",
    "sessionToken",
    "nonce",
    "Code",
    "ID-Token",
    "client%5Fsecret",
    "X-Amz-Signature",
]


# ------------------------------------------------------------------------------------------ the redaction
@pytest.mark.parametrize("name", SECRET_PARAMS)
def test_every_sensitive_parameter_is_redacted(name: str) -> None:
    from nextauth.server._run import redact_target

    value = secrets.token_urlsafe(12)
    target = f"/api/auth/callback/x?callbackUrl=%2Fhome&{name}={value}&email=a%40b.example"
    redacted = redact_target(target)
    assert value not in redacted
    assert redacted == f"/api/auth/callback/x?callbackUrl=%2Fhome&{name}={REDACTED}&email=a%40b.example"


@pytest.mark.parametrize(
    "target",
    [
        "/api/auth/session",
        "/api/auth/signin?callbackUrl=%2Fdashboard",
        "/api/auth/error?error=OAuthCallback",
        "/api/auth/callback/github?code=",  # nothing to hide
        "/api/auth/providers?",
        "/a?b&c=d&&e",
    ],
)
def test_other_targets_are_kept_as_sent(target: str) -> None:
    from nextauth.server._run import redact_target

    assert redact_target(target) == target


def test_repeated_and_odd_parameters() -> None:
    from nextauth.server._run import redact_target

    target = "/cb?code=one&code=two&state=a=b=c&token=%41%42&x=code&code"
    assert redact_target(target) == f"/cb?code={REDACTED}&code={REDACTED}&state={REDACTED}&token={REDACTED}&x=code&code"


def test_the_filter_rewrites_uvicorns_access_line() -> None:
    from nextauth.server._run import RedactSecrets

    record_ = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d', None, None)
    record_.args = ("127.0.0.1:5000", "GET", "/api/auth/callback/github?code=abc&state=def", "1.1", 302)
    assert RedactSecrets().filter(record_) is True
    assert record_.getMessage() == (
        f'127.0.0.1:5000 - "GET /api/auth/callback/github?code={REDACTED}&state={REDACTED} HTTP/1.1" 302'
    )


def test_the_filter_is_on_the_access_logger() -> None:
    from nextauth.server._run import RedactSecrets, _log_config

    config = _log_config("info")
    assert config["loggers"]["uvicorn.access"]["filters"] == ["nextauth_redact"]
    # dictConfig (run by uvicorn in every worker) imports the factory by name: it must resolve.
    module, _, name = config["filters"]["nextauth_redact"]["()"].rpartition(".")
    assert getattr(importlib.import_module(module), name) is RedactSecrets


# ------------------------------------------------------------------------------------------ real servers
ROUTE = """
    from nextauth import AuthOptions, NextAuth
    from nextauth.providers import GitHubProvider

    handler = NextAuth(
        AuthOptions(
            secret="access-log-test-secret-0123456789abcdefghijklmnop",
            providers=[GitHubProvider(client_id="client-id", client_secret="client-secret-value")],
        )
    )
    GET = handler
    POST = handler
"""


def project(root: Path) -> Path:
    route = root / "app" / "api" / "auth" / "[...nextauth]" / "route.py"
    route.parent.mkdir(parents=True)
    route.write_text(textwrap.dedent(ROUTE), encoding="utf-8")
    (root / ".env.local").write_text("NEXTAUTH_URL=http://127.0.0.1:3000\n", encoding="utf-8")
    return root


@contextmanager
def cli(root: Path, *args: str) -> Iterator[tuple[str, Path]]:
    """``nextauth <args> --port 0`` in its own process group; yields (base URL, log file)."""
    log = root.parent / f"{root.name}.log"
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("NEXTAUTH_", "AUTH_"))}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "nextauth_cli", *args, str(root), "--port", "0"],
            cwd=root,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"},
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            text = log.read_text(errors="replace")
            found = re.search(r"on (http://127\.0\.0\.1:\d+)", text)
            if found:
                try:
                    httpx.get(found[1] + "/api/auth/csrf", timeout=2)
                    break
                except httpx.TransportError:
                    pass
            assert proc.poll() is None, text
            assert time.monotonic() < deadline, text
            time.sleep(0.05)
        yield found[1], log
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)


def sign_in_traffic(base: str) -> tuple[list[str], list[str]]:
    """A sign-in as a browser makes it, with secrets in the query strings; (secret values, paths sent)."""
    hidden: list[str] = []
    paths: list[str] = []
    with httpx.Client(base_url=base, follow_redirects=False) as browser:
        csrf = browser.get("/api/auth/csrf").json()["csrfToken"]
        started = browser.post("/api/auth/signin/github", data={"csrfToken": csrf})
        assert started.status_code == 302
        state = parse_qs(urlsplit(started.headers["location"]).query)["state"][0]  # the server's own state
        code = "code-" + secrets.token_urlsafe(16)
        hidden += [state, code]
        # The provider sends the browser back with code and state (no state cookie here, so no token request).
        with httpx.Client(base_url=base, follow_redirects=False) as other:
            path = "/api/auth/callback/github?" + urlencode({"code": code, "state": state})
            assert other.get(path).status_code in (302, 400)
            paths.append(path)
        # An email sign-in link, and every other kind of secret a URL may carry.
        token = "token-" + secrets.token_urlsafe(16)
        hidden.append(token)
        email_link = "/api/auth/callback/email?" + urlencode(
            {"callbackUrl": "http://127.0.0.1:3000/home", "token": token, "email": "user@example.com"}
        )
        browser.get(email_link)
        paths.append(email_link)
        values = {name: f"{name}-{secrets.token_urlsafe(12)}" for name in SECRET_PARAMS if "%" not in name}
        hidden += list(values.values())
        path = "/api/auth/callback/github?" + urlencode(values)
        browser.get(path)
        paths.append(path)
    return hidden, paths


def access_lines(log: Path, wanted: int) -> list[str]:
    """Wait until the log holds ``wanted`` access lines for the callbacks (the log is written by another
    process); return every access line."""
    deadline = time.monotonic() + 20
    while True:
        lines = [line for line in log.read_text(errors="replace").splitlines() if '"GET /api/auth/' in line]
        if sum("/callback/" in line for line in lines) >= wanted or time.monotonic() > deadline:
            return lines


@pytest.mark.slow
@pytest.mark.parametrize(
    "command", [("dev",), ("start", "--access-log"), ("start", "--access-log", "--workers", "2")], ids=" ".join
)
def test_no_secret_in_the_access_log(tmp_path: Path, command: tuple[str, ...]) -> None:
    with cli(project(tmp_path / "site"), *command) as (base, log):
        hidden, paths = sign_in_traffic(base)
        lines = access_lines(log, len(paths))
    text = log.read_text(errors="replace")
    assert sum("/callback/" in line for line in lines) == len(paths), text  # the log is on and has every line
    assert REDACTED in text and "email=user%40example.com" in text  # redacted, not dropped
    leaked = [value for value in hidden if value in text]
    record("access log: secrets in callback URLs", tried=len(hidden), accepted=len(leaked), what="values printed")
    assert leaked == [], text


@pytest.mark.slow
def test_start_logs_no_requests_by_default(tmp_path: Path) -> None:
    with cli(project(tmp_path / "site"), "start") as (base, log):
        hidden, _ = sign_in_traffic(base)
        assert httpx.get(base + "/api/auth/session").status_code == 200
    text = log.read_text(errors="replace")
    assert "nextauth: serving" in text
    assert '"GET /' not in text and '"POST /' not in text, text
    assert not [value for value in hidden if value in text]
