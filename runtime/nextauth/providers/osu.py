"""osu! (OAuth 2.0).

Create an OAuth application under *Account settings → OAuth* with the callback URL
``<NEXTAUTH_URL>/api/auth/callback/osu``. osu! shares no email address.
Docs: https://osu.ppy.sh/docs/#authorization-code-grant
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._validate import validate_oauth_provider
from nextauth.providers.oauth import OAuthProvider, make_oauth_provider

__all__ = ["OsuProvider"]


def _profile(profile: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(profile["id"]),
        "name": profile.get("username"),
        "email": None,
        "image": profile.get("avatar_url"),
    }


def OsuProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """osu!: scope ``identify``, state check, ``/api/v2/me``."""
    defaults: dict[str, Any] = {
        "id": "osu",
        "name": "osu!",
        "type": "oauth",
        "authorization": {"url": "https://osu.ppy.sh/oauth/authorize", "params": {"scope": "identify"}},
        "token": "https://osu.ppy.sh/oauth/token",
        "userinfo": "https://osu.ppy.sh/api/v2/me",
        "profile": _profile,
        "style": {"logo": "/osu.svg", "bg": "#ff66aa", "text": "#fff"},
    }
    provider = make_oauth_provider(defaults, {"client_id": client_id, "client_secret": client_secret, **options})
    validate_oauth_provider(provider)
    return provider
