"""The CLI catalog reads the runtime's provider data; the CLI starts without the runtime (issues 12 and 18)."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import json
import subprocess
import sys
import textwrap

import pytest

from nextauth.providers._registry import records
from nextauth_cli.catalog import CATALOG, registry_path
from nextauth_cli.config import provider_option_names

HEAVY = ("nextauth", "nextauth.providers", "nextauth.providers.github", "httpx", "copier")


def _modules_after(code: str) -> set[str]:
    script = textwrap.dedent(code) + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("argv", [["--help"], ["providers", "--help"], ["add-provider", "--help"]])
def test_help_loads_no_runtime_no_httpx_no_copier(argv: list[str]) -> None:
    loaded = _modules_after(
        f"""
        import sys
        sys.argv = ["nextauth", *{argv!r}]
        from nextauth_cli.cli import app
        try:
            app()
        except SystemExit:
            pass
        """
    )
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
    assert "pydantic" not in loaded  # typer 0.29 built a pydantic adapter per parameter (issue 18): typer stays <0.29


def test_the_catalog_reads_the_data_without_importing_the_runtime() -> None:
    loaded = _modules_after("from nextauth_cli.catalog import CATALOG\nassert len(CATALOG) >= 34")
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
    assert registry_path().parent.name == "providers"


def test_one_entry_per_record_in_the_data_order() -> None:
    assert list(CATALOG) == list(records())
    for pid, data in records().items():
        assert (CATALOG[pid].module, CATALOG[pid].factory) == (data["module"], data["factory"])


@pytest.mark.parametrize("kind", sorted(CATALOG))
def test_option_names_are_the_runtime_ones(kind: str) -> None:
    """What nextauth.toml may set, from the data, equals what the runtime's dataclasses and factories take."""
    spec = CATALOG[kind]
    module = importlib.import_module(f"nextauth.providers.{spec.module}")
    factory = getattr(module, spec.factory)
    if spec.type in ("credentials", "email"):
        hidden = {"id", "type", "authorize", "secret", "generate_verification_token", "normalize_identifier"}
        expected = {f.name for f in dataclasses.fields(factory)} - hidden - {"send_verification_request"}
    else:
        from nextauth.providers.oauth import OAuthProvider

        expected = {f.name for f in dataclasses.fields(OAuthProvider)} - {"id", "type", "profile"}
        if spec.factory != "OAuthProvider":
            params = inspect.signature(factory).parameters.values()
            expected |= {p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY} - {"id"}
    assert provider_option_names(spec) == expected
