"""Running a project with uvicorn: ``serve()``, the import-string factory, and ``python -m nextauth.server``."""

from __future__ import annotations

import argparse
import copy
import errno
import gc
import ipaddress
import logging
import os
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.applications import Starlette

from nextauth._lib.asgi import MAX_HEADER_BYTES
from nextauth.server._asgi import create_app, resolve_project
from nextauth.server._env import ENV_FILES, project_environ
from nextauth.server._errors import ProjectError

__all__ = [
    "EXIT_PORT_IN_USE",
    "FACTORY",
    "PROJECT_DIR_ENV",
    "PortInUseError",
    "RedactSecrets",
    "create_app_from_env",
    "main",
    "redact_target",
    "serve",
]

PROJECT_DIR_ENV = "NEXTAUTH_SERVER_PROJECT_DIR"
FACTORY = "nextauth.server:create_app_from_env"
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")
log = logging.getLogger("nextauth.server")
EXIT_PORT_IN_USE = 3  # `python -m nextauth.server` and `nextauth dev`/`start` when the port is taken
_H11_MAX_HEAD_BYTES = MAX_HEADER_BYTES + 16 * 1024
"""The largest request head uvicorn's h11 protocol reads: the header cap plus 16 KB for the request line."""
HTTP_PROTOCOL = "nextauth.server._protocol:CoalescingHTTPProtocol"
"""uvicorn's HTTP protocol, writing each response's head and body in one system call (imported by uvicorn, in
every worker)."""
_IGNORED_DIRS = (".venv", "venv", "env", "node_modules", ".git", ".mypy_cache", ".pytest_cache", ".ruff_cache")


def create_app_from_env() -> Starlette:
    """The application for the project named by ``$NEXTAUTH_SERVER_PROJECT_DIR`` (default: the current
    directory). This is the factory ``serve()`` hands to uvicorn for reload and workers; use it directly
    with ``uvicorn --factory nextauth.server:create_app_from_env``.

    A project that cannot be loaded is reported as one clear error (the user's traceback, not the
    server's) and the process exits with status 1; under the reloader, the next change retries.
    """
    try:
        app = create_app(os.environ.get(PROJECT_DIR_ENV) or ".")
    except ProjectError as exc:
        log.error("%s", exc)
        raise SystemExit(1) from None
    _freeze_startup_objects()
    return app


def _freeze_startup_objects() -> None:
    """Move everything loaded so far (modules, the project, its options) out of the cyclic collector's reach:
    those objects live as long as the process, and every collection would otherwise walk them again
    (about 10 % of a small request's CPU time)."""
    gc.collect()
    gc.freeze()


# Query parameters whose values are credentials: OAuth codes and state, email sign-in tokens, tokens of
# every kind, PKCE verifiers, OAuth 1 verifiers, passwords and client secrets. Names are compared lower-cased
# with "-" as "_"; any name ending in one of SENSITIVE_SUFFIXES counts too (csrfToken, sessionToken, ...).
SENSITIVE_PARAMS = frozenset(
    {
        "code",
        "state",
        "token",
        "id_token",
        "access_token",
        "refresh_token",
        "code_verifier",
        "client_secret",
        "client_assertion",
        "password",
        "session_state",
        "oauth_token",
        "oauth_verifier",
        "nonce",
        "secret",
        "api_key",
        "apikey",
        "key",
        "signature",
        "sig",
    }
)
SENSITIVE_SUFFIXES = ("token", "secret", "password", "verifier", "signature")
REDACTED = "[redacted]"


def _sensitive(name: str) -> bool:
    from urllib.parse import unquote_plus

    key = unquote_plus(name).strip().lower().replace("-", "_")
    return key in SENSITIVE_PARAMS or key.endswith(SENSITIVE_SUFFIXES)


def redact_target(target: str) -> str:
    """``target`` (a path with its query, as uvicorn logs it) with the value of every sensitive query
    parameter replaced by ``[redacted]``; everything else is kept as sent."""
    path, sep, query = target.partition("?")
    if not sep:
        return target
    parts = query.split("&")
    for index, part in enumerate(parts):
        name, eq, value = part.partition("=")
        if eq and value and _sensitive(name):
            parts[index] = f"{name}={REDACTED}"
    return f"{path}?{'&'.join(parts)}"


class RedactSecrets(logging.Filter):
    """A filter for ``uvicorn.access``: the request target of each line goes through :func:`redact_target`
    (an OAuth callback's ``code`` and ``state``, an email sign-in ``token``, ...)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        # uvicorn's access line: (client, method, path with query, HTTP version, status).
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (args[0], args[1], redact_target(args[2]), args[3], args[4])
        return True


def _log_config(level: str) -> dict[str, Any]:
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    ours = "DEBUG" if level == "trace" else level.upper()
    config["loggers"]["nextauth"] = {"handlers": ["default"], "level": ours, "propagate": False}
    # On the logger, not a handler: every handler the access lines reach (workers included, where uvicorn
    # applies this configuration again) sees them redacted.
    config.setdefault("filters", {})["nextauth_redact"] = {"()": f"{__name__}.RedactSecrets"}
    config["loggers"]["uvicorn.access"]["filters"] = ["nextauth_redact"]
    return config


class PortInUseError(OSError):
    """The address ``serve()`` was asked to listen on is taken (or not this machine's): nothing was started."""

    def __init__(self, host: str, port: int, reason: str) -> None:
        super().__init__(errno.EADDRINUSE, f"port {port} on {host} is {reason}")
        self.host = host
        self.port = port

    def __str__(self) -> str:
        return str(self.strerror)


def _check_bindable(host: str, port: int) -> None:
    """Raise :class:`PortInUseError` when ``(host, port)`` cannot be bound, before any banner is printed.

    The socket is bound as uvicorn binds it (``SO_REUSEADDR``, so a port in ``TIME_WAIT`` is free) and closed
    at once; uvicorn binds it again a moment later."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        raise PortInUseError(host, port, "not an address of this machine") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUseError(host, port, "already in use (is another server running?)") from None
            if exc.errno in (errno.EADDRNOTAVAIL, errno.EACCES):
                reason = "not an address of this machine" if exc.errno == errno.EADDRNOTAVAIL else "not allowed"
                raise PortInUseError(host, port, reason) from None
            raise


def _origin(url: str) -> str | None:
    """``scheme://host[:port]`` of an absolute http(s) URL, else ``None``."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host.lower() == "localhost"


def _url_mismatch(nextauth_url: str, host: str, port: int, *, dev: bool) -> str | None:
    """Why a browser that opens ``NEXTAUTH_URL`` does not reach a server listening on ``host:port``
    (``None`` when it does, or when that cannot be told without DNS). ``dev=False`` (``start``) accepts an
    https URL: plain-http uvicorn behind it means a TLS proxy forwards to it."""
    try:
        parts = urlsplit(nextauth_url.strip())
        url_port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None
    url_host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not url_host:
        return None
    if parts.scheme == "https":
        return "the server speaks plain http (https needs a proxy in front)" if dev else None
    if url_port != port:
        return f"it names port {url_port}, the server listens on port {port}"
    every = host in ("0.0.0.0", "::", "")  # noqa: S104 - describing the bind address, not choosing it
    if every:
        return None
    try:
        url_ip = ipaddress.ip_address(url_host.strip("[]"))
    except ValueError:
        if url_host == "localhost":
            return None if _loopback(host) else f"it names localhost, the server listens on {host} only"
        return None  # a DNS name: whether it points here is not ours to look up at start-up
    try:
        same = url_ip == ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        same = url_ip.is_loopback and _loopback(host)
    return None if same else f"it names {url_host}, the server listens on {host} only"


def _free_port(host: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def _url(host: str, port: int) -> str:
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 - describing the bind address, not choosing it
        return f"http://localhost:{port} (all interfaces)"
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def serve(
    project_dir: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 3000,
    reload: bool = False,
    workers: int | None = None,
    log_level: str = "info",
    access_log: bool | None = None,
) -> None:
    """Serve the project with uvicorn until interrupted, printing one line with its URL.

    * ``reload=True`` (development, ``nextauth dev``): uvicorn's reloader restarts the server when a
      ``*.py`` file or ``.env``/``.env.local`` in the project changes; a project that fails to load is
      reported and retried on the next change.
    * ``workers=N`` (production, ``nextauth start``): N processes, no reload. The project is loaded once
      here first, so a broken project fails at once with a clear message rather than in every worker.
    * otherwise one process serving the project loaded here.

    The banner names the URL to open: ``NEXTAUTH_URL``'s origin (from the environment or the project's
    ``.env`` files) when it is set, since cookies and CSRF checks are bound to that host. When the server
    listens where a browser opening ``NEXTAUTH_URL`` would not reach it (another port, another address),
    a warning says so at start-up; ``start`` (no ``reload``) skips it in trust-host mode and for an https
    ``NEXTAUTH_URL``, where a proxy stands in front. A port that is taken raises :class:`PortInUseError`
    before anything is printed.

    ``access_log`` prints one line per request, with the values of secret query parameters (OAuth
    ``code`` and ``state``, email sign-in ``token``, ...) redacted; by default it is on with ``reload``
    and off otherwise (Next.js logs no requests in production).

    Forwarded headers follow the trust-host switch alone: with ``AUTH_TRUST_HOST`` (or ``VERCEL``) on in
    the environment or the project's ``.env`` files, ``X-Forwarded-For``/``-Proto`` set the client address
    and scheme the application sees, from any peer; with it off they are ignored, even from loopback.

    ``port=0`` picks a free port. Raises :class:`~nextauth.server.ProjectError` when the project cannot
    be loaded (except with ``reload``, where the error is shown and the reloader waits for a fix).
    """
    import uvicorn

    if log_level not in LOG_LEVELS:
        raise ValueError(f"log_level must be one of {', '.join(LOG_LEVELS)}, not {log_level!r}")
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be 1 or more, not {workers}")
    if reload and workers and workers > 1:
        raise ValueError("reload and workers cannot be combined: use reload in development, workers in production")
    project = resolve_project(project_dir)
    os.environ[PROJECT_DIR_ENV] = str(project)
    if port == 0:
        port = _free_port(host)
    else:
        _check_bindable(host, port)
    from nextauth._lib.hosts import trust_host_from_env

    environ = project_environ(project)
    trust_host = trust_host_from_env(environ)
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": log_level,
        "log_config": _log_config(log_level),
        "access_log": reload if access_log is None else access_log,
        "server_header": False,
        # h11 (uvicorn without httptools, or --http h11) answers 400 to a request head over 16 KB: a chunked
        # session cookie (up to ~40 KB) would fail there. Let the application's own cap answer instead (431
        # past MAX_HEADER_BYTES), with room for the request line. httptools ignores the option.
        "h11_max_incomplete_event_size": _H11_MAX_HEAD_BYTES,
        # One switch for the runtime and the server: uvicorn's own default would believe forwarded headers
        # from 127.0.0.1 (or FORWARDED_ALLOW_IPS) whatever AUTH_TRUST_HOST says.
        "proxy_headers": trust_host,
        "forwarded_allow_ips": "*" if trust_host else "",
        "http": HTTP_PROTOCOL,
    }
    mode = ", trusting X-Forwarded-* headers (AUTH_TRUST_HOST)" if trust_host else ""
    if reload:
        cwd = Path.cwd()
        options.update(
            reload=True,
            factory=True,
            reload_dirs=[str(project)],
            # uvicorn resolves patterns against the current directory: never let ".env" name a virtualenv.
            reload_includes=["*.py", *(name for name in ENV_FILES if not (cwd / name).is_dir())],
            reload_excludes=[str(project / d) for d in _IGNORED_DIRS if (project / d).is_dir()],
        )
        app: Any = FACTORY
        mode += ", reloading on changes"
    elif workers and workers > 1:
        create_app(project)
        options.update(workers=workers, factory=True)
        app = FACTORY
        mode += f", {workers} workers"
    else:
        app = create_app(project)
        _freeze_startup_objects()
    nextauth_url = environ.get("NEXTAUTH_URL", "").strip()
    origin = _origin(nextauth_url)
    if origin:
        mismatch = None if trust_host else _url_mismatch(nextauth_url, host, port, dev=reload)
        if mismatch:
            print(
                f"nextauth: warning: NEXTAUTH_URL ({origin}) does not lead to this server: {mismatch}. "
                f"Sign-ins opened from {_url(host, port)} fail (cookies and redirects name NEXTAUTH_URL's host). "
                f"Set NEXTAUTH_URL in .env.local to the address you open, or serve where it says "
                f"(--host, --port).",
                file=sys.stderr,
                flush=True,
            )
        print(f"nextauth: serving {project} at {origin} (NEXTAUTH_URL), listening on {_url(host, port)}{mode}")
    else:
        print(f"nextauth: serving {project} on {_url(host, port)}{mode}", flush=True)
    sys.stdout.flush()
    uvicorn.run(app, **options)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m nextauth.server [DIR] [--host H] [--port P] [--reload | --workers N] [--log-level L]
    [--access-log | --no-access-log]``."""
    parser = argparse.ArgumentParser(
        prog="python -m nextauth.server",
        description="Serve a project's pages/ and app/ routes like Next.js, with uvicorn.",
    )
    parser.add_argument("project_dir", nargs="?", default=".", help="the project directory (default: .)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=3000, help="port to bind, 0 for any free port (default: 3000)")
    parser.add_argument("--reload", action="store_true", help="restart on changes to *.py and .env files (dev)")
    parser.add_argument("--workers", type=int, default=None, help="number of worker processes (production)")
    parser.add_argument("--log-level", default="info", choices=LOG_LEVELS, help="default: info")
    parser.add_argument(
        "--access-log",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="one line per request, secrets in query strings redacted (default: on with --reload, else off)",
    )
    args = parser.parse_args(argv)
    try:
        serve(
            args.project_dir,
            host=args.host,
            port=args.port,
            reload=args.reload,
            workers=args.workers,
            log_level=args.log_level,
            access_log=args.access_log,
        )
    except PortInUseError as exc:
        print(f"error: {exc}; pick another with --port", file=sys.stderr)
        return EXIT_PORT_IN_USE
    except (ProjectError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
