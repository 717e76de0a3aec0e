"""Strava (OAuth 2.0).

In *Settings → My API Application*, set the *Authorization Callback Domain* to your site's host
(``localhost`` for development): Strava checks only the domain of
``<NEXTAUTH_URL>/api/auth/callback/strava``. Strava shares no email address; scopes are comma-separated.
Docs: https://developers.strava.com/docs/authentication/
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["StravaProvider"]


def StravaProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Strava: scope ``read``, ``approval_prompt=auto``, state check, ``client_secret_post``, ``/api/v3/athlete``."""
    return from_data("strava", client_id=client_id, client_secret=client_secret, options=options)
