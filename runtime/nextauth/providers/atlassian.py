"""Atlassian account (OAuth 2.0 "3LO").

In the developer console, create an *OAuth 2.0 integration*, add the *User identity API* permission
(``read:me``) and set the *Callback URL* to ``<NEXTAUTH_URL>/api/auth/callback/atlassian``.
Docs: https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["AtlassianProvider"]


def AtlassianProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Atlassian: scope ``read:me``, ``audience=api.atlassian.com``, ``prompt=consent``, state check, ``/me``."""
    return from_data("atlassian", client_id=client_id, client_secret=client_secret, options=options)
