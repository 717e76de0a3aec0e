"""Google (OpenID Connect). Register ``<NEXTAUTH_URL>/api/auth/callback/google`` as a redirect URI."""

from __future__ import annotations

from typing import Any

from nextauth.providers.oauth import OAuthProvider, make_oauth_provider

__all__ = ["GoogleProvider"]


def _profile(profile: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("sub"),
        "name": profile.get("name"),
        "email": profile.get("email"),
        "image": profile.get("picture"),
    }


def GoogleProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Google with next-auth's defaults: discovery, ``openid email profile``, PKCE + state, ID token."""
    defaults: dict[str, Any] = {
        "id": "google",
        "name": "Google",
        "type": "oauth",
        "well_known": "https://accounts.google.com/.well-known/openid-configuration",
        "authorization": {"params": {"scope": "openid email profile"}},
        "id_token": True,
        "checks": ["pkce", "state"],
        "profile": _profile,
        "style": {"logo": "/google.svg", "bg": "#fff", "text": "#000"},
    }
    return make_oauth_provider(defaults, {"client_id": client_id, "client_secret": client_secret, **options})
