"""authentik (OpenID Connect).

Create an *OAuth2/OpenID Provider* (client type *Confidential*) and an application for it; register
``<NEXTAUTH_URL>/api/auth/callback/authentik`` as its redirect URI. ``issuer`` is the application's
URL, ``https://authentik.example.com/application/o/<application slug>/`` (shown as *OpenID Configuration
Issuer* on the provider's page). Docs: https://docs.goauthentik.io/docs/add-secure-apps/providers/oauth2/
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["AuthentikProvider"]


def AuthentikProvider(
    *, client_id: str, client_secret: str, issuer: str, **options: Any
) -> OAuthProvider:  # NextAuth.js's name
    """authentik: discovery at the application ``issuer``, scope ``openid email profile``, PKCE + state, ID token."""
    return from_data("authentik", client_id=client_id, client_secret=client_secret, options=options, issuer=issuer)
