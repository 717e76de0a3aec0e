"""Rendering the project template for a configuration: jinja2 renders, nextauth decides what to write.

``templates/project`` holds one ``*.jinja`` file per generated file; its name is a template too (the file's
path in the project, ``""`` for a file this configuration does not have). Each is rendered in memory with
the answers taken from nextauth.toml. Nothing is written to the project here: merging with the user's files
and the atomic commit happen in :mod:`nextauth_cli.project`.
"""

from __future__ import annotations

import functools
import importlib.resources
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from nextauth_cli import _codegen, _envfile, _protect
from nextauth_cli.config import ProjectConfig
from nextauth_cli.errors import CliError

if TYPE_CHECKING:
    from jinja2 import Environment

__all__ = [
    "GENERATED_ROLES",
    "HEADER",
    "OPTIONAL_ROLES",
    "PAGE_ROLES",
    "EnvGroup",
    "EnvVarEntry",
    "Render",
    "env_groups",
    "layout",
    "render",
    "template_root",
]

HEADER = "# Generated from nextauth.toml by `nextauth generate`; your edits survive regeneration."
Role = Literal["route", "options", "env_example", "callbacks", "middleware", "home", "dashboard"]
GENERATED_ROLES: tuple[Role, ...] = ("route", "options", "env_example", "middleware", "home", "dashboard")
"""Files nextauth keeps in step with nextauth.toml (three-way merged); ``callbacks`` is created once.

``middleware``, ``home`` and ``dashboard`` exist only when nextauth.toml has a ``[middleware]`` section
(``middleware`` only when its ``protect`` list is not empty): see :data:`OPTIONAL_ROLES`."""
OPTIONAL_ROLES: tuple[Role, ...] = ("middleware", "home", "dashboard")
PAGE_ROLES: tuple[Role, ...] = ("home", "dashboard")
"""Starter pages: a file already at their path that nextauth did not write is the user's, and stays."""


@dataclass(frozen=True)
class EnvVarEntry:
    name: str
    comment: str = ""
    secret: bool = False
    provider: str = ""
    optional: bool = False
    """The code falls back to a default when it is unset."""


@dataclass(frozen=True)
class EnvGroup:
    title: str
    vars: tuple[EnvVarEntry, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Render:
    """Rendered text of every file, by role, with its path relative to the project."""

    paths: dict[Role, str]
    texts: dict[Role, str]

    def generated(self) -> dict[Role, tuple[str, str]]:
        """The generated files of this configuration (the optional ones only when it asks for them)."""
        return {role: (self.paths[role], self.texts[role]) for role in GENERATED_ROLES if role in self.paths}


def layout(config: ProjectConfig) -> dict[Role, str]:
    """Where each file of the project lives (paths relative to the project, with ``/``).

    ``middleware.py`` and the starter pages (``/`` and ``/dashboard``) only when nextauth.toml has a
    ``[middleware]`` section; ``middleware.py`` only when it protects at least one path."""
    base = config.base_path.strip("/")
    app = config.router == "app"
    route = f"app/{base}/[...nextauth]/route.py" if app else f"pages/{base}/[...nextauth].py"
    paths: dict[Role, str] = {
        "route": route,
        "options": f"{_codegen.OPTIONS_MODULE}.py",
        "env_example": ".env.example",
        "callbacks": f"{_codegen.CALLBACKS_MODULE}.py",
    }
    if config.protect is not None:
        if config.protect:
            paths["middleware"] = "middleware.py"
        paths["home"] = "app/page.py" if app else "pages/index.py"
        paths["dashboard"] = "app/dashboard/page.py" if app else "pages/dashboard.py"
    return paths


def template_root() -> Path:
    """The templates shipped in the wheel (``nextauth_cli/templates``), else ``<repo>/templates``."""
    shipped = importlib.resources.files("nextauth_cli") / "templates"
    if shipped.is_dir():
        return Path(str(shipped))
    source = Path(__file__).resolve().parents[1] / "templates"
    if source.is_dir():
        return source
    raise CliError(  # pragma: no cover - a broken installation
        "the nextauth templates are missing from this installation",
        fix="reinstall nextauth (pip install --force-reinstall nextauth)",
    )


def env_groups(config: ProjectConfig) -> list[EnvGroup]:
    """Every environment variable the project reads, grouped and commented (for .env files and doctor)."""
    paths_callbacks = f"{_codegen.CALLBACKS_MODULE}.py"
    groups = [
        EnvGroup(
            "NextAuth",
            (
                EnvVarEntry(
                    "NEXTAUTH_URL",
                    f"the site's public URL, e.g. {config.nextauth_url(config.dev_url)} in development",
                ),
                EnvVarEntry(
                    "NEXTAUTH_SECRET",
                    "encrypts sessions, signs CSRF tokens: `nextauth secret`; rotate with new,old",
                    secret=True,
                ),
            ),
        )
    ]
    for provider in config.providers:
        entries = tuple(
            EnvVarEntry(
                var_name,
                var.description + (f" (default: {var.default})" if var.default else ""),
                secret=var.secret,
                provider=provider.id,
                optional=var.default is not None,
            )
            for var, var_name in provider.env_vars()
        )
        if entries:
            spec = provider.spec
            title = provider.name if provider.id == spec.id else f"{provider.name} ({provider.id})"
            if spec.type == "credentials":
                title += f": the demo user of {_codegen.authorize_name(provider)}() in {paths_callbacks}"
            elif spec.console.startswith("https://"):
                title += f": {spec.console}"
            groups.append(EnvGroup(title, entries))
    if config.database:
        default = f" (default: {config.database_url})" if config.database_url else ""
        groups.append(EnvGroup("Database", (EnvVarEntry("DATABASE_URL", f"SQLAlchemy URL{default}", secret=True),)))
    return groups


def _context(config: ProjectConfig, paths: dict[Role, str], *, redirect_callback: bool) -> dict[str, Any]:
    imports, statement = _codegen.options_code(config)
    credentials = [p for p in config.providers if p.spec.type == "credentials"]
    return {
        "router": config.router,
        "mode": config.mode,
        "base_path": config.base_path,
        "header": HEADER,
        "env_header": HEADER,
        "route_file": paths["route"],
        "options_file": paths["options"],
        "callbacks_file": paths["callbacks"],
        # "" when the configuration does not ask for the file: a path that renders empty is skipped
        "middleware_file": paths.get("middleware", ""),
        "home_file": paths.get("home", ""),
        "dashboard_file": paths.get("dashboard", ""),
        "database_sessions": config.session_strategy == "database",
        "middleware_statement": _protect.middleware_statement(config),
        "matcher_statement": _protect.matcher_statement(config),
        "sign_in_literal": _codegen.as_literal(f"{config.base_path}/signin"),
        "sign_out_literal": _codegen.as_literal(f"{config.base_path}/signout"),
        "options_module": _codegen.OPTIONS_MODULE,
        "callbacks_module": _codegen.CALLBACKS_MODULE,
        "options_imports": imports,
        "options_statement": statement,
        "cookie_domain": config.cookie_domain or "",
        "cookie_domain_literal": _codegen.as_literal(config.cookie_domain or ""),
        "callbacks_imports": _codegen.callbacks_imports(credentials=bool(credentials), redirect=redirect_callback),
        "authorize_functions": [_codegen.authorize_function(p) for p in credentials],
        "redirect_callback": redirect_callback,
        "redirect_function": _codegen.redirect_function(),
        # one line each: a line break in a provider's name or a URL must never start a binding
        "env_groups": [
            {
                "title": _envfile.comment_text(g.title),
                "vars": [{"name": v.name, "comment": _envfile.comment_text(v.comment)} for v in g.vars],
            }
            for g in env_groups(config)
        ],
    }


TEMPLATE_SUFFIX = ".jinja"


@functools.cache
def _environment() -> Environment:
    """jinja2 for the project template: every name must be given, whitespace as the templates are written."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(template_root() / "project"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # noqa: S701 - Python source, not HTML: values are quoted where they are computed
    )


def _render_tree(data: dict[str, Any]) -> dict[str, str]:
    """Every file of the template by its rendered path (``/``-separated), less those whose path renders empty."""
    env = _environment()
    out: dict[str, str] = {}
    for name in sorted(env.list_templates(extensions=[TEMPLATE_SUFFIX.lstrip(".")])):
        rel = env.from_string(name.removesuffix(TEMPLATE_SUFFIX)).render(data)
        if not rel.strip("/"):
            continue
        text = env.get_template(name).render(data)
        out[rel] = text.replace("\r\n", "\n").replace("\r", "\n")  # one newline, as a text file reads back
    return out


def render(config: ProjectConfig, *, redirect_callback: bool = False) -> Render:
    """Render every file of the project for ``config`` (in memory; nothing is written)."""
    from jinja2 import TemplateError

    paths = layout(config)
    data = _context(config, paths, redirect_callback=redirect_callback)
    try:
        rendered = _render_tree(data)
    except (TemplateError, OSError) as exc:  # a broken installation or template, never the user's answers
        raise CliError(f"rendering the project template failed: {type(exc).__name__}: {exc}") from exc
    missing = [rel for rel in paths.values() if rel not in rendered]
    if missing:  # pragma: no cover - layout() and the template's file names disagree
        raise CliError(f"rendering the project template failed: no template for {missing[0]}")
    return Render(paths=paths, texts={role: rendered[rel] for role, rel in paths.items()})
