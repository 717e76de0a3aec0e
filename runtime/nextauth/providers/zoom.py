"""Zoom (OAuth 2.0).

Create a *General app* (user-managed) in the Zoom App Marketplace, add
``<NEXTAUTH_URL>/api/auth/callback/zoom`` as the *OAuth Redirect URL* and to the *OAuth allow list*, and
add the ``user:read:user`` scope: Zoom grants the scopes configured on the app, so none is requested.
Docs: https://developers.zoom.us/docs/integrations/oauth/
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["ZoomProvider"]


def ZoomProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Zoom: app-configured scopes (empty ``scope``), state check, ``/v2/users/me``."""
    return from_data("zoom", client_id=client_id, client_secret=client_secret, options=options)
