"""Zoom (OAuth 2.0).

Create a *General app* (user-managed) in the Zoom App Marketplace, add
``<NEXTAUTH_URL>/api/auth/callback/zoom`` as the *OAuth Redirect URL* and to the *OAuth allow list*, and
add the ``user:read:user`` scope: Zoom grants the scopes configured on the app, so none is requested.
Docs: https://developers.zoom.us/docs/integrations/oauth/
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._validate import validate_oauth_provider
from nextauth.providers.oauth import OAuthProvider, make_oauth_provider

__all__ = ["ZoomProvider"]


def _profile(profile: dict[str, Any]) -> dict[str, Any]:
    name = profile.get("display_name") or " ".join(
        p for p in (profile.get("first_name"), profile.get("last_name")) if isinstance(p, str) and p
    )
    return {
        "id": str(profile["id"]),
        "name": name or None,
        "email": profile.get("email"),
        "image": profile.get("pic_url"),
    }


def ZoomProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Zoom: app-configured scopes (empty ``scope``), state check, ``/v2/users/me``."""
    defaults: dict[str, Any] = {
        "id": "zoom",
        "name": "Zoom",
        "type": "oauth",
        "authorization": {"url": "https://zoom.us/oauth/authorize", "params": {"scope": ""}},
        "token": "https://zoom.us/oauth/token",
        "userinfo": "https://api.zoom.us/v2/users/me",
        "profile": _profile,
        "style": {"logo": "/zoom.svg", "bg": "#0b5cff", "text": "#fff"},
    }
    provider = make_oauth_provider(defaults, {"client_id": client_id, "client_secret": client_secret, **options})
    validate_oauth_provider(provider)
    return provider
