"""authentik (OpenID Connect).

Create an *OAuth2/OpenID Provider* (client type *Confidential*) and an application for it; register
``<NEXTAUTH_URL>/api/auth/callback/authentik`` as its redirect URI. ``issuer`` is the application's
URL, ``https://authentik.example.com/application/o/<application slug>/`` (shown as *OpenID Configuration
Issuer* on the provider's page). Docs: https://docs.goauthentik.io/docs/add-secure-apps/providers/oauth2/
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._validate import issuer_provider
from nextauth.providers.oauth import OAuthProvider

__all__ = ["AuthentikProvider"]

EXAMPLE = "https://authentik.example.com/application/o/my-app/"


def _profile(profile: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("sub"),
        "name": profile.get("name") or profile.get("preferred_username"),
        "email": profile.get("email"),
        "image": profile.get("picture"),
    }


def AuthentikProvider(
    *, client_id: str, client_secret: str, issuer: str, **options: Any
) -> OAuthProvider:  # NextAuth.js's name
    """authentik: discovery at the application ``issuer``, scope ``openid email profile``, PKCE + state, ID token."""
    defaults = {
        "id": "authentik",
        "name": "authentik",
        "profile": _profile,
        "style": {"logo": "/authentik.svg", "bg": "#fd4b2d", "text": "#fff"},
    }
    return issuer_provider(
        defaults,
        issuer=issuer,
        example=EXAMPLE,
        client_id=client_id,
        client_secret=client_secret,
        options=options,
        needs_path="an application: use the application's URL",
    )
