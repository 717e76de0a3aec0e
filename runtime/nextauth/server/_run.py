"""Running a project with uvicorn: ``serve()``, the import-string factory, and ``python -m nextauth.server``."""

from __future__ import annotations

import argparse
import copy
import logging
import os
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from starlette.applications import Starlette

from nextauth.server._asgi import create_app, resolve_project
from nextauth.server._env import ENV_FILES, project_environ
from nextauth.server._errors import ProjectError

__all__ = ["FACTORY", "PROJECT_DIR_ENV", "RedactSecrets", "create_app_from_env", "main", "redact_target", "serve"]

PROJECT_DIR_ENV = "NEXTAUTH_SERVER_PROJECT_DIR"
FACTORY = "nextauth.server:create_app_from_env"
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")
log = logging.getLogger("nextauth.server")
_IGNORED_DIRS = (".venv", "venv", "env", "node_modules", ".git", ".mypy_cache", ".pytest_cache", ".ruff_cache")


def create_app_from_env() -> Starlette:
    """The application for the project named by ``$NEXTAUTH_SERVER_PROJECT_DIR`` (default: the current
    directory). This is the factory ``serve()`` hands to uvicorn for reload and workers; use it directly
    with ``uvicorn --factory nextauth.server:create_app_from_env``.

    A project that cannot be loaded is reported as one clear error (the user's traceback, not the
    server's) and the process exits with status 1; under the reloader, the next change retries.
    """
    try:
        return create_app(os.environ.get(PROJECT_DIR_ENV) or ".")
    except ProjectError as exc:
        log.error("%s", exc)
        raise SystemExit(1) from None


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
    from nextauth._hosts import trust_host_from_env

    trust_host = trust_host_from_env(project_environ(project))
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": log_level,
        "log_config": _log_config(log_level),
        "access_log": reload if access_log is None else access_log,
        "server_header": False,
        # One switch for the runtime and the server: uvicorn's own default would believe forwarded headers
        # from 127.0.0.1 (or FORWARDED_ALLOW_IPS) whatever AUTH_TRUST_HOST says.
        "proxy_headers": trust_host,
        "forwarded_allow_ips": "*" if trust_host else "",
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
    print(f"nextauth: serving {project} on {_url(host, port)}{mode}", flush=True)
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
    except (ProjectError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
