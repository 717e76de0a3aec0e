"""One loopback rule for the runtime and the CLI (issue 12): where plain http is allowed, they agree.

Loopback: localhost, *.localhost, 127.0.0.0/8, ::1 (and ::ffff:127.x.y.z). On 4586d69 the runtime refused
http://app.localhost that the CLI accepted, the CLI refused http://127.0.0.2 that the runtime accepted, and
doctor let an issuer such as http://localhost.evil.example through because it contains "://localhost".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from clikit import new_project
from security_figures import record

from nextauth.errors import InvalidProviderError
from nextauth.providers._validate import check_url
from nextauth_cli.config import config_problems, parse_config
from nextauth_cli.doctor import diagnose

LOOPBACK = [
    "localhost",
    "LOCALHOST",
    "app.localhost",
    "localhost.",
    "127.0.0.1",
    "127.0.0.2",
    "127.255.255.254",
    "[::1]",
]
NOT_LOOPBACK = [
    "localhost.evil.example",
    "evillocalhost",
    "127.0.0.1.nip.io",
    "0.0.0.0",
    "10.0.0.1",
    "[::]",
    "[::2]",
    "example.com",
    "localhost.example.com",
]


def _runtime_allows_http(host: str) -> bool:
    try:
        check_url(f"http://{host}:8080/realms/x", provider_id="p", option="issuer")
    except InvalidProviderError:
        return False
    return True


def _cli_allows_http(host: str) -> bool:
    config = parse_config(
        f'[urls]\nproduction = "http://{host}:8443"\n[providers.credentials]\n', source="nextauth.toml"
    )
    return not any(p.code == "production-http" for p in config_problems(config))


@pytest.mark.parametrize("host", LOOPBACK + NOT_LOOPBACK)
def test_runtime_and_cli_agree(host: str) -> None:
    expected = host in LOOPBACK
    assert _runtime_allows_http(host) is expected, host
    assert _cli_allows_http(host) is expected, host


def test_doctor_refuses_a_plain_http_issuer_that_only_mentions_localhost(tmp_path: Path) -> None:
    project = new_project(tmp_path / "app", providers=["credentials", "keycloak"])
    tried = accepted = 0
    for issuer in (
        "http://localhost.evil.example/realms/x",
        "http://evil.example/?r=://127.0.0.1",
        "http://127.0.0.1.nip.io/r",
    ):
        env = {"KEYCLOAK_ID": "kc", "KEYCLOAK_SECRET": "kcs", "KEYCLOAK_ISSUER": issuer}
        messages = [f.message for f in diagnose(project, environ=env).findings]
        tried += 1
        accepted += "KEYCLOAK_ISSUER must be an https:// URL" not in messages
    record("doctor: plain-http issuers that only mention localhost", tried=tried, accepted=accepted, what="issuer URLs")
    assert accepted == 0
    for issuer in ("http://localhost:8080/realms/x", "http://sso.localhost/realms/x", "https://sso.example.com/r"):
        env = {"KEYCLOAK_ID": "kc", "KEYCLOAK_SECRET": "kcs", "KEYCLOAK_ISSUER": issuer}
        messages = [f.message for f in diagnose(project, environ=env).findings]
        assert "KEYCLOAK_ISSUER must be an https:// URL" not in messages, issuer
