"""Facebook Login (OAuth 2.0, Graph API).

Add *Facebook Login* to the app and list ``<NEXTAUTH_URL>/api/auth/callback/facebook`` under *Valid
OAuth Redirect URIs* (Meta enforces https for it, except localhost during development).
Docs: https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["GRAPH_API_VERSION", "FacebookProvider"]

GRAPH_API_VERSION = (
    "v25.0"  # released 2026-02-18, available until 2028-07-29 (Graph API changelog); registry.toml's URLs use it
)


def FacebookProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Facebook: scope ``email``, state check, ``/me?fields=id,name,email,picture`` on a pinned Graph API version.

    ``email`` is missing for accounts without a confirmed address (and when the user declines it).
    Override the version with ``authorization``/``token``/``userinfo`` URLs if you need another.
    """
    return from_data("facebook", client_id=client_id, client_secret=client_secret, options=options)
