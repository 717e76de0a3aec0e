"""Keycloak (OpenID Connect).

Register ``<NEXTAUTH_URL>/api/auth/callback/keycloak`` under *Valid redirect URIs* of a client with
*Client authentication* on. ``issuer`` is the realm's URL: ``https://keycloak.example.com/realms/myrealm``
(Keycloak before 17 and some setups: ``.../auth/realms/myrealm``).
Docs: https://www.keycloak.org/docs/latest/server_admin/#_oidc_clients
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._validate import issuer_provider
from nextauth.providers.oauth import OAuthProvider

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
    defaults = {
        "id": "keycloak",
        "name": "Keycloak",
        "profile": _profile,
        "style": {"logo": "/keycloak.svg", "bg": "#fff", "text": "#000"},
    }
    return issuer_provider(
        defaults,
        issuer=issuer,
        example=EXAMPLE,
        client_id=client_id,
        client_secret=client_secret,
        options=options,
        needs_path="a realm: use the realm's URL",
    )
