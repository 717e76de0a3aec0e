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
from nextauth.server._env import ENV_FILES
from nextauth.server._errors import ProjectError

__all__ = ["FACTORY", "PROJECT_DIR_ENV", "create_app_from_env", "main", "serve"]

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


def _log_config(level: str) -> dict[str, Any]:
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    ours = "DEBUG" if level == "trace" else level.upper()
    config["loggers"]["nextauth"] = {"handlers": ["default"], "level": ours, "propagate": False}
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
) -> None:
    """Serve the project with uvicorn until interrupted, printing one line with its URL.

    * ``reload=True`` (development, ``nextauth dev``): uvicorn's reloader restarts the server when a
      ``*.py`` file or ``.env``/``.env.local`` in the project changes; a project that fails to load is
      reported and retried on the next change.
    * ``workers=N`` (production, ``nextauth start``): N processes, no reload. The project is loaded once
      here first, so a broken project fails at once with a clear message rather than in every worker.
    * otherwise one process serving the project loaded here.

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
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": log_level,
        "log_config": _log_config(log_level),
        "server_header": False,
    }
    mode = ""
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
        mode = ", reloading on changes"
    elif workers and workers > 1:
        create_app(project)
        options.update(workers=workers, factory=True)
        app = FACTORY
        mode = f", {workers} workers"
    else:
        app = create_app(project)
    print(f"nextauth: serving {project} on {_url(host, port)}{mode}", flush=True)
    uvicorn.run(app, **options)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m nextauth.server [DIR] [--host H] [--port P] [--reload | --workers N] [--log-level L]``."""
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
    args = parser.parse_args(argv)
    try:
        serve(
            args.project_dir,
            host=args.host,
            port=args.port,
            reload=args.reload,
            workers=args.workers,
            log_level=args.log_level,
        )
    except (ProjectError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
