"""Google (OpenID Connect). Register ``<NEXTAUTH_URL>/api/auth/callback/google`` as a redirect URI."""

from __future__ import annotations

from typing import Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["GoogleProvider"]


def GoogleProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Google with next-auth's defaults: discovery, ``openid email profile``, PKCE + state, ID token."""
    return from_data("google", client_id=client_id, client_secret=client_secret, options=options)
