"""Okta (OpenID Connect).

Register ``<NEXTAUTH_URL>/api/auth/callback/okta`` as a *Sign-in redirect URI* of an OIDC *Web
Application*. ``issuer`` is the authorization server: ``https://dev-123456.okta.com/oauth2/default``
for the default custom authorization server, or ``https://dev-123456.okta.com`` for the org server.
Docs: https://developer.okta.com/docs/guides/sign-into-web-app-redirect/
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._validate import discovery_url, issuer_url, validate_oauth_provider
from nextauth.providers.oauth import OAuthProvider, make_oauth_provider

__all__ = ["OktaProvider"]


def _profile(profile: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("sub"),
        "name": profile.get("name") or profile.get("preferred_username"),
        "email": profile.get("email"),
        "image": profile.get("picture"),
    }


def OktaProvider(
    *, client_id: str, client_secret: str, issuer: str, **options: Any
) -> OAuthProvider:  # NextAuth.js's name
    """Okta: discovery at ``issuer``, scope ``openid email profile``, PKCE + state, ID token."""
    pid = str(options.get("id", "okta"))
    issuer = issuer_url(issuer, provider_id=pid, example="https://dev-123456.okta.com/oauth2/default")
    defaults: dict[str, Any] = {
        "id": "okta",
        "name": "Okta",
        "type": "oauth",
        "issuer": issuer,
        "well_known": discovery_url(issuer),
        "authorization": {"params": {"scope": "openid email profile"}},
        "id_token": True,
        "checks": ["pkce", "state"],
        "profile": _profile,
        "style": {"logo": "/okta.svg", "bg": "#000", "text": "#fff"},
    }
    provider = make_oauth_provider(defaults, {"client_id": client_id, "client_secret": client_secret, **options})
    validate_oauth_provider(provider)
    return provider
