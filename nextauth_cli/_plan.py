"""Planning a project update: what each file becomes, merged with the user's edits, before anything is written.

For each generated file (route, options module, .env.example) nextauth keeps its last render under
``.nextauth/renders/<role>`` and the file's path in ``.nextauth/manifest.json``. A new render is merged
three-way with that base and the user's current file, so user edits survive; when the path changes
(router ``app`` → ``pages``, another ``base_path``) the user's file at the old path is merged into the new
path and the old one deleted. The user-owned callbacks module is created once; later, a function it lacks
(``authorize`` for a new credentials provider) is appended, never anything else.
"""

from __future__ import annotations

import ast
import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from nextauth_cli import _codegen, _envfile
from nextauth_cli._fs import Changeset
from nextauth_cli._merge import has_conflict_markers, merge3
from nextauth_cli._render import GENERATED_ROLES, Render, env_groups, render
from nextauth_cli.config import ProjectConfig
from nextauth_cli.errors import ConfigError

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
    """``{role: (path, last render)}`` from ``.nextauth/``; empty when there is none (or it is unreadable)."""
    state = project / STATE_DIR
    try:
        data = json.loads((state / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        return {}
    out: dict[str, tuple[str, str]] = {}
    for role, entry in data["files"].items():
        if role not in GENERATED_ROLES or not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            continue
        try:
            base = (state / "renders" / role).read_text(encoding="utf-8")
        except OSError:
            continue
        out[role] = (entry["path"], base)
    return out


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise ConfigError(f"{path} is a directory, where nextauth needs to write a file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text", fix="convert it to UTF-8, or move it away") from None


def _defined_names(source: str) -> set[str] | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom | ast.Import):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


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
) -> Plan:
    """Everything ``config`` implies for ``project``, as a :class:`Plan` whose changeset is ready to commit.

    ``force`` writes conflict markers instead of refusing; ``replace`` (``init --force``) replaces a
    differing file outright, keeping a copy under ``.nextauth/backup/``. ``create_env`` creates
    .env.local when missing (init); ``env_values`` gives fresh values for keys it lacks.
    """
    rendered = render(config, redirect_callback=redirect_callback)
    manifest = read_manifest(project)
    changeset = Changeset(project)
    plan = Plan(project=project, changeset=changeset)
    state = project / STATE_DIR
    blocked = False
    for role, (rel, new) in rendered.generated().items():
        change = _plan_generated(project, rel, new, manifest.get(role), force=force, replace=replace)
        plan.changes.append(change)
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
    plan.changes.append(_plan_callbacks(project, config, rendered))
    if config_text is not None:
        plan.changes.append(_plan_text(project, "nextauth.toml", config_text))
    plan.changes.append(_plan_env_local(project, config, create=create_env, values=env_values or {}))
    for change in plan.changes[len(GENERATED_ROLES) :]:
        if change.changed and change.after is not None:
            changeset.write(project / change.path, change.after)
    manifest_text = json.dumps(
        {"version": MANIFEST_VERSION, "files": {role: {"path": rendered.paths[role]} for role in GENERATED_ROLES}},
        indent=2,
    )
    changeset.write(state / MANIFEST, manifest_text + "\n")
    if _read(state / "README.md") is None:
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
    current = _read(project / source_rel)
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


def _plan_callbacks(project: Path, config: ProjectConfig, rendered: Render) -> FileChange:
    rel = rendered.paths["callbacks"]
    current = _read(project / rel)
    if current is None:
        return FileChange(rel, "create", after=rendered.texts["callbacks"], note="yours from now on")
    names = _defined_names(current)
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
    current = _read(project / rel)
    if current == text:
        return FileChange(rel, "unchanged", before=current, after=current)
    return FileChange(rel, "create" if current is None else "update", before=current, after=text)


def _plan_env_local(project: Path, config: ProjectConfig, *, create: bool, values: dict[str, str]) -> FileChange:
    rel = ".env.local"
    current = _read(project / rel)
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
