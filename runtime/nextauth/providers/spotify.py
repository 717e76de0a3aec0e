"""Spotify (OAuth 2.0).

In the Spotify developer dashboard, add ``<NEXTAUTH_URL>/api/auth/callback/spotify`` as a *Redirect
URI*. Spotify accepts ``http://`` only for loopback IP literals: use ``http://127.0.0.1:3000`` rather
than ``localhost`` for local development. Docs: https://developer.spotify.com/documentation/web-api/tutorials/code-flow
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._validate import validate_oauth_provider
from nextauth.providers.oauth import OAuthProvider, make_oauth_provider

__all__ = ["SpotifyProvider"]


def _profile(profile: dict[str, Any]) -> dict[str, Any]:
    images = profile.get("images")
    first = images[0] if isinstance(images, list) and images and isinstance(images[0], dict) else {}
    return {
        "id": str(profile["id"]),
        "name": profile.get("display_name") or profile.get("id"),
        "email": profile.get("email"),
        "image": first.get("url"),
    }


def SpotifyProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Spotify: scope ``user-read-email``, state check, ``/v1/me``."""
    defaults: dict[str, Any] = {
        "id": "spotify",
        "name": "Spotify",
        "type": "oauth",
        "authorization": {"url": "https://accounts.spotify.com/authorize", "params": {"scope": "user-read-email"}},
        "token": "https://accounts.spotify.com/api/token",
        "userinfo": "https://api.spotify.com/v1/me",
        "profile": _profile,
        "style": {"logo": "/spotify.svg", "bg": "#000", "text": "#fff"},
    }
    provider = make_oauth_provider(defaults, {"client_id": client_id, "client_secret": client_secret, **options})
    validate_oauth_provider(provider)
    return provider
