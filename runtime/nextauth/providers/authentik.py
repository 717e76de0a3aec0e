"""authentik (OpenID Connect).

Create an *OAuth2/OpenID Provider* (client type *Confidential*) and an application for it; register
``<NEXTAUTH_URL>/api/auth/callback/authentik`` as its redirect URI. ``issuer`` is the application's
URL, ``https://authentik.example.com/application/o/<application slug>/`` (shown as *OpenID Configuration
Issuer* on the provider's page). Docs: https://docs.goauthentik.io/docs/add-secure-apps/providers/oauth2/
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from nextauth.errors import InvalidProviderError
from nextauth.providers._validate import discovery_url, issuer_url, validate_oauth_provider
from nextauth.providers.oauth import OAuthProvider, make_oauth_provider

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
    pid = str(options.get("id", "authentik"))
    issuer = issuer_url(issuer, provider_id=pid, example=EXAMPLE)
    if urlsplit(issuer).path.strip("/") == "":
        raise InvalidProviderError(
            f"provider {pid!r}: issuer {issuer!r} is the server, not an application: use the application's "
            f"URL, e.g. issuer={EXAMPLE!r}"
        )
    defaults: dict[str, Any] = {
        "id": "authentik",
        "name": "authentik",
        "type": "oauth",
        "issuer": issuer,
        "well_known": discovery_url(issuer),
        "authorization": {"params": {"scope": "openid email profile"}},
        "id_token": True,
        "checks": ["pkce", "state"],
        "profile": _profile,
        "style": {"logo": "/authentik.svg", "bg": "#fd4b2d", "text": "#fff"},
    }
    provider = make_oauth_provider(defaults, {"client_id": client_id, "client_secret": client_secret, **options})
    validate_oauth_provider(provider)
    return provider
