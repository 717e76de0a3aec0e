"""`nextauth doctor`: check the whole setup and print the fix for each problem."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from nextauth_cli.commands._common import ProjectDir, find_project, guard

app = typer.Typer()

_STYLE = {
    "ok": "[green]ok[/green]     ",
    "info": "[cyan]info[/cyan]   ",
    "warning": "[yellow]warning[/yellow]",
    "error": "[red]error[/red]  ",
}


@app.command("doctor")
def doctor(
    directory: ProjectDir = Path(),
    online: Annotated[
        bool, typer.Option(help="Also fetch each provider's OIDC discovery document and the running server.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable report (for CI).")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also list the checks that passed.")] = False,
) -> None:
    """Check the setup: config, route file, secret, NEXTAUTH_URL, provider variables, redirect URIs, git.

    Reads the environment as the server does (.env, .env.local, then real variables). Exits 1 when any
    check fails, so it fits CI; every finding says how to fix it.

    Examples:

      nextauth doctor
      nextauth doctor --online
      nextauth doctor myapp --json
    """
    from nextauth_cli import _console as console
    from nextauth_cli.doctor import diagnose

    with guard():
        report = diagnose(find_project(directory), online=online)
    if as_json:
        typer.echo(json.dumps(report.as_json(), indent=2))
    else:
        for finding in report.findings:
            if finding.level == "ok" and not verbose:
                continue
            console.line(f"{_STYLE[finding.level]}  {console.escape(finding.message)}")
            if finding.fix and finding.level in ("warning", "error"):
                console.line(f"         [dim]fix:[/dim] {console.escape(finding.fix)}")
        errors, warnings = len(report.errors), len(report.warnings)
        if report.ok:
            console.success(f"no problems found ({warnings} warning(s))" if warnings else "no problems found")
        else:
            console.error(f"{errors} problem(s) found, {warnings} warning(s)")
    if not report.ok:
        raise typer.Exit(1)
