"""The conformance fixtures are exactly `nextauth init` + `add-provider` + the edits their README lists."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from clikit import Invoke, tree

from nextauth_cli._envfile import set_value

FIXTURES = Path(__file__).resolve().parents[1] / "conformance"
LAYOUTS = {"pages": 3000, "app": 3001}
MOCK = [
    "--option",
    "name=Mock OIDC",
    "--option",
    "well_known=http://127.0.0.1:9400/.well-known/openid-configuration",
    "--option",
    "id_token=true",
    "--option",
    'checks=["pkce", "state"]',
    "--option",
    'authorization={params={scope="openid email profile"}}',
]


def apply_documented_edits(project: Path) -> None:
    """The three edits of the fixtures' README.md."""
    env = (project / ".env.local").read_text()
    for key, value in [
        ("NEXTAUTH_SECRET", "oracle-secret-not-for-production-0123456789"),
        ("AUTH_DEMO_USERNAME", "alice"),
        ("AUTH_DEMO_PASSWORD", "wonderland"),
        ("MOCK_CLIENT_ID", "client"),
        ("MOCK_CLIENT_SECRET", "secret"),
    ]:
        env = set_value(env, key, value)
    env = env.replace(
        "# Local environment of this project: secrets. Never commit it (.gitignore lists it).\n",
        "# Local environment of this test fixture. "
        "Committed on purpose: the secret is the conformance kit's public one.\n",
    )
    (project / ".env.local").write_text(env)
    callbacks = project / "auth_callbacks.py"
    callbacks.write_text(
        callbacks.read_text().replace(
            '        return {"id": "demo", "name": name, "email": f"{name}@example.com"}\n',
            '        return {"id": "1", "name": "Alice", "email": "alice@example.com"}\n',
        )
    )
    (project / ".gitignore").write_text(
        "# .env.local is committed on purpose: this is a test fixture whose secret is public.\n"
    )


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_generate_check_passes_on_the_fixture(cli: Invoke, layout: str) -> None:
    result = cli("generate", str(FIXTURES / f"{layout}-project"), "--check")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_the_fixture_is_reproduced_by_its_documented_commands(tmp_path: Path, cli: Invoke, layout: str) -> None:
    project = tmp_path / f"{layout}-project"
    port = LAYOUTS[layout]
    init = cli(
        "init",
        str(project),
        "--router",
        layout,
        "--mode",
        "simple",
        "--provider",
        "credentials",
        "--url",
        f"http://127.0.0.1:{port}",
        "--yes",
    )
    assert init.exit_code == 0, init.output
    added = cli("add-provider", "oauth", "--id", "mock", "-C", str(project), *MOCK)
    assert added.exit_code == 0, added.output
    apply_documented_edits(project)
    committed = {k: v for k, v in tree(FIXTURES / f"{layout}-project").items() if k != "README.md"}
    assert tree(project) == committed


@pytest.fixture
def isolated() -> Iterator[None]:
    """Loading a project sets env-file variables, sys.path and modules: give all three back."""
    environ, path, modules = dict(os.environ), list(sys.path), set(sys.modules)
    yield
    os.environ.clear()
    os.environ.update(environ)
    sys.path[:] = path
    for name in set(sys.modules) - modules:
        del sys.modules[name]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
async def test_the_fixture_serves_options_md(isolated: None, layout: str) -> None:
    from nextauth.server import create_app

    port = LAYOUTS[layout]
    base = f"http://127.0.0.1:{port}"
    app = create_app(FIXTURES / f"{layout}-project")
    options = sys.modules["auth_options"].auth_options
    assert options.secret is None and os.environ["NEXTAUTH_SECRET"] == "oracle-secret-not-for-production-0123456789"
    assert os.environ["NEXTAUTH_URL"] == base
    assert options.session.strategy == "jwt" and options.adapter is None and not options.debug
    mock = options.providers[1]
    assert (mock.id, mock.name, mock.type, mock.client_id, mock.client_secret) == (
        "mock",
        "Mock OIDC",
        "oauth",
        "client",
        "secret",
    )
    assert mock.well_known == "http://127.0.0.1:9400/.well-known/openid-configuration"
    assert (mock.id_token, list(mock.checks), mock.authorization.params) == (
        True,
        ["pkce", "state"],
        {"scope": "openid email profile"},
    )
    assert mock.client == {} and mock.style is None  # client_secret_basic, no built-in provider's defaults
    assert mock.profile({"sub": "bob", "email": "b@x"}) == {"id": "bob", "name": None, "email": "b@x", "image": None}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base) as client:
        providers = (await client.get("/api/auth/providers")).json()
        assert providers == {
            "credentials": {
                "id": "credentials",
                "name": "Credentials",
                "type": "credentials",
                "signinUrl": f"{base}/api/auth/signin/credentials",
                "callbackUrl": f"{base}/api/auth/callback/credentials",
            },
            "mock": {
                "id": "mock",
                "name": "Mock OIDC",
                "type": "oauth",
                "signinUrl": f"{base}/api/auth/signin/mock",
                "callbackUrl": f"{base}/api/auth/callback/mock",
            },
        }
        csrf = (await client.get("/api/auth/csrf")).json()["csrfToken"]
        for password, status in (("nope", 401), ("wonderland", 200)):
            response = await client.post(
                "/api/auth/callback/credentials",
                data={"username": "alice", "password": password, "csrfToken": csrf, "json": "true"},
            )
            assert response.status_code == status
        session = (await client.get("/api/auth/session")).json()
        assert session["user"] == {"name": "Alice", "email": "alice@example.com"}
