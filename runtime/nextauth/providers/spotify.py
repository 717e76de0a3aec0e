"""Spotify (OAuth 2.0).

In the Spotify developer dashboard, add ``<NEXTAUTH_URL>/api/auth/callback/spotify`` as a *Redirect
URI*. Spotify accepts ``http://`` only for loopback IP literals: use ``http://127.0.0.1:3000`` rather
than ``localhost`` for local development. Docs: https://developer.spotify.com/documentation/web-api/tutorials/code-flow
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["SpotifyProvider"]


def SpotifyProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Spotify: scope ``user-read-email``, state check, ``/v1/me``."""
    return from_data("spotify", client_id=client_id, client_secret=client_secret, options=options)
