"""Planning a project update: what each file becomes, merged with the user's edits, before anything is written.

For each generated file (route, options module, .env.example) nextauth keeps its last render under
``.nextauth/renders/<role>`` and the file's path in ``.nextauth/manifest.json``. A new render is merged
three-way with that base and the user's current file, so user edits survive; when the path changes
(router ``app`` → ``pages``, another ``base_path``) the user's file at the old path is merged into the new
path and the old one deleted. The user-owned callbacks module is created once; later, a function it lacks
(``authorize`` for a new credentials provider) is appended, never anything else.

``.nextauth/`` is input like any other: each path in the manifest must have the shape nextauth gives
that file and stay inside the project once symlinks are resolved, and so must every file the plan reads
or writes; otherwise :class:`~nextauth_cli.errors.UnsafePathError`, raised before anything is written.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from nextauth_cli import _codegen, _envfile
from nextauth_cli._fs import Changeset, check_inside, check_relative
from nextauth_cli._merge import has_conflict_markers, merge3
from nextauth_cli._pynames import defined_names
from nextauth_cli._render import GENERATED_ROLES, PAGE_ROLES, Render, env_groups, render
from nextauth_cli.config import ProjectConfig
from nextauth_cli.errors import ConfigError, UnsafePathError

__all__ = ["STATE_DIR", "FileChange", "Plan", "build_plan", "read_manifest"]

STATE_DIR = ".nextauth"
MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
_README = """\
# .nextauth

nextauth's memory of what it generated last: `renders/` holds the last render of each generated
file and `manifest.json` where each one lives. `nextauth generate` merges your edits with a new
render three-way against these, so your changes survive regeneration.

Commit this directory with the project. Do not edit it; delete it only to make nextauth treat
every generated file as yours (the next `nextauth generate` then reports each difference).
"""

MAX_MANIFEST_BYTES = 1 << 20
MAX_FILE_BYTES = 8 << 20
"""The largest file the plan reads (a generated file, a render, .env.local): a bounded read, never a whole disk."""
GITIGNORE_PATTERNS = (".env.local", ".env*.local", "*.nextauth-tmp")
"""What the project's .gitignore must ignore: secrets, and temporary copies a killed write may leave."""
_MANIFEST_FIX = (
    "correct .nextauth/manifest.json, or delete it: `rm .nextauth/manifest.json` (nextauth then treats the "
    "generated files as yours and reports each difference), or restore it from git"
)
_SEGMENT = r"[A-Za-z0-9._~-]+"  # a URL path segment ("." and ".." are refused by check_relative)
_ROLE_SHAPES = {
    "route": re.compile(
        rf"app(?:/{_SEGMENT})+/\[\.\.\.nextauth\]/route\.py|pages(?:/{_SEGMENT})+/\[\.\.\.nextauth\]\.py"
    ),
    "options": re.compile(re.escape(f"{_codegen.OPTIONS_MODULE}.py")),
    "env_example": re.compile(r"\.env\.example"),
    "middleware": re.compile(r"middleware\.py"),
    "home": re.compile(r"app/page\.py|pages/index\.py"),
    "dashboard": re.compile(r"app/dashboard/page\.py|pages/dashboard\.py"),
}

Action = Literal["create", "update", "merge", "move", "delete", "append", "replace", "conflict", "unchanged"]


@dataclass
class FileChange:
    """What happens (or would happen) to one file."""

    path: str
    action: Action
    before: str | None = None
    after: str | None = None
    conflicts: int = 0
    moved_from: str | None = None
    note: str = ""

    @property
    def changed(self) -> bool:
        return self.action not in ("unchanged", "conflict")

    def diff(self) -> str:
        """A unified diff from the file as it is to the file as it would be."""
        before = (self.before or "").splitlines(keepends=True)
        after = (self.after or "").splitlines(keepends=True)
        old = f"a/{self.moved_from or self.path}" if self.before is not None else "/dev/null"
        new = f"b/{self.path}" if self.after is not None else "/dev/null"
        lines = list(difflib.unified_diff(before, after, old, new))
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


@dataclass
class Plan:
    project: Path
    changes: list[FileChange] = field(default_factory=list)
    changeset: Changeset | None = None
    markers: list[str] = field(default_factory=list)
    """Generated files that still hold conflict markers after this plan."""

    @property
    def conflicts(self) -> list[FileChange]:
        return [c for c in self.changes if c.action == "conflict" or (c.conflicts and c.action != "unchanged")]

    @property
    def changed(self) -> list[FileChange]:
        return [c for c in self.changes if c.changed]


def read_manifest(project: Path) -> dict[str, tuple[str, str]]:
    """``{role: (path, last render)}`` from ``.nextauth/``; empty when there is none (or it is not JSON).

    A path that leads outside the project, or that nextauth could not have written for its role,
    raises :class:`UnsafePathError`: the manifest is input, and a hostile one must not move files.
    """
    linked = f"keep {STATE_DIR}/ a plain directory of the project: replace the symlink with what it points to"
    state = check_inside(project, project / STATE_DIR, what="nextauth's state directory", fix=linked)
    manifest = check_inside(project, state / MANIFEST, what="nextauth's manifest", fix=linked)
    try:
        raw = _bounded(manifest, MAX_MANIFEST_BYTES, f"{STATE_DIR}/{MANIFEST}")
        data = json.loads(raw) if raw is not None else None
    except (ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        return {}
    out: dict[str, tuple[str, str]] = {}
    for role, entry in data["files"].items():
        if role not in GENERATED_ROLES or not isinstance(entry, dict) or "path" not in entry:
            continue
        what = f"{STATE_DIR}/{MANIFEST} (the {role} file)"
        rel = check_relative(entry["path"], what=what, fix=_MANIFEST_FIX)
        if not _ROLE_SHAPES[role].fullmatch(rel):
            raise UnsafePathError(
                f"{what}: {rel!r} is not where nextauth writes that file; nothing was changed",
                fix=_MANIFEST_FIX,
            )
        check_inside(project, project / rel, what=what, fix=_MANIFEST_FIX)
        render_path = check_inside(project, state / "renders" / role, what="a last render", fix=linked)
        try:
            base = _bounded(render_path, MAX_FILE_BYTES, f"{STATE_DIR}/renders/{role}")
        except ConfigError:
            continue  # an unreadable last render: merged as if there were none
        if base is None:
            continue
        out[role] = (rel, base)
    return out


def _bounded(path: Path, limit: int, shown: str) -> str | None:
    """The UTF-8 text of ``path`` (``None`` when missing), reading at most ``limit`` bytes."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise ConfigError(f"{shown} is a directory, where nextauth needs a file") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {shown}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise ConfigError(
            f"{shown} is larger than {limit // (1 << 20)} MB: not a file nextauth wrote",
            fix="move it away, or delete it",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{shown} is not UTF-8 text", fix="convert it to UTF-8, or move it away") from None


def _read(project: Path, rel: str) -> str | None:
    """The text of ``project/rel`` (``None`` when missing), once it is known to stay inside the project."""
    path = check_inside(project, project / rel, what="a file nextauth reads")
    return _bounded(path, MAX_FILE_BYTES, str(path))


def build_plan(
    project: Path,
    config: ProjectConfig,
    *,
    force: bool = False,
    replace: bool = False,
    redirect_callback: bool = False,
    create_env: bool = False,
    env_values: dict[str, str] | None = None,
    config_text: str | None = None,
    gitignore: Literal["create", "update"] | None = None,
) -> Plan:
    """Everything ``config`` implies for ``project``, as a :class:`Plan` whose changeset is ready to commit.

    ``force`` writes conflict markers instead of refusing; ``replace`` (``init --force``) replaces a
    differing file outright, keeping a copy under ``.nextauth/backup/``. ``create_env`` creates
    .env.local when missing (init); ``env_values`` gives fresh values for keys it lacks. ``gitignore``
    creates (init) or updates (generate) the project's .gitignore so that it ignores
    :data:`GITIGNORE_PATTERNS`. Every path is checked to stay inside ``project`` before anything is read.
    """
    rendered = render(config, redirect_callback=redirect_callback)
    for role, rel in rendered.paths.items():
        fix = "correct base_path in nextauth.toml (e.g. /api/auth)"
        check_relative(rel, what=f"the {role} file", fix=fix)
        check_inside(project, project / rel, what=f"the {role} file", fix=fix)
    manifest = read_manifest(project)
    changeset = Changeset(project)
    plan = Plan(project=project, changeset=changeset)
    state = project / STATE_DIR
    blocked = False
    recorded: dict[str, str] = {}
    generated = rendered.generated()
    for role, (rel, new) in generated.items():
        if role in PAGE_ROLES and role not in manifest and not replace:
            current = _read(project, rel)
            if current is not None and current != new:
                # A page the user wrote before nextauth offered one: theirs, never merged or recorded.
                plan.changes.append(FileChange(rel, "unchanged", current, current, note="your own page: left as is"))
                continue
        change = _plan_generated(project, rel, new, manifest.get(role), force=force, replace=replace)
        plan.changes.append(change)
        recorded[role] = rel
        if change.action == "conflict":
            blocked = True
            continue
        if change.after is not None and has_conflict_markers(change.after):
            plan.markers.append(rel)
        if change.moved_from:
            changeset.delete(project / change.moved_from)
        if change.action == "replace" and change.before is not None:
            changeset.write(state / "backup" / f"{change.moved_from or rel}.bak", change.before)
        if change.after is not None:
            changeset.write(project / rel, change.after)
        changeset.write(state / "renders" / role, new)
    for old_role, (old_rel, base) in manifest.items():
        if old_role not in generated:
            plan.changes.append(_plan_dropped(project, old_rel, base, changeset, state / "renders" / old_role))
    handled = len(plan.changes)
    plan.changes.append(_plan_callbacks(project, config, rendered))
    if config_text is not None:
        plan.changes.append(_plan_text(project, "nextauth.toml", config_text))
    plan.changes.append(_plan_env_local(project, config, create=create_env, values=env_values or {}))
    if gitignore is not None:
        plan.changes.append(_plan_gitignore(project, config, create=gitignore == "create"))
    for change in plan.changes[handled:]:
        if change.changed and change.after is not None:
            changeset.write(project / change.path, change.after)
    manifest_text = json.dumps(
        {"version": MANIFEST_VERSION, "files": {role: {"path": rel} for role, rel in recorded.items()}},
        indent=2,
    )
    changeset.write(state / MANIFEST, manifest_text + "\n")
    if _read(project, f"{STATE_DIR}/README.md") is None:
        changeset.write(state / "README.md", _README)
    if blocked:
        plan.changeset = None  # a conflict blocks every write (with --force, mergeable ones carry markers)
    return plan


def _plan_generated(
    project: Path,
    rel: str,
    new: str,
    base_entry: tuple[str, str] | None,
    *,
    force: bool,
    replace: bool,
) -> FileChange:
    old_rel, base = base_entry if base_entry else (rel, None)
    source_rel = old_rel if (project / old_rel).is_file() else rel
    current = _read(project, source_rel)
    moved_from = source_rel if source_rel != rel and current is not None else None
    if moved_from and (project / rel).exists():
        return FileChange(
            rel,
            "conflict",
            before=current,
            after=new,
            conflicts=1,
            moved_from=moved_from,
            note=f"{rel} already exists; nextauth would move {moved_from} there: move or merge it yourself",
        )
    if current is None:
        return FileChange(rel, "create", after=new, note="created" if base is None else "recreated (it was missing)")
    if current == new and not moved_from:
        return FileChange(rel, "unchanged", before=current, after=current)
    if base is None:
        if replace:
            return FileChange(rel, "replace", before=current, after=new, moved_from=moved_from)
        merged = merge3("", current, new)
        note = "exists and differs from the render, with no record of the last render to merge against"
        action: Action = "update" if force else "conflict"
        return FileChange(rel, action, current, merged.text, max(merged.conflicts, 1), moved_from, note)
    result = merge3(base, current, new)
    if result.conflicts:
        if replace:
            return FileChange(rel, "replace", before=current, after=new, moved_from=moved_from)
        note = "your edits overlap the change from nextauth.toml"
        action = "update" if force else "conflict"
        return FileChange(rel, action, current, result.text, result.conflicts, moved_from, note)
    if moved_from:
        return FileChange(rel, "move", before=current, after=result.text, moved_from=moved_from)
    if result.text == current:
        return FileChange(rel, "unchanged", before=current, after=current)
    action = "merge" if current != base else "update"
    return FileChange(rel, action, before=current, after=result.text)


def _plan_dropped(project: Path, rel: str, base: str, changeset: Changeset, render_path: Path) -> FileChange:
    """A generated file that nextauth.toml no longer asks for (``[middleware]`` removed, ``protect`` emptied):
    deleted when it is still nextauth's last render, else left to the user, no longer generated."""
    current = _read(project, rel)
    changeset.delete(render_path)
    if current is None:
        return FileChange(rel, "unchanged", note="no longer generated")
    if current == base:
        changeset.delete(project / rel)
        return FileChange(rel, "delete", before=current, note="nextauth.toml no longer asks for it")
    return FileChange(rel, "unchanged", current, current, note="no longer generated; your edits make it yours")


def _plan_callbacks(project: Path, config: ProjectConfig, rendered: Render) -> FileChange:
    rel = rendered.paths["callbacks"]
    current = _read(project, rel)
    if current is None:
        return FileChange(rel, "create", after=rendered.texts["callbacks"], note="yours from now on")
    names = defined_names(current)
    if names is None:
        return FileChange(rel, "unchanged", before=current, after=current, note="has a syntax error: not checked")
    missing = [p for p in config.providers if p.spec.type == "credentials" and _codegen.authorize_name(p) not in names]
    if not missing:
        return FileChange(rel, "unchanged", before=current, after=current)
    text = current if current.endswith("\n") else current + "\n"
    for provider in missing:
        text += "\n\n" + _codegen.authorize_function(provider, local_imports=True) + "\n"
    added = ", ".join(_codegen.authorize_name(p) for p in missing)
    return FileChange(rel, "append", before=current, after=text, note=f"appended {added}() (a demo check: replace it)")


def _plan_text(project: Path, rel: str, text: str) -> FileChange:
    current = _read(project, rel)
    if current == text:
        return FileChange(rel, "unchanged", before=current, after=current)
    return FileChange(rel, "create" if current is None else "update", before=current, after=text)


def _plan_env_local(project: Path, config: ProjectConfig, *, create: bool, values: dict[str, str]) -> FileChange:
    rel = ".env.local"
    current = _read(project, rel)
    if current is None and not create:
        return FileChange(rel, "unchanged", note="missing: `nextauth secret --write` creates it")
    entries = []
    for group in env_groups(config):
        for var in group.vars:
            if var.name == "DATABASE_URL" and config.database_url:
                continue  # nextauth.toml has a default; the variable only overrides it
            entries.append(_envfile.EnvEntry(var.name, values.get(var.name, _fresh(var.name, config)), group.title))
    base = current if current is not None else _ENV_LOCAL_HEADER
    text = _envfile.add_missing(base, entries)
    if text == current:
        return FileChange(rel, "unchanged", before=current, after=current)
    return FileChange(rel, "create" if current is None else "update", before=current, after=text)


def _plan_gitignore(project: Path, config: ProjectConfig, *, create: bool) -> FileChange:
    """.gitignore with :data:`GITIGNORE_PATTERNS` (and a relative sqlite file at init) added when missing.

    At init the patterns go in unless the file already lists them; on a later run (``create`` false) a
    pattern is added only when git does not ignore it already (a parent directory's .gitignore may).
    """
    rel = ".gitignore"
    current = _read(project, rel)
    text = current or ""
    lines = [ln.strip() for ln in text.splitlines()]
    patterns = []
    for pattern in GITIGNORE_PATTERNS:
        probe = _envfile.GITIGNORE_PROBES[pattern]
        if _envfile.ignored_by(lines, probe):
            continue
        if not create and _envfile.is_gitignored(project, probe):
            continue
        patterns.append(pattern)
    url = config.database_url or ""
    if create and url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        name = url.removeprefix("sqlite:///").removeprefix("./")
        if re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9._-]*", name):  # a plain file name: never a pattern or a line
            patterns.append(f"{name}*")
    after = _envfile.gitignore_with(text, patterns)
    if after == text and current is not None:
        return FileChange(rel, "unchanged", before=current, after=current)
    if after == text:
        return FileChange(rel, "unchanged", note="nothing to ignore")
    return FileChange(rel, "create" if current is None else "update", before=current, after=after)


_ENV_LOCAL_HEADER = """\
# Local environment of this project: secrets. Never commit it (.gitignore lists it).
# nextauth adds the keys a new provider needs and never changes a value you set.
"""


def _fresh(name: str, config: ProjectConfig) -> str:
    if name == "NEXTAUTH_URL":
        return config.nextauth_url(config.dev_url)
    if name == "NEXTAUTH_SECRET":
        return _envfile.new_secret()
    if name.startswith("AUTH_") and name.endswith("_USERNAME"):
        return _envfile.new_demo_credentials()[0]
    if name.startswith("AUTH_") and name.endswith("_PASSWORD"):
        return _envfile.new_demo_credentials()[1]
    for provider in config.providers:
        for var, var_name in provider.env_vars():
            if var_name == name and var.default:
                return var.default
    return ""
