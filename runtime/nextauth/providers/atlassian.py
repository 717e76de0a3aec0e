"""Atlassian account (OAuth 2.0 "3LO").

In the developer console, create an *OAuth 2.0 integration*, add the *User identity API* permission
(``read:me``) and set the *Callback URL* to ``<NEXTAUTH_URL>/api/auth/callback/atlassian``.
Docs: https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._validate import validate_oauth_provider
from nextauth.providers.oauth import OAuthProvider, make_oauth_provider

__all__ = ["AtlassianProvider"]


def _profile(profile: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile["account_id"],
        "name": profile.get("name") or profile.get("nickname"),
        "email": profile.get("email") if profile.get("email_verified", True) else None,
        "image": profile.get("picture"),
    }


def AtlassianProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Atlassian: scope ``read:me``, ``audience=api.atlassian.com``, ``prompt=consent``, state check, ``/me``."""
    defaults: dict[str, Any] = {
        "id": "atlassian",
        "name": "Atlassian",
        "type": "oauth",
        "authorization": {
            "url": "https://auth.atlassian.com/authorize",
            "params": {"audience": "api.atlassian.com", "prompt": "consent", "scope": "read:me"},
        },
        "token": "https://auth.atlassian.com/oauth/token",
        "userinfo": "https://api.atlassian.com/me",
        "client": {"token_endpoint_auth_method": "client_secret_post"},
        "profile": _profile,
        "style": {"logo": "/atlassian.svg", "bg": "#fff", "text": "#0052cc"},
    }
    provider = make_oauth_provider(defaults, {"client_id": client_id, "client_secret": client_secret, **options})
    validate_oauth_provider(provider)
    return provider
