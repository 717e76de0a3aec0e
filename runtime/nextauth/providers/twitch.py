"""Twitch (OpenID Connect).

Register an application in the Twitch developer console (client type *Confidential*) with
``<NEXTAUTH_URL>/api/auth/callback/twitch`` as an *OAuth Redirect URL*.
Docs: https://dev.twitch.tv/docs/authentication/getting-tokens-oidc/
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["TwitchProvider"]


def TwitchProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Twitch: discovery, scope ``openid user:read:email`` plus a ``claims`` request, ID token, post auth."""
    return from_data("twitch", client_id=client_id, client_secret=client_secret, options=options)
