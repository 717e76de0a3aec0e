"""Patreon (OAuth 2.0, API v2).

Register a client at https://www.patreon.com/portal/registration/register-clients with the redirect
URI ``<NEXTAUTH_URL>/api/auth/callback/patreon`` (client API version 2).
Docs: https://docs.patreon.com/#oauth
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._validate import validate_oauth_provider
from nextauth.providers.oauth import OAuthProvider, make_oauth_provider

__all__ = ["PatreonProvider"]


def _profile(profile: dict[str, Any]) -> dict[str, Any]:
    data = profile.get("data")
    data = data if isinstance(data, dict) else {}
    attributes = data.get("attributes")
    attributes = attributes if isinstance(attributes, dict) else {}
    return {
        "id": str(data["id"]),
        "name": attributes.get("full_name"),
        "email": attributes.get("email") if attributes.get("is_email_verified", True) else None,
        "image": attributes.get("image_url"),
    }


def PatreonProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Patreon: scope ``identity identity[email]``, state check, ``/api/oauth2/v2/identity``."""
    defaults: dict[str, Any] = {
        "id": "patreon",
        "name": "Patreon",
        "type": "oauth",
        "authorization": {
            "url": "https://www.patreon.com/oauth2/authorize",
            "params": {"scope": "identity identity[email]"},
        },
        "token": "https://www.patreon.com/api/oauth2/token",
        "userinfo": {
            "url": "https://www.patreon.com/api/oauth2/v2/identity",
            "params": {"fields[user]": "email,full_name,image_url,is_email_verified"},
        },
        "client": {"token_endpoint_auth_method": "client_secret_post"},
        "profile": _profile,
        "style": {"logo": "/patreon.svg", "bg": "#e85b46", "text": "#fff"},
    }
    provider = make_oauth_provider(defaults, {"client_id": client_id, "client_secret": client_secret, **options})
    validate_oauth_provider(provider)
    return provider
