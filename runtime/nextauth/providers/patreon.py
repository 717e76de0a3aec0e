"""Patreon (OAuth 2.0, API v2).

Register a client at https://www.patreon.com/portal/registration/register-clients with the redirect
URI ``<NEXTAUTH_URL>/api/auth/callback/patreon`` (client API version 2).
Docs: https://docs.patreon.com/#oauth
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["PatreonProvider"]


def PatreonProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Patreon: scope ``identity identity[email]``, state check, ``/api/oauth2/v2/identity``."""
    return from_data("patreon", client_id=client_id, client_secret=client_secret, options=options)
