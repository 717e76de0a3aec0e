"""osu! (OAuth 2.0).

Create an OAuth application under *Account settings → OAuth* with the callback URL
``<NEXTAUTH_URL>/api/auth/callback/osu``. osu! shares no email address.
Docs: https://osu.ppy.sh/docs/#authorization-code-grant
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["OsuProvider"]


def OsuProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """osu!: scope ``identify``, state check, ``/api/v2/me``."""
    return from_data("osu", client_id=client_id, client_secret=client_secret, options=options)
