"""The programmatic API under the ``nextauth`` command: create, regenerate and change a project.

    from nextauth_cli import Answers, scaffold, regenerate, add_provider

    scaffold(Path("myapp"), Answers(router="pages", providers=["credentials", "github"]))
    add_provider(Path("myapp"), "google")
    result = regenerate(Path("myapp"), check=True)   # result.up_to_date

Every function stages all of its changes and commits them together (see :mod:`nextauth_cli._fs`): on a
conflict, an error or Ctrl-C, the project is left exactly as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from nextauth_cli import catalog
from nextauth_cli._fs import Changeset
from nextauth_cli._plan import STATE_DIR, FileChange, Plan, build_plan, read_manifest
from nextauth_cli._protect import MAX_PATTERNS, protect_problem
from nextauth_cli._render import layout
from nextauth_cli.config import (
    CONFIG_NAME,
    CREDENTIALS_DATABASE_PROBLEM,
    DEFAULT_DATABASE_URL,
    Answers,
    ProjectConfig,
    add_provider_to_document,
    base_path_problem,
    check_origin,
    config_problems,
    database_url_problem,
    load_config,
    new_document,
    normalise_cookie_domain,
    parse_config,
    parse_document,
    remove_provider_from_document,
)
from nextauth_cli.errors import ConfigError, ConflictError, ProjectExistsError, UsageError

__all__ = [
    "STATE_DIR",
    "Result",
    "add_provider",
    "conflict_error",
    "expected_layout",
    "project_state",
    "regenerate",
    "remove_provider",
    "scaffold",
    "validate_answers",
]


@dataclass
class Result:
    """What a regeneration did (or, with ``check``/``diff``, would do)."""

    project: Path
    changes: list[FileChange] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def conflicts(self) -> list[FileChange]:
        return [c for c in self.changes if c.action == "conflict" or (c.conflicts and c.action != "unchanged")]

    @property
    def changed(self) -> list[FileChange]:
        return [c for c in self.changes if c.changed]

    @property
    def up_to_date(self) -> bool:
        """No generated file would change (what ``--check`` tests); .env.local and .nextauth/ do not count."""
        relevant = [c for c in self.changes if c.path not in (".env.local", CONFIG_NAME, ".gitignore")]
        return not any(c.changed for c in relevant) and not self.conflicts and not self.markers

    @property
    def ok(self) -> bool:
        return not self.conflicts and not self.markers


def _result(plan: Plan, written: list[Path], *, applied: bool) -> Result:
    return Result(plan.project, plan.changes, written, plan.markers, applied)


def _raise_on_errors(config: ProjectConfig) -> None:
    errors = [p for p in config_problems(config) if p.level == "error"]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more problem(s): run `nextauth doctor`)" if len(errors) > 1 else ""
        raise ConfigError(first.message + more, fix=first.fix)


def _commit(plan: Plan, extra: Changeset | None = None) -> list[Path]:
    if plan.changeset is None:
        return []
    if extra is not None:
        for path, text in extra.writes.items():
            plan.changeset.write(path, text)
    return plan.changeset.commit()


# ----------------------------------------------------------------------------------------------- init
def validate_answers(answers: Answers) -> Answers:
    """``answers`` normalised, or a :class:`CliError` naming the bad answer and its fix."""
    kinds = []
    for kind in answers.providers:
        spec = catalog.get(kind)
        if spec.id == "oauth":
            raise UsageError(
                "the generic `oauth` provider needs endpoints: add it after init",
                fix="nextauth add-provider oauth --id myidp --option well_known=https://.../.well-known/openid-configuration",
            )
        if spec.id not in kinds:
            kinds.append(spec.id)
    if not kinds:
        raise UsageError("choose at least one provider", fix="e.g. --provider credentials or --provider github")
    if answers.session == "database" and "credentials" in kinds:
        others = [k for k in kinds if k != "credentials"]
        without = " ".join(f"--provider {k}" for k in others) or "--provider github"
        raise UsageError(
            CREDENTIALS_DATABASE_PROBLEM,
            fix=f"use --session jwt (a database still stores the users of OAuth and email providers), or leave "
            f"credentials out: {without} --session database",
        )
    try:
        url = check_origin(answers.url, "--url")
        production = check_origin(answers.production_url, "--production-url") if answers.production_url else None
    except ValueError as exc:
        raise UsageError(str(exc), fix="give the origin only, e.g. --url http://localhost:3000") from None
    domain = None
    if answers.cookie_domain:
        try:
            domain = normalise_cookie_domain(answers.cookie_domain)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        host = urlsplit(production).hostname if production else None
        if host is None:
            raise UsageError(
                "--cookie-domain shares the session across subdomains of the production site",
                fix="also give --production-url (e.g. https://app.example.com)",
            )
        if host != domain and not host.endswith("." + domain):
            raise UsageError(
                f"the production host {host!r} is not under the cookie domain {domain!r}",
                fix=f"use --cookie-domain {'.'.join(host.split('.')[-2:])}",
            )
    problem = base_path_problem(answers.base_path)
    if problem:
        raise UsageError(
            f"--base-path {answers.base_path!r} is not a URL path: it must be {problem}",
            fix="e.g. --base-path /api/auth (no trailing slash)",
        )
    database_url = answers.database_url
    problem = database_url_problem(database_url) if database_url is not None else None
    if problem:
        raise UsageError(
            f"--database-url {_shown(database_url)} {problem}",
            fix="e.g. sqlite:///./nextauth.db or postgresql://user:password@host/db",
        )
    if database_url is None and (answers.session == "database" or "email" in kinds):
        database_url = DEFAULT_DATABASE_URL
    if len(answers.protect) > MAX_PATTERNS:
        raise UsageError(f"{len(answers.protect)} --protect patterns; the limit is {MAX_PATTERNS}")
    for entry in answers.protect:
        problem = protect_problem(entry)
        if problem:
            raise UsageError(
                f"--protect {_shown(entry)} {problem}",
                fix="give a Next.js matcher such as /dashboard/:path* (the page and everything below it), "
                "/admin/:path+ or /account",
            )
    return Answers(
        router=answers.router,
        mode=answers.mode,
        providers=tuple(kinds),
        session=answers.session,
        database_url=database_url,
        url=url,
        production_url=production,
        cookie_domain=domain,
        base_path=answers.base_path,
        redirect_callback=answers.redirect_callback,
        refresh_tokens=answers.refresh_tokens,
        rate_limit=answers.rate_limit,
        protect=tuple(dict.fromkeys(answers.protect)),
    )


def _shown(value: object) -> str:
    """A value in an error message: repr (line breaks visible), cut short, never a password."""
    text = repr(value)
    if isinstance(value, str) and _has_password(value):
        text = "(a URL with a password)"
    return text if len(text) <= 80 else text[:77] + "..."


def _has_password(url: str) -> bool:
    try:
        return bool(urlsplit(url).password)
    except ValueError:
        return False


def scaffold(dest: Path, answers: Answers, *, force: bool = False) -> list[Path]:
    """Create a project in ``dest`` for ``answers``; returns the paths written.

    Refuses (:class:`ProjectExistsError`) when ``dest`` already has a ``nextauth.toml``, or a route or
    options file nextauth did not write, unless ``force`` (the old files are then kept under
    ``.nextauth/backup/``). The callbacks module and .env.local values are never replaced.
    """
    answers = validate_answers(answers)
    dest = dest.resolve()
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"{dest} is a file, not a directory", fix="give a directory for the new project")
    if (dest / CONFIG_NAME).exists() and not force:
        raise ProjectExistsError(
            f"{dest / CONFIG_NAME} already exists",
            fix="change it and run `nextauth generate`, or start over with `nextauth init --force`",
        )
    env_values: dict[str, str] = {}
    written_answers = answers
    if answers.database_url and _has_password(answers.database_url):
        env_values["DATABASE_URL"] = answers.database_url  # a password belongs in .env.local, not in nextauth.toml
        written_answers = Answers(**{**answers.__dict__, "database_url": ""})
    text = new_document(written_answers)
    config = parse_config(text)
    _raise_on_errors(config)
    plan = build_plan(
        dest,
        config,
        replace=force,
        redirect_callback=answers.redirect_callback,
        create_env=True,
        env_values=env_values,
        config_text=text,
        gitignore="create",
    )
    if plan.changeset is None:
        taken = [c for c in plan.changes if c.action == "conflict"]
        raise ProjectExistsError(
            f"{', '.join(c.path for c in taken)} already exist(s) in {dest} and nextauth did not write it",
            fix="move it away, or run `nextauth init --force` (your version is kept under .nextauth/backup/)",
        )
    return _commit(plan)


# ----------------------------------------------------------------------------------------------- generate
def regenerate(project: Path, *, check: bool = False, diff: bool = False, force: bool = False) -> Result:
    """Bring every generated file in line with ``nextauth.toml``, keeping the user's edits (three-way merge).

    ``check`` and ``diff`` write nothing. On a conflict nothing is written unless ``force``, which writes
    the merge with conflict markers. Idempotent: a second run changes nothing.
    """
    project = project.resolve()
    config = load_config(project)
    _raise_on_errors(config)
    plan = build_plan(project, config, force=force, gitignore=None if check else "update")
    if check or diff or plan.changeset is None:
        return _result(plan, [], applied=False)
    return _result(plan, _commit(plan), applied=True)


# ----------------------------------------------------------------------------------------------- providers
def _config_text(project: Path) -> str:
    path = project / CONFIG_NAME
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"no {CONFIG_NAME} in {project}", fix="run `nextauth init` there first") from None


def _ensure_database(text: str) -> str:
    import tomlkit

    doc = parse_document(text)
    if "database" in doc:
        return text
    table = tomlkit.table()
    url = tomlkit.item(DEFAULT_DATABASE_URL)
    url.comment("added for the email provider; DATABASE_URL wins; `nextauth db init` creates the tables")
    table.add("url", url)
    doc.add(tomlkit.nl())
    doc.add("database", table)
    return tomlkit.dumps(doc)


def _apply_config_change(project: Path, new_text: str, *, force: bool) -> Result:
    config = parse_config(new_text, source=str(project / CONFIG_NAME))
    _raise_on_errors(config)
    plan = build_plan(project, config, force=force, config_text=new_text, gitignore="update")
    if plan.changeset is None:
        return _result(plan, [], applied=False)
    return _result(plan, _commit(plan), applied=True)


def add_provider(
    project: Path,
    kind: str,
    *,
    provider_id: str | None = None,
    options: Mapping[str, Any] | None = None,
    force: bool = False,
) -> Result:
    """Add ``[providers.<id>]`` to nextauth.toml (comments kept), its env placeholders, and regenerate."""
    project = project.resolve()
    spec = catalog.get(kind)
    pid = (provider_id or spec.id).strip().lower()
    text = _config_text(project)
    new_text = add_provider_to_document(text, pid, spec.id, dict(options or {}), source=str(project / CONFIG_NAME))
    if spec.type == "email":
        new_text = _ensure_database(new_text)
    return _apply_config_change(project, new_text, force=force)


def remove_provider(project: Path, provider_id: str, *, force: bool = False) -> Result:
    """Remove ``[providers.<id>]`` and regenerate (its .env.local values and your callbacks stay)."""
    project = project.resolve()
    text = _config_text(project)
    new_text = remove_provider_from_document(text, provider_id, source=str(project / CONFIG_NAME))
    remaining = parse_config(new_text).providers
    if not remaining:
        raise UsageError(
            f"`{provider_id}` is the only provider: a project needs at least one",
            fix="add the new one first (nextauth add-provider ...), then remove this one",
        )
    return _apply_config_change(project, new_text, force=force)


def conflict_error(result: Result) -> ConflictError:
    files = ", ".join(c.path for c in result.conflicts) or ", ".join(result.markers)
    if result.markers and not result.conflicts:
        return ConflictError(
            f"unresolved conflict markers in {files}",
            fix="edit the file: keep the lines you want between <<<<<<< and >>>>>>>, remove the markers",
        )
    return ConflictError(
        f"your edits conflict with the new render in {files}; nothing was written",
        fix="resolve them by hand (the diff above), or `nextauth generate --force` to write conflict markers",
    )


def project_state(project: Path) -> dict[str, str]:
    """``{role: path}`` of the generated files nextauth last wrote (empty without ``.nextauth/``)."""
    return {role: path for role, (path, _) in read_manifest(project).items()}


def expected_layout(config: ProjectConfig) -> dict[str, str]:
    return {str(role): path for role, path in layout(config).items()}
