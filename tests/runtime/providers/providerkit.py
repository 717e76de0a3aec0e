"""What the provider tests share: the catalogue of built-in factories and how to build each one."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from nextauth import providers
from nextauth.providers import OAuthProvider

NOT_FACTORIES = {"CredentialsProvider", "EmailProvider", "OAuthProvider", "Provider"}
ALIASES = {"MicrosoftEntraIDProvider": "AzureADProvider"}

# Factories that need an issuer, and one that passes their extra checks.
ISSUERS = {
    "Auth0Provider": "https://dev-abc123.us.auth0.com",
    "AuthentikProvider": "https://authentik.example.com/application/o/my-app/",
    "CognitoProvider": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123",
    "KeycloakProvider": "https://keycloak.example.com/realms/myrealm",
    "OIDCProvider": "https://id.example.com",
    "OktaProvider": "https://dev-123456.okta.com/oauth2/default",
    "ZitadelProvider": "https://my-instance-abc123.zitadel.cloud",
}


def factory_names() -> list[str]:
    """Every exported built-in OAuth factory with a module of its own, aliases left out.

    The data-only providers of ``nextauth.providers.builtin`` have their own table tests
    (test_providers_builtin.py).
    """
    names = (n for n in providers.__all__ if n.endswith("Provider") and n not in NOT_FACTORIES | set(ALIASES))
    return sorted(n for n in names if getattr(providers, n).__module__ != "nextauth.providers.builtin")


def factory(name: str) -> Callable[..., OAuthProvider]:
    fn: Callable[..., OAuthProvider] = getattr(providers, name)
    return fn


def required_issuer(name: str) -> bool:
    param = inspect.signature(factory(name)).parameters.get("issuer")
    return param is not None and param.default is inspect.Parameter.empty


def build(factory_name: str, /, **options: Any) -> OAuthProvider:
    """The provider from its factory with placeholder credentials (and an issuer where one is needed)."""
    kwargs: dict[str, Any] = {"client_id": "the-client-id", "client_secret": "the-client-secret"}
    if factory_name in ISSUERS:
        kwargs["issuer"] = ISSUERS[factory_name]
    kwargs.update(options)
    return factory(factory_name)(**kwargs)
