"""Twitch (OpenID Connect).

Register an application in the Twitch developer console (client type *Confidential*) with
``<NEXTAUTH_URL>/api/auth/callback/twitch`` as an *OAuth Redirect URL*.
Docs: https://dev.twitch.tv/docs/authentication/getting-tokens-oidc/
"""

from __future__ import annotations

import json
from typing import Any

from nextauth.providers._validate import validate_oauth_provider
from nextauth.providers.oauth import OAuthProvider, make_oauth_provider

__all__ = ["TwitchProvider"]

# Twitch puts only sub/iss/aud/... in the ID token unless the claims are requested (OIDC Core §5.5).
CLAIMS = json.dumps({"id_token": {"email": None, "picture": None, "preferred_username": None}}, separators=(",", ":"))


def _profile(profile: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("sub"),
        "name": profile.get("preferred_username"),
        "email": profile.get("email"),
        "image": profile.get("picture"),
    }


def TwitchProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Twitch: discovery, scope ``openid user:read:email`` plus a ``claims`` request, ID token, post auth."""
    defaults: dict[str, Any] = {
        "id": "twitch",
        "name": "Twitch",
        "type": "oauth",
        "well_known": "https://id.twitch.tv/oauth2/.well-known/openid-configuration",
        "authorization": {"params": {"scope": "openid user:read:email", "claims": CLAIMS}},
        "client": {"token_endpoint_auth_method": "client_secret_post"},
        "id_token": True,
        "profile": _profile,
        "style": {"logo": "/twitch.svg", "bg": "#65459B", "text": "#fff"},
    }
    provider = make_oauth_provider(defaults, {"client_id": client_id, "client_secret": client_secret, **options})
    validate_oauth_provider(provider)
    return provider
