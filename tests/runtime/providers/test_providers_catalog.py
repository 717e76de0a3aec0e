"""The catalogue of built-in OAuth providers: exported, unique ids, sane defaults, documented."""

from __future__ import annotations

import importlib
import inspect
import re

import pytest
from providerkit import ALIASES, ISSUERS, build, factory, factory_names, required_issuer

from nextauth import providers
from nextauth.providers import OAuthProvider
from nextauth.providers._validate import validate_oauth_provider

# What the CLI generates calls: the names must not change.
CLI_FACTORIES = {
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
    "github": "GitHubProvider",
    "google": "GoogleProvider",
}


def test_every_factory_the_cli_calls_is_exported_under_its_id() -> None:
    for provider_id, name in CLI_FACTORIES.items():
        assert name in providers.__all__, name
        assert build(name).id == provider_id


def test_ids_are_unique_across_all_factories() -> None:
    ids = [build(name).id for name in factory_names()]
    assert len(ids) == len(set(ids)), sorted(ids)
    assert len(ids) >= 30


def test_the_entra_alias_is_the_azure_factory() -> None:
    for alias, target in ALIASES.items():
        assert getattr(providers, alias) is getattr(providers, target)
    assert providers.MicrosoftEntraIDProvider(client_id="c", client_secret="s").name == "Microsoft Entra ID"


def test_all_is_sorted_and_complete() -> None:
    assert providers.__all__ == sorted(providers.__all__)
    public = {n for n in dir(providers) if n.endswith("Provider") and not n.startswith("_")}
    assert public <= set(providers.__all__)


@pytest.mark.parametrize("name", factory_names())
def test_factory_shape(name: str) -> None:
    """Keyword-only credentials, an OAuthProvider that validates, a module of its own."""
    fn = factory(name)
    params = inspect.signature(fn).parameters
    assert params["client_id"].kind is inspect.Parameter.KEYWORD_ONLY
    assert params["client_secret"].kind is inspect.Parameter.KEYWORD_ONLY
    assert any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    assert (name in ISSUERS) == required_issuer(name)
    provider = build(name)
    assert isinstance(provider, OAuthProvider)
    validate_oauth_provider(provider)
    assert provider.client_id == "the-client-id" and provider.client_secret == "the-client-secret"
    assert "the-client-secret" not in repr(provider)
    module = importlib.import_module(fn.__module__)
    assert module.__name__.startswith("nextauth.providers.") and name in module.__all__
    assert (module.__doc__ or "").count(f"/api/auth/callback/{provider.id}") >= 1 or name == "OIDCProvider"


@pytest.mark.parametrize("name", factory_names())
def test_style_is_a_relative_logo_and_colours(name: str) -> None:
    style = build(name).style
    if name == "OIDCProvider":
        assert style is None  # a generic provider has no brand
        return
    assert style is not None
    assert re.fullmatch(r"/[a-z0-9-]+\.svg", style.logo), style.logo
    for colour in (style.bg, style.text):
        assert re.fullmatch(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?", colour), colour


@pytest.mark.parametrize("name", factory_names())
def test_the_id_can_be_overridden(name: str) -> None:
    provider = build(name, id="second", name="Second account")
    assert (provider.id, provider.name) == ("second", "Second account")
