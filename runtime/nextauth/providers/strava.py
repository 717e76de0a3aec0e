"""Strava (OAuth 2.0).

In *Settings → My API Application*, set the *Authorization Callback Domain* to your site's host
(``localhost`` for development): Strava checks only the domain of
``<NEXTAUTH_URL>/api/auth/callback/strava``. Strava shares no email address; scopes are comma-separated.
Docs: https://developers.strava.com/docs/authentication/
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._validate import validate_oauth_provider
from nextauth.providers.oauth import OAuthProvider, make_oauth_provider

__all__ = ["StravaProvider"]


def _profile(profile: dict[str, Any]) -> dict[str, Any]:
    name = " ".join(p for p in (profile.get("firstname"), profile.get("lastname")) if isinstance(p, str) and p)
    return {
        "id": str(profile["id"]),
        "name": name or profile.get("username"),
        "email": None,
        "image": profile.get("profile"),
    }


def StravaProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Strava: scope ``read``, ``approval_prompt=auto``, state check, ``client_secret_post``, ``/api/v3/athlete``."""
    defaults: dict[str, Any] = {
        "id": "strava",
        "name": "Strava",
        "type": "oauth",
        "authorization": {
            "url": "https://www.strava.com/oauth/authorize",
            "params": {"scope": "read", "approval_prompt": "auto"},
        },
        "token": "https://www.strava.com/oauth/token",
        "userinfo": "https://www.strava.com/api/v3/athlete",
        "client": {"token_endpoint_auth_method": "client_secret_post"},
        "profile": _profile,
        "style": {"logo": "/strava.svg", "bg": "#fc4c02", "text": "#fff"},
    }
    provider = make_oauth_provider(defaults, {"client_id": client_id, "client_secret": client_secret, **options})
    validate_oauth_provider(provider)
    return provider
