"""`nextauth dev`: serve the project for development, reloading on changes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nextauth_cli.commands._common import (
    LogLevel,
    ProjectDir,
    default_port,
    find_project,
    guard,
    serve_project,
    warn_if_stale,
)

app = typer.Typer()


@app.command("dev")
def dev(
    directory: ProjectDir = Path(),
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int | None, typer.Option(help="Port (default: the port of urls.development, else 3000).")] = None,
    log_level: Annotated[LogLevel, typer.Option(help="uvicorn's log level.")] = "info",
    access_log: Annotated[
        bool, typer.Option(help="Log one line per request (secrets in query strings redacted).")
    ] = True,
    reload: Annotated[
        bool,
        typer.Option(help="Restart when a .py or .env file changes; --no-reload runs one process (debuggers, CI)."),
    ] = True,
) -> None:
    """Serve the project for development: reloads when a .py or .env file changes (unless --no-reload).

    Prints the URL to open (NEXTAUTH_URL's origin) and warns when the server listens where that URL does
    not lead. Exits 3 without starting when the port is taken (pick another with --port).

    Examples:

      nextauth dev
      nextauth dev myapp --port 3001
      nextauth dev --no-reload       # one process: for a debugger, or a test that starts the server
    """
    with guard():
        project = find_project(directory, servable=True)
        warn_if_stale(project)
        serve_project(
            project,
            "dev",
            host=host,
            port=port if port is not None else default_port(project),
            reload=reload,
            log_level=log_level,
            access_log=access_log,
        )
