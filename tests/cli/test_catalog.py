"""The provider catalog agrees with the runtime: factory names, ids, scopes, discovery and endpoints."""

from __future__ import annotations

import importlib
import inspect

import pytest

from nextauth_cli import catalog
from nextauth_cli.catalog import CATALOG
from nextauth_cli.config import ProviderConfig, build_provider_for_check
from nextauth_cli.errors import UnknownProviderError

REQUIRED = {
    "google": "GoogleProvider",
    "github": "GitHubProvider",
    "discord": "DiscordProvider",
    "gitlab": "GitLabProvider",
    "azure-ad": "AzureADProvider",
    "auth0": "Auth0Provider",
    "keycloak": "KeycloakProvider",
    "okta": "OktaProvider",
    "apple": "AppleProvider",
    "facebook": "FacebookProvider",
    "twitter": "TwitterProvider",
    "linkedin": "LinkedInProvider",
    "slack": "SlackProvider",
    "spotify": "SpotifyProvider",
    "twitch": "TwitchProvider",
    "cognito": "CognitoProvider",
    "zitadel": "ZitadelProvider",
    "authentik": "AuthentikProvider",
    "oidc": "OIDCProvider",
    "credentials": "CredentialsProvider",
    "email": "EmailProvider",
}


def test_the_catalog_covers_the_required_providers_with_the_runtime_names() -> None:
    for pid, factory in REQUIRED.items():
        assert CATALOG[pid].factory == factory
    assert len(CATALOG) >= 22


@pytest.mark.parametrize("pid", sorted(CATALOG))
def test_each_entry_matches_the_runtime(pid: str) -> None:
    spec = CATALOG[pid]
    module = importlib.import_module(f"nextauth.providers.{spec.module}")
    factory = getattr(module, spec.factory)
    assert spec.factory in module.__all__
    options: dict[str, object] = {}
    if pid == "oauth":
        options = {"well_known": "https://id.example.com/.well-known/openid-configuration"}
    provider = build_provider_for_check(ProviderConfig(id=pid, kind=pid, options=options))
    assert provider.id == pid
    assert spec.docs.startswith("https://")
    kwargs = {var.kwarg for var in spec.env if var.kwarg}
    if spec.type in ("oauth", "oidc") and pid != "oauth":
        params = inspect.signature(factory).parameters
        assert kwargs <= set(params), f"{pid}: env kwargs {kwargs} not all factory parameters"
        scope = provider.authorization.params.get("scope", "")
        assert spec.scopes == scope or (scope == "" and spec.scopes == "(app settings)")
        if spec.discovery and "{" not in spec.discovery:
            assert provider.well_known.startswith(spec.discovery)
        for name, url in spec.endpoints:
            if "{issuer}" in url:  # shown as the data writes it ({issuer}/path); built at an issuer
                assert getattr(provider, name).url.endswith(url.split("{issuer}", 1)[1])
            else:
                assert getattr(provider, name).url == url
    names = [name for _, name in spec.env_vars()]
    assert len(names) == len(set(names)) and all(n.isupper() for n in names)


def test_env_names_follow_nextauth_v4_docs() -> None:
    assert [n for _, n in CATALOG["github"].env_vars()] == ["GITHUB_ID", "GITHUB_SECRET"]
    assert [n for _, n in CATALOG["okta"].env_vars()] == ["OKTA_CLIENT_ID", "OKTA_CLIENT_SECRET", "OKTA_ISSUER"]
    assert [n for _, n in CATALOG["azure-ad"].env_vars()][-1] == "AZURE_AD_TENANT_ID"
    assert [n for _, n in CATALOG["oidc"].env_vars("my-corp")] == [
        "MY_CORP_CLIENT_ID",
        "MY_CORP_CLIENT_SECRET",
        "MY_CORP_ISSUER",
    ]


def test_lookup_by_alias_and_suggestions() -> None:
    assert catalog.get("Entra-ID").id == "azure-ad"
    assert catalog.get(" GitHub ").id == "github"
    assert catalog.suggest("gogle") == ["google"]
    with pytest.raises(UnknownProviderError) as info:
        catalog.get("twiter")
    assert info.value.fix is not None and info.value.fix.startswith("did you mean 'twitter'")
