"""What the commands share: the error boundary, the project directory, change and next-step reports."""

from __future__ import annotations

import contextlib
import shlex
import shutil
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal
from urllib.parse import urlsplit

import typer

from nextauth_cli import _console as console
from nextauth_cli.errors import EXIT_INTERRUPTED, CliError

if TYPE_CHECKING:
    from nextauth_cli.config import ProjectConfig, ProviderConfig
    from nextauth_cli.project import Result

__all__ = [
    "NOT_A_PROJECT",
    "DirAlias",
    "LogLevel",
    "ProjectDir",
    "command_name",
    "database_project",
    "default_port",
    "find_project",
    "guard",
    "pick_directory",
    "print_changes",
    "print_conflicts",
    "print_provider_setup",
    "project_dir",
    "secret_target",
    "serve_project",
    "shown_dir",
    "warn_if_stale",
]

ProjectDir = Annotated[
    Path,
    typer.Argument(metavar="DIR", help="Project directory (default: here, or the project above).", show_default=False),
]
"""The positional ``DIR`` every project command takes (``-C``/``--dir`` survives as a hidden alias)."""
DirAlias = Annotated[Path | None, typer.Option("--dir", "-C", hidden=True)]

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


NOT_A_PROJECT = "not a nextauth project (no nextauth.toml here or above)"


def pick_directory(positional: Path, alias: Path | None) -> Path:
    """The project directory from the positional ``DIR`` or the hidden ``-C``/``--dir`` alias (not both)."""
    if alias is None:
        return positional
    if positional != Path():
        from nextauth_cli.errors import UsageError

        raise UsageError("give the project directory once", fix="as the positional DIR (-C is its old spelling)")
    return alias


def find_project(path: Path, *, servable: bool = False) -> Path:
    """The project that holds ``path``: the nearest directory with a nextauth.toml, ``path`` itself or above
    (as git finds its repository). With ``servable``, a directory with ``pages/`` or ``app/`` but no
    nextauth.toml is a project too (``nextauth dev`` serves hand-written projects). Otherwise a
    :class:`CliError` saying it is not a nextauth project."""
    start = project_dir(path)
    for candidate in (start, *start.parents):
        if (candidate / "nextauth.toml").is_file():
            return candidate
    if servable:
        from nextauth.server._routes import find_route_roots

        if find_route_roots(start):
            return start
    raise CliError(
        f"{NOT_A_PROJECT}: {start}",
        fix=f"create one with `{command_name()} init {_shown(start)}`, or give the project directory: "
        f"`{command_name()} <command> DIR`",
    )


def database_project(path: Path, database_url: str | None) -> Path:
    """Where ``db init``/``db upgrade`` run: the project holding ``path``; outside one, ``path`` itself only
    when a database is named (``--database-url``, ``DATABASE_URL`` or a .env file), else "not a nextauth
    project" rather than advice about a nextauth.toml that is not there."""
    try:
        return find_project(path)
    except CliError:
        pass
    import os

    from nextauth_cli import _envfile

    here = project_dir(path)
    named = (database_url or os.environ.get("DATABASE_URL", "")).strip() or any(
        (_envfile.read_env(here / name).get("DATABASE_URL") or "").strip() for name in (".env.local", ".env")
    )
    if named:
        return here
    raise CliError(
        f"{NOT_A_PROJECT}: {here}",
        fix=f"run it for a project (`{command_name()} db init DIR`), or name the database: --database-url URL",
    )


def secret_target(path: Path) -> Path:
    """Where ``secret --write`` writes .env.local: the nextauth project holding ``path``, else ``path`` itself
    (a hand-written project, or an app that reads .env.local through ``load_env_files``)."""
    try:
        return find_project(path)
    except CliError:
        return project_dir(path)


def command_name() -> str:
    """How the user can run ``nextauth`` again from here: ``nextauth`` when that name on PATH is this very
    program, else the path they used (``.venv/bin/nextauth`` from a venv that is not activated), else
    ``python -m nextauth_cli``."""
    argv0 = sys.argv[0] if sys.argv else ""
    if not argv0:
        return "nextauth"
    program = Path(argv0)
    if program.name == "__main__.py" and program.parent.name == "nextauth_cli":
        return f"{shlex.quote(sys.executable)} -m nextauth_cli"
    if program.name != "nextauth" or not program.is_file():
        return "nextauth"  # embedded (tests, another program): the plain name is the best guess
    on_path = shutil.which("nextauth")
    if on_path and Path(on_path).resolve() == program.resolve():
        return "nextauth"
    return shlex.quote(_shown(program.absolute()))


def _shown(path: Path) -> str:
    """``path`` relative to the current directory when it lies below it (``demo``, ``.venv/bin/nextauth``)."""
    try:
        rel = path.relative_to(Path.cwd())
    except ValueError:
        return str(path)
    return rel.as_posix() or "."


def shown_dir(path: Path) -> str:
    """``path`` as an argument to type after a command: relative below the current directory, quoted."""
    return shlex.quote(_shown(path))


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


def serve_project(project: Path, command: str, **options: object) -> None:
    """Run ``nextauth.server.serve`` from the project directory; its errors become CLI errors."""
    import os

    from nextauth.server import PortInUseError, ProjectError, serve
    from nextauth.server._routes import find_route_roots
    from nextauth_cli.errors import PortInUseError as PortTaken, UsageError

    if not find_route_roots(project):  # the reloader would wait for files forever: say what is missing now
        raise CliError(
            f"{project}: found neither pages/ nor app/ (no route file to serve)",
            fix=f"write the route from nextauth.toml: `{command_name()} generate {shown_dir(project)}`",
        )
    again = f"{command_name()} {command} {shown_dir(project)}"  # as typed from where the user is
    os.chdir(project)  # as `next dev` runs in the project: relative paths (sqlite:///./nextauth.db) resolve there
    try:
        serve(project, **options)  # type: ignore[arg-type]  # options come typed from `dev` and `start`
    except PortInUseError as exc:
        raise PortTaken(
            str(exc),
            fix=f"stop the program using port {exc.port}, or pick another port: "
            f"`{again} --port {exc.port + 1}` (and NEXTAUTH_URL{' in .env.local' if command == 'dev' else ''} "
            "to match)",
        ) from None
    except ProjectError as exc:
        raise CliError(str(exc), fix="fix the file named above; `nextauth doctor` checks the whole setup") from None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
