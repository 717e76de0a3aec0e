"""The catalog holds every provider next-auth 4.24.15 ships, and `add-provider` sets each one up (issue 16).

The list is read at test time from the installed npm package (``next-auth/providers/*.js``, one provider per
file: its ``id: "..."``), the one scripts/bootstrap installs with ``npm ci`` into tests/node (or the browser
test apps, or the interop tests' cache).
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path

import pytest
from clikit import Invoke, new_project

from nextauth_cli import catalog
from nextauth_cli._config_problems import build_provider_for_check
from nextauth_cli.config import parse_config
from nextauth_cli.project import add_provider

ROOT = Path(__file__).resolve().parents[2]
VERSION = "4.24.15"
NOT_OAUTH = {"credentials", "email"}


def _package_dirs() -> list[Path]:
    folders = [ROOT / "tests/node", ROOT / "tests/browser/nextjs", ROOT / "tests/browser/app"]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nextauth-tests"
    folders += sorted(cache.glob("node-*"))
    return [folder / "node_modules/next-auth" for folder in folders]


def nextauth_provider_ids() -> dict[str, set[str]]:
    """``{file stem: {ids it declares}}`` per provider file of next-auth 4.24.15 (skips when not installed)."""
    for package in _package_dirs():
        manifest = package / "package.json"
        if manifest.is_file() and json.loads(manifest.read_text(encoding="utf-8"))["version"] == VERSION:
            files = sorted((package / "providers").glob("*.js"))
            found = {
                f.stem: set(re.findall(r'^\s+id: "([^"]+)",$', f.read_text(encoding="utf-8"), re.M)) for f in files
            }
            # index.js re-exports; oauth.js holds only the OAuth config types (the generic provider is `oauth` here)
            assert sorted(stem for stem, ids in found.items() if not ids) == ["index", "oauth"]
            return {stem: ids for stem, ids in found.items() if ids}
    pytest.skip(f"next-auth {VERSION} is not installed (run scripts/bootstrap: npm ci in tests/node)")


@pytest.fixture(scope="module")
def upstream() -> dict[str, set[str]]:
    return nextauth_provider_ids()


def test_nextauth_providers_lists_every_provider_nextauth_ships(cli: Invoke, upstream: dict[str, set[str]]) -> None:
    result = cli("providers", "--json")
    assert result.exit_code == 0, result.output
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    wanted = set().union(*upstream.values())
    assert len(upstream) == 65 and len(wanted) == 65  # twitter.js declares `twitter` twice (OAuth 2, legacy 1.0a)
    assert sorted(wanted - set(rows)) == []
    for pid in wanted - NOT_OAUTH:
        row = rows[pid]
        assert row["redirect_uri"] == f"<NEXTAUTH_URL>/api/auth/callback/{pid}", pid
        assert row["docs"].startswith("https://") and row["console"], pid
        assert row["env"][:2] == [n for _, n in catalog.get(pid).env_vars()][:2], pid
        assert all(re.fullmatch(r"[A-Z][A-Z0-9_]*", name) for name in row["env"]), row["env"]


def test_the_text_listing_counts_them_all(cli: Invoke, upstream: dict[str, set[str]]) -> None:
    result = cli("providers")
    assert result.exit_code == 0
    assert f"{len(catalog.CATALOG)} providers" in result.stdout
    assert len(catalog.CATALOG) >= len(set().union(*upstream.values()))


def test_add_provider_sets_up_each_one(tmp_path: Path, upstream: dict[str, set[str]]) -> None:
    """One project; every next-auth id added to it in turn: nextauth.toml, .env.local and the generated code."""
    project = new_project(tmp_path / "app", providers=("github",))
    wanted = sorted(set().union(*upstream.values()) - {"github"})
    for pid in wanted:
        add_provider(project, pid)
    config = parse_config((project / "nextauth.toml").read_text(encoding="utf-8"))
    assert sorted(p.id for p in config.providers) == sorted([*wanted, "github"])
    env = (project / ".env.local").read_text(encoding="utf-8")
    generated = "\n".join(p.read_text(encoding="utf-8") for p in project.rglob("*.py") if ".venv" not in p.parts)
    for provider in config.providers:
        spec = provider.spec
        for _var, name in provider.env_vars():
            assert f"{name}=" in env, (provider.id, name)
        assert spec.factory in generated, provider.id
        if spec.is_oauth:  # the generated call builds (placeholders for the env values)
            built = build_provider_for_check(provider)
            assert built.id == provider.id
    assert tomllib.loads((project / "nextauth.toml").read_text(encoding="utf-8"))
