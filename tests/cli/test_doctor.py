"""`nextauth doctor`: every planted fault is reported with its fix; a healthy project passes."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from clikit import Invoke, new_project

from nextauth_cli.doctor import diagnose, secret_strength

STRONG = "Jx3vQm9Lr2Tz8Wc4Yb7Nd1Kf6Hs0Ug5Pa2Ei9Oq3Rt"


def test_a_freshly_generated_project_is_healthy(tmp_path: Path, cli: Invoke) -> None:
    project = new_project(tmp_path / "app")
    result = cli("doctor", str(project))
    assert result.exit_code == 0, result.output
    assert "the credentials provider still accepts the generated demo user" in result.stdout  # a warning only
    assert "no problems found (1 warning(s))" in result.stdout
    verbose = cli("doctor", str(project), "-v")
    assert "NEXTAUTH_SECRET is set in .env.local and strong" in verbose.stdout
    assert "app/api/auth/[...nextauth]/route.py exports GET, POST" in verbose.stdout


def _plant(project: Path) -> None:
    (project / ".env.local").write_text(
        "NEXTAUTH_SECRET=changeme\nNEXTAUTH_URL=http://localhost:3000/auth\nGITHUB_ID=abc\nGITHUB_SECRET=\n"
        "KEYCLOAK_ID=kc\nKEYCLOAK_SECRET=kcs\nKEYCLOAK_ISSUER=http://kc.example.com/realms/x\n"
    )
    (project / ".gitignore").unlink()
    route = project / "app/api/auth/[...nextauth]/route.py"
    route.write_text(route.read_text().replace("POST = handler\n", ""))
    stray = project / "pages/api/auth/[...nextauth].py"
    stray.parent.mkdir(parents=True)
    stray.write_text("handler = None\n")
    options = project / "auth_options.py"
    options.write_text(options.read_text() + "<<<<<<< your version\nx\n=======\ny\n>>>>>>> new render\n")
    toml = project / "nextauth.toml"
    toml.write_text(
        toml.read_text()
        .replace('# production = "https://app.example.com"', 'production = "http://shop.other.net"')
        .replace("[session]", '[cookies]\ndomain = "example.com"\n\n[session]')
    )


EXPECTED = {
    "secret": ("NEXTAUTH_SECRET from .env.local is a well-known word", "nextauth secret --write --force"),
    "url": ("has the path '/auth'; nextauth serves its routes at /api/auth", "NEXTAUTH_URL=http://localhost:3000"),
    "env": ("GITHUB_SECRET is not set: provider `github` cannot work without it", "set GITHUB_SECRET in .env.local"),
    "route": ("does not define POST", "&& nextauth generate`"),
    "stray": ("pages/api/auth/[...nextauth].py also exists", "delete it (router = 'app' in nextauth.toml)"),
    "gitignore": (".env.local is not ignored by git", "add the line .env.local to .gitignore"),
    "conflict": ("auth_options.py holds unresolved conflict markers", "resolve them"),
    "cookie": ("does not contain the production host 'shop.other.net'", "set cookies.domain to 'other.net'"),
    "http": ("is plain http: session cookies would travel unencrypted", "serve production over https"),
    "issuer": ("KEYCLOAK_ISSUER must be an https:// URL", "e.g. KEYCLOAK_ISSUER=https://"),
}


def test_every_planted_fault_is_reported_with_its_fix(tmp_path: Path, cli: Invoke) -> None:
    project = new_project(tmp_path / "app", providers=["credentials", "github", "keycloak"])
    _plant(project)
    result = cli("doctor", str(project))
    assert result.exit_code == 1
    for message, fix in EXPECTED.values():
        assert message in result.stdout, message
        assert fix in result.stdout, fix
    assert "changeme" not in result.stdout.replace("a well-known word", "")  # secret values are never printed
    report = json.loads(cli("doctor", str(project), "--json").stdout)
    assert report["ok"] is False and report["errors"] >= len(EXPECTED)
    assert all(f["fix"] for f in report["findings"] if f["level"] == "error")


def test_risky_options_and_prefix_redirects_are_warnings(tmp_path: Path) -> None:
    project = new_project(tmp_path / "app", providers=["github", "azure-ad"])
    toml = project / "nextauth.toml"
    toml.write_text(
        toml.read_text()
        .replace("[providers.github]\n", "[providers.github]\nallow_dangerous_email_account_linking = true\n", 1)
        .replace("[providers.azure-ad]\n", "[providers.azure-ad]\nprofile_photo_size = 48\n", 1)
    )
    callbacks = project / "auth_callbacks.py"
    callbacks.write_text(
        callbacks.read_text()
        + "\n\ndef redirect(url: str, base_url: str) -> str:\n"
        + "    return url if url.startswith(base_url) else base_url\n"
    )
    report = diagnose(project, environ={})
    found = {f.check: f for f in report.findings if f.level == "warning"}
    assert "takes over the account" in found["account-linking"].message
    assert "HTTP 431" in found["cookie-size"].message
    assert "example.com.evil.net" in found["redirect"].message
    assert "--redirect-callback" in found["redirect"].fix


def test_credentials_with_database_sessions_is_an_error(tmp_path: Path) -> None:
    project = new_project(tmp_path / "app", providers=["credentials"])
    toml = project / "nextauth.toml"
    toml.write_text(
        toml.read_text().replace('strategy = "jwt"', 'strategy = "database"') + '\n[database]\nurl = "sqlite://"\n'
    )
    report = diagnose(project, environ={})
    finding = next(f for f in report.findings if f.check == "credentials-database")
    assert finding.level == "error" and 'strategy = "jwt"' in finding.fix


def test_an_invalid_config_is_one_finding_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "nextauth.toml").write_text("router = [\n")
    report = diagnose(tmp_path, environ={})
    assert [(f.check, f.level) for f in report.findings] == [("config", "error")]
    assert "invalid TOML" in report.findings[0].message


@pytest.mark.parametrize(
    ("secret", "problem"),
    [
        ("short", "is 5 characters long"),
        ("a" * 40, "looks guessable"),
        ("abababababababababababababababababababab", "looks guessable"),
        (STRONG, None),
        ("oracle-secret-not-for-production-0123456789", None),
    ],
)
def test_secret_strength(secret: str, problem: str | None) -> None:
    found = secret_strength(secret)
    assert (found is None) if problem is None else (found is not None and problem in found)


class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, str, bytes]]] = {}

    def do_GET(self) -> None:
        status, ctype, body = self.routes.get(self.path, (404, "text/html", b"<html>404</html>"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def web() -> Iterator[tuple[str, dict[str, tuple[int, str, bytes]]]]:
    """A loopback HTTP server answering ``routes[path]``."""
    routes: dict[str, tuple[int, str, bytes]] = {}
    handler = type("Handler", (_Handler,), {"routes": routes})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", routes
    server.shutdown()
    server.server_close()


def test_online_checks_discovery_documents_and_the_running_server(
    tmp_path: Path, web: tuple[str, dict[str, tuple[int, str, bytes]]]
) -> None:
    base, routes = web
    project = new_project(tmp_path / "app", providers=["oidc"], url=base)
    routes["/good/.well-known/openid-configuration"] = (
        200,
        "application/json",
        json.dumps({"issuer": f"{base}/good", "authorization_endpoint": "x"}).encode(),
    )
    routes["/bad/.well-known/openid-configuration"] = (
        200,
        "application/json",
        json.dumps({"issuer": "https://elsewhere.example", "authorization_endpoint": "x"}).encode(),
    )
    env = {"NEXTAUTH_URL": base, "NEXTAUTH_SECRET": STRONG, "OIDC_CLIENT_ID": "c", "OIDC_CLIENT_SECRET": "s"}

    good = diagnose(project, online=True, environ={**env, "OIDC_ISSUER": f"{base}/good"})
    assert any(f.check == "discovery" and f.level == "ok" for f in good.findings)
    server = next(f for f in good.findings if f.check == "server")
    assert server.level == "error" and "not JSON: clients would fail with CLIENT_FETCH_ERROR" in server.message

    bad = diagnose(project, online=True, environ={**env, "OIDC_ISSUER": f"{base}/bad"})
    issue = next(f for f in bad.findings if f.check == "discovery")
    assert issue.level == "error" and "issuer is https://elsewhere.example" in issue.message

    missing = diagnose(project, online=True, environ={**env, "OIDC_ISSUER": f"{base}/none"})
    assert "without an OpenID configuration" in next(f for f in missing.findings if f.check == "discovery").message

    routes["/api/auth/providers"] = (200, "application/json", b"{}")
    healthy = diagnose(project, online=True, environ={**env, "OIDC_ISSUER": f"{base}/good"})
    assert next(f for f in healthy.findings if f.check == "server").level == "ok"


def test_secret_env_files_readable_by_others_are_warned(tmp_path: Path) -> None:
    project = new_project(tmp_path / "app", providers=["github"])

    def warned() -> list[str]:
        return [f.message for f in diagnose(project, environ={}).findings if f.check == "env-mode"]

    assert warned() == []  # .env.local is created 0600
    (project / ".env.local").chmod(0o640)  # group-readable is readable by others too
    assert warned() == [".env.local holds secrets (NEXTAUTH_SECRET) and other users can read it (mode 640)"]
    (project / ".env.local").chmod(0o600)
    env = project / ".env"
    env.write_text("NEXTAUTH_URL=http://localhost:3000\nGITHUB_SECRET=\n")
    env.chmod(0o644)
    assert warned() == []  # nothing secret in it: an empty value is no secret
    env.write_text("NEXTAUTH_URL=http://localhost:3000\nDATABASE_URL=postgresql://u:pw@db/app\n")
    finding = [f for f in diagnose(project, environ={}).findings if f.check == "env-mode"]
    assert [(f.level, f.message, f.fix) for f in finding] == [
        ("warning", ".env holds secrets (DATABASE_URL) and other users can read it (mode 644)", "`chmod 600 .env`")
    ]
    assert "pw" not in finding[0].message
