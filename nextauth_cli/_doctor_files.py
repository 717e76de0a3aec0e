"""Doctor's checks of the project's files: the route file, auth_options.py, auth_callbacks.py, conflict
markers, and whether the generated files follow nextauth.toml."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from nextauth_cli import _codegen
from nextauth_cli._config_model import ProjectConfig
from nextauth_cli._doctor_report import Report
from nextauth_cli._merge import has_conflict_markers
from nextauth_cli._pynames import defined_names_in
from nextauth_cli._render import layout
from nextauth_cli.config import config_problems
from nextauth_cli.errors import CliError

_DEMO_MARKER = "REPLACE THIS before production"
_PREFIX_REDIRECT = re.compile(r"\.startswith\(\s*(base_url|baseUrl|base)\b")


def check_files(report: Report, project: Path, config: ProjectConfig) -> None:
    paths = layout(config)
    route = project / paths["route"]
    other = "pages" if config.router == "app" else "app"
    base = config.base_path.strip("/")
    stray = project / (f"pages/{base}/[...nextauth].py" if other == "pages" else f"app/{base}/[...nextauth]/route.py")
    if stray.exists():
        report.add(
            "route",
            "error",
            f"{stray.relative_to(project).as_posix()} also exists: the {other} layout's route answers the same "
            "URLs, and the server refuses two routes for one path",
            f"delete it (router = {config.router!r} in nextauth.toml), or set router = {other!r}",
        )
    needed = {"GET", "POST"} if config.router == "app" else {"handler"}
    if not route.exists():
        report.add(
            "route",
            "error",
            f"the route file {paths['route']} is missing: every request to {config.base_path}/* would be a 404 "
            "(next-auth's CLIENT_FETCH_ERROR)",
            "run `nextauth generate`",
        )
    else:
        names = defined_names_in(route)
        if names is None:
            report.add("route", "error", f"{paths['route']} cannot be parsed as Python", "fix the syntax error")
        elif not needed <= names:
            missing = ", ".join(sorted(needed - names))
            report.add(
                "route",
                "error",
                f"{paths['route']} does not define {missing}: the {config.router} layout calls "
                + ("GET and POST" if config.router == "app" else "handler(req, res)"),
                # `generate` would keep the deletion (a merge keeps your edits): a fresh render needs the file gone.
                f"restore {missing}, or render the file afresh (your edits to it are lost): "
                f"`rm {shlex.quote(paths['route'])} && nextauth generate`",
            )
        else:
            report.add("route", "ok", f"{paths['route']} exports {', '.join(sorted(needed))}")
    options = project / paths["options"]
    option_names = defined_names_in(options) if options.exists() else None
    if option_names is None or "auth_options" not in option_names:
        report.add(
            "options", "error", f"{paths['options']} is missing or defines no auth_options", "run `nextauth generate`"
        )
    callbacks = project / paths["callbacks"]
    callback_names = defined_names_in(callbacks) if callbacks.exists() else None
    wanted = {"callbacks", "events"} | {
        _codegen.authorize_name(p) for p in config.providers if p.spec.type == "credentials"
    }
    if callback_names is None:
        report.add(
            "callbacks",
            "error",
            f"{paths['callbacks']} is missing or cannot be parsed; {paths['options']} imports it",
            "run `nextauth generate` (it recreates a missing one)",
        )
    elif not wanted <= callback_names:
        report.add(
            "callbacks",
            "error",
            f"{paths['callbacks']} lacks {', '.join(sorted(wanted - callback_names))}, which {paths['options']} uses",
            "run `nextauth generate` (it appends a missing authorize), or define them",
        )
    else:
        text = callbacks.read_text(encoding="utf-8")
        if _PREFIX_REDIRECT.search(text):
            report.add(
                "redirect",
                "warning",
                f"{paths['callbacks']} compares a callback URL with startswith(): "
                "https://example.com.evil.net starts with https://example.com",
                "compare parsed origins (scheme, host, port), as `nextauth init --redirect-callback` writes it",
            )
        if any(p.spec.type == "credentials" for p in config.providers) and _DEMO_MARKER in text:
            report.add(
                "demo-user",
                "warning",
                "the credentials provider still accepts the generated demo user",
                f"replace authorize() in {paths['callbacks']} with a check against your users before production",
            )
    for role, rel in paths.items():
        path = project / rel
        if role != "callbacks" and path.exists() and has_conflict_markers(path.read_text(encoding="utf-8")):
            report.add(
                "conflict", "error", f"{rel} holds unresolved conflict markers", "resolve them, remove the markers"
            )
    if any(p.level == "error" for p in config_problems(config)):
        return  # `generate` refuses such a config; doctor has reported each problem already
    try:
        from nextauth_cli.project import regenerate

        result = regenerate(project, check=True)
    except CliError as exc:  # e.g. a hostile .nextauth/manifest.json: `generate` would refuse to run
        report.add("generated", "error", f"`nextauth generate` cannot run: {exc.message}", exc.fix or "")
        return
    if not result.up_to_date and not result.markers:
        stale = ", ".join(c.path for c in result.changes if c.changed and c.path not in (".env.local", "nextauth.toml"))
        report.add("generated", "warning", f"out of date with nextauth.toml: {stale}", "run `nextauth generate`")
