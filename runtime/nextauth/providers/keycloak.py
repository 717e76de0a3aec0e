"""Keycloak (OpenID Connect).

Register ``<NEXTAUTH_URL>/api/auth/callback/keycloak`` under *Valid redirect URIs* of a client with
*Client authentication* on. ``issuer`` is the realm's URL: ``https://keycloak.example.com/realms/myrealm``
(Keycloak before 17 and some setups: ``.../auth/realms/myrealm``).
Docs: https://www.keycloak.org/docs/latest/server_admin/#_oidc_clients
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from nextauth.errors import InvalidProviderError
from nextauth.providers._validate import discovery_url, issuer_url, validate_oauth_provider
from nextauth.providers.oauth import OAuthProvider, make_oauth_provider

__all__ = ["KeycloakProvider"]

EXAMPLE = "https://keycloak.example.com/realms/myrealm"


def _profile(profile: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("sub"),
        "name": profile.get("name") or profile.get("preferred_username"),
        "email": profile.get("email"),
        "image": profile.get("picture"),
    }


def KeycloakProvider(
    *, client_id: str, client_secret: str, issuer: str, **options: Any
) -> OAuthProvider:  # NextAuth.js's name
    """Keycloak: discovery at the realm URL ``issuer``, scope ``openid email profile``, PKCE + state, ID token."""
    pid = str(options.get("id", "keycloak"))
    issuer = issuer_url(issuer, provider_id=pid, example=EXAMPLE)
    if urlsplit(issuer).path.strip("/") == "":
        raise InvalidProviderError(
            f"provider {pid!r}: issuer {issuer!r} is the server, not a realm: use the realm's URL, "
            f"e.g. issuer={EXAMPLE!r}"
        )
    defaults: dict[str, Any] = {
        "id": "keycloak",
        "name": "Keycloak",
        "type": "oauth",
        "issuer": issuer,
        "well_known": discovery_url(issuer),
        "authorization": {"params": {"scope": "openid email profile"}},
        "id_token": True,
        "checks": ["pkce", "state"],
        "profile": _profile,
        "style": {"logo": "/keycloak.svg", "bg": "#fff", "text": "#000"},
    }
    provider = make_oauth_provider(defaults, {"client_id": client_id, "client_secret": client_secret, **options})
    validate_oauth_provider(provider)
    return provider
