"""Keycloak (OpenID Connect).

Register ``<NEXTAUTH_URL>/api/auth/callback/keycloak`` under *Valid redirect URIs* of a client with
*Client authentication* on. ``issuer`` is the realm's URL: ``https://keycloak.example.com/realms/myrealm``
(Keycloak before 17 and some setups: ``.../auth/realms/myrealm``).
Docs: https://www.keycloak.org/docs/latest/server_admin/#_oidc_clients
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["KeycloakProvider"]


def KeycloakProvider(
    *, client_id: str, client_secret: str, issuer: str, **options: Any
) -> OAuthProvider:  # NextAuth.js's name
    """Keycloak: discovery at the realm URL ``issuer``, scope ``openid email profile``, PKCE + state, ID token."""
    return from_data("keycloak", client_id=client_id, client_secret=client_secret, options=options, issuer=issuer)
