"""docs/providers.md: every provider has a section, and every Python example runs."""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from providerkit import build, factory_names

from nextauth import AuthOptions
from nextauth.providers import OAuthProvider

DOCS = Path(__file__).resolve().parents[3] / "docs" / "providers.md"
TEXT = DOCS.read_text(encoding="utf-8")
BLOCKS = [textwrap.dedent(block) for block in re.findall(r"```python\n(.*?)```", TEXT, flags=re.S)]


def test_a_section_per_provider_with_its_callback_url() -> None:
    for name in factory_names():
        provider_id = build(name).id
        assert f"<NEXTAUTH_URL>/api/auth/callback/{provider_id}`" in TEXT, provider_id
        assert f"{name}(" in TEXT, name
        assert f"| `{provider_id}` | `{name}`" in TEXT, f"{provider_id} is missing from the overview table"


def test_the_overview_table_matches_the_factories() -> None:
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| `(\w+)`.*?\| ([a-z, ]+) \|", TEXT, flags=re.M)
    assert len(rows) == len(factory_names())
    for provider_id, name, checks in rows:
        provider = build(name)
        assert provider.id == provider_id
        assert [c.strip() for c in checks.split(",")] == provider.resolved_checks, provider_id


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_examples_run(index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    code = BLOCKS[index]
    tree = ast.parse(code, f"providers.md[{index}]")
    if "[...]" in code:
        return  # a fragment, not a program
    key = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    for name in set(re.findall(r'require\("([A-Z0-9_]+)"\)', code)):
        if name.endswith("_ISSUER"):
            value = "https://sso.example.com/realms/acme"
        elif name == "AZURE_AD_TENANT_ID":
            value = "common"
        elif name == "APPLE_PRIVATE_KEY":
            value = key.decode()
        else:
            value = f"value-of-{name.lower()}"
        monkeypatch.setenv(name, value)
    last = tree.body.pop()
    namespace: dict[str, object] = {}
    exec(compile(tree, "providers.md", "exec"), namespace)  # our own documentation
    if isinstance(last, ast.Expr):
        result = eval(compile(ast.Expression(last.value), "providers.md", "eval"), namespace)
        assert isinstance(result, OAuthProvider)
    else:
        exec(compile(ast.Module(body=[last], type_ignores=[]), "providers.md", "exec"), namespace)
        assert isinstance(namespace.get("options"), AuthOptions)
