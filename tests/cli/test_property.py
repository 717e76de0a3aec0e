"""Property: random user edits + random option changes + `generate` never lose an edit without a conflict.

Each example scaffolds a project, inserts uniquely tagged lines into the generated files, changes
nextauth.toml at random (router, mode, providers, session, theme, pages), and regenerates. Either the run
is clean and every tagged line is still in its file (at the file's new path after a router change) and a
second run changes nothing, or a conflict is reported and not a byte was written; with ``force`` the
tagged lines are all in the files, between conflict markers where needed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import tomlkit
from clikit import new_project, tree
from hypothesis import HealthCheck, event, given, settings, strategies as st

from nextauth_cli._merge import has_conflict_markers
from nextauth_cli.project import regenerate

ROLES = ("route", "options", "env_example")
EXTRA_PROVIDERS = ("github", "google", "discord", "keycloak", "okta")


def _paths(project: Path) -> dict[str, str]:
    import json

    files = json.loads((project / ".nextauth" / "manifest.json").read_text())["files"]
    return {role: files[role]["path"] for role in ROLES}


@st.composite
def option_changes(draw: st.DrawFn) -> list[tuple[str, object]]:
    changes: list[tuple[str, object]] = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["router", "mode", "add", "remove", "max_age", "theme", "pages"]))
        if kind in ("router", "mode"):
            changes.append((kind, None))
        elif kind == "add":
            changes.append(("add", draw(st.sampled_from(EXTRA_PROVIDERS))))
        elif kind == "remove":
            changes.append(("remove", None))
        elif kind == "max_age":
            changes.append(("max_age", draw(st.integers(60, 10**7))))
        elif kind == "theme":
            changes.append(("theme", draw(st.sampled_from(["dark", "light", "auto"]))))
        else:
            changes.append(("pages", draw(st.sampled_from(["/login", "/auth/signin"]))))
    return changes


def _apply(project: Path, changes: list[tuple[str, object]]) -> None:
    path = project / "nextauth.toml"
    doc = tomlkit.parse(path.read_text())
    for kind, value in changes:
        if kind == "router":
            doc["router"] = "pages" if doc["router"] == "app" else "app"
        elif kind == "mode":
            doc["mode"] = "advanced" if doc["mode"] == "simple" else "simple"
        elif kind == "add" and value not in doc["providers"]:
            doc["providers"][str(value)] = tomlkit.table()  # type: ignore[index]
        elif kind == "remove" and len(doc["providers"]) > 1:  # type: ignore[arg-type]
            del doc["providers"][list(doc["providers"])[-1]]  # type: ignore[call-overload, attr-defined]
        elif kind == "max_age":
            doc["session"]["max_age"] = value  # type: ignore[index]
        elif kind in ("theme", "pages"):
            key = "color_scheme" if kind == "theme" else "sign_in"
            doc.setdefault(kind, tomlkit.table())[key] = value  # type: ignore[index]
    path.write_text(tomlkit.dumps(doc))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.sampled_from([("app", "simple"), ("pages", "advanced"), ("app", "advanced")]),
    edits=st.lists(st.tuples(st.sampled_from(ROLES), st.integers(0, 60), st.booleans()), min_size=1, max_size=4),
    changes=option_changes(),
    engine=st.sampled_from(["git", "builtin"]),
    force=st.booleans(),
)
def test_generate_never_loses_an_edit_silently(
    start: tuple[str, str],
    edits: list[tuple[str, int, bool]],
    changes: list[tuple[str, object]],
    engine: str,
    force: bool,
) -> None:
    previous = os.environ.get("NEXTAUTH_MERGE")
    os.environ["NEXTAUTH_MERGE"] = engine
    try:
        with tempfile.TemporaryDirectory() as tmp:
            project = new_project(Path(tmp) / "p", router=start[0], mode=start[1], providers=["credentials", "github"])
            before_paths = _paths(project)
            tags: dict[str, list[str]] = {role: [] for role in ROLES}
            for index, (role, position, same_line) in enumerate(edits):
                path = project / before_paths[role]
                lines = path.read_text().splitlines(keepends=True)
                at = min(position, len(lines) - 1)
                tag = f"# user edit {index}"
                if same_line and lines[at].strip() and not lines[at].lstrip().startswith(('"', "#")):
                    lines[at] = lines[at].rstrip("\n") + f"  {tag}\n"  # change a line
                else:
                    lines.insert(at, tag + "\n")  # add a line
                path.write_text("".join(lines))
                tags[role].append(tag)
            _apply(project, changes)
            before = tree(project)

            result = regenerate(project, force=force)

            event("conflict" if result.conflicts else "merged cleanly")
            if result.conflicts and not force:
                assert not result.applied
                assert tree(project) == before  # nothing was written
                return
            after_paths = _paths(project)
            for role in ROLES:
                text = (project / after_paths[role]).read_text()
                for tag in tags[role]:
                    assert tag in text, f"{tag!r} lost from {after_paths[role]} without a conflict"
            if result.conflicts:
                assert any(has_conflict_markers((project / p).read_text()) for p in after_paths.values())
            settled = tree(project)
            second = regenerate(project)
            assert second.changed == []
            assert tree(project) == settled
    finally:
        if previous is None:
            os.environ.pop("NEXTAUTH_MERGE", None)
        else:
            os.environ["NEXTAUTH_MERGE"] = previous
