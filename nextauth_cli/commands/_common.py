"""What the commands share: the error boundary, the project directory, change and next-step reports."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

import typer

from nextauth_cli import _console as console
from nextauth_cli.errors import EXIT_INTERRUPTED, CliError

if TYPE_CHECKING:
    from nextauth_cli.config import ProjectConfig, ProviderConfig
    from nextauth_cli.project import Result

__all__ = [
    "LogLevel",
    "default_port",
    "guard",
    "print_changes",
    "print_conflicts",
    "print_provider_setup",
    "project_dir",
    "serve_project",
    "warn_if_stale",
]

LogLevel = Literal["critical", "error", "warning", "info", "debug", "trace"]

_VERBS = {
    "create": "created",
    "update": "updated",
    "merge": "merged (your edits kept)",
    "move": "moved",
    "delete": "deleted",
    "append": "appended to",
    "replace": "replaced",
}


@contextlib.contextmanager
def guard() -> Iterator[None]:
    """The error boundary: a :class:`CliError` is printed in red with its fix and becomes its exit code."""
    try:
        yield
    except CliError as exc:
        console.error(exc.message, fix=exc.fix)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        console.error("interrupted: nothing was changed")
        raise typer.Exit(EXIT_INTERRUPTED) from None


def project_dir(path: Path) -> Path:
    """``path`` resolved, or a :class:`CliError` when it is not a directory."""
    resolved = path.expanduser().resolve()
    if not resolved.is_dir():
        raise CliError(f"{path} is not a directory", fix="give the project directory (the one with nextauth.toml)")
    return resolved


def print_changes(result: Result, *, quiet_unchanged: bool = True) -> None:
    """One line per file that changed, with how."""
    for change in result.changes:
        if change.action in ("unchanged", "conflict"):
            continue
        verb = _VERBS.get(change.action, change.action)
        where = f"{change.moved_from} → {change.path}" if change.moved_from else change.path
        note = f"  ({change.note})" if change.note and change.action in ("append", "create") else ""
        if change.conflicts:
            console.line(f"[magenta]![/magenta] {console.escape(where)}: conflict markers written")
        else:
            console.success(f"{verb} {where}{note}")
    if not result.changed and quiet_unchanged:
        console.success("everything is up to date with nextauth.toml")


def print_conflicts(result: Result) -> None:
    for change in result.conflicts:
        console.heading(f"conflict in {change.path}" + (f" ({change.note})" if change.note else ""))
        console.diff(change.diff())


def print_provider_setup(config: ProjectConfig, providers: Sequence[ProviderConfig]) -> None:
    """For each provider: the redirect URIs to register (dev and production), where, and what to fill in."""
    oauth = [p for p in providers if p.spec.is_oauth]
    if oauth:
        console.heading("Register these redirect URIs with each provider")
        for provider in oauth:
            spec = provider.spec
            where = f"  [dim]{console.escape(spec.console)}[/dim]" if spec.console else ""
            console.line(f"  [bold]{console.escape(provider.name)}[/bold]{where}")
            dev = provider.redirect_uri(config.dev_url, config.base_path)
            console.line(f"    development  {console.escape(dev)}")
            if config.production_url:
                prod = provider.redirect_uri(config.production_url, config.base_path)
                console.line(f"    production   {console.escape(prod)}")
            else:
                console.line(
                    "    production   <your https URL>" + console.escape(f"{config.base_path}/callback/{provider.id}")
                )
            if spec.notes:
                console.line(f"    [dim]{console.escape(spec.notes)}[/dim]")
    env_names = [
        name for p in providers if p.spec.type != "credentials" for var, name in p.env_vars() if not var.default
    ]
    if env_names:
        console.heading("Fill in .env.local")
        console.line("  " + console.escape(", ".join(env_names)))


def default_port(project: Path) -> int:
    """The port of urls.development in nextauth.toml (what NEXTAUTH_URL says), else 3000."""
    from nextauth_cli.config import load_config

    try:
        url = urlsplit(load_config(project).dev_url)
    except CliError:
        return 3000
    return url.port or 3000


def warn_if_stale(project: Path) -> None:
    """A warning when generated files lag behind nextauth.toml (the server would run the old code)."""
    from nextauth_cli.project import regenerate

    if not (project / "nextauth.toml").is_file():
        return
    try:
        result = regenerate(project, check=True)
    except CliError as exc:
        console.warning(exc.message, fix=exc.fix)
        return
    if not result.up_to_date:
        console.warning("generated files are out of date with nextauth.toml", fix="run `nextauth generate`")


def serve_project(project: Path, **options: object) -> None:
    """Run ``nextauth.server.serve`` from the project directory; its errors become CLI errors."""
    import os

    from nextauth.server import ProjectError, serve
    from nextauth_cli.errors import UsageError

    os.chdir(project)  # as `next dev` runs in the project: relative paths (sqlite:///./nextauth.db) resolve there
    try:
        serve(project, **options)  # type: ignore[arg-type]  # options come typed from `dev` and `start`
    except ProjectError as exc:
        raise CliError(str(exc), fix="fix the file named above; `nextauth doctor` checks the whole setup") from None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
