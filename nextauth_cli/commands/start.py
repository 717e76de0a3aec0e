"""`nextauth start`: serve the project for production."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nextauth_cli.commands._common import LogLevel, ProjectDir, find_project, guard, serve_project

app = typer.Typer()


@app.command("start")
def start(
    directory: ProjectDir = Path(),
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0 for every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 3000,
    workers: Annotated[int, typer.Option(help="Worker processes.", min=1)] = 1,
    log_level: Annotated[LogLevel, typer.Option(help="uvicorn's log level.")] = "info",
    access_log: Annotated[
        bool, typer.Option("--access-log", help="Log one line per request (secrets in query strings redacted).")
    ] = False,
) -> None:
    """Serve the project for production: no reload, N worker processes; the project is loaded once first.

    Set NEXTAUTH_URL (your https URL) and NEXTAUTH_SECRET in the server's environment. Behind a proxy, see
    "Behind a proxy" in docs/serving.md (AUTH_TRUST_HOST, NEXTAUTH_ALLOWED_HOSTS). No requests are logged
    unless --access-log is given. Exits 3 without starting when the port is taken.

    Examples:

      nextauth start --host 0.0.0.0 --port 3000 --workers 4
    """
    with guard():
        project = find_project(directory, servable=True)
        serve_project(
            project,
            "start",
            host=host,
            port=port,
            workers=workers if workers > 1 else None,
            log_level=log_level,
            access_log=access_log,
        )
