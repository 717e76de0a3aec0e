"""Hugging Face (OpenID Connect).

Create an OAuth application in your Hugging Face settings (*Connected Apps*) with the scopes
``openid profile email`` and the redirect URL ``<NEXTAUTH_URL>/api/auth/callback/huggingface``.
Docs: https://huggingface.co/docs/hub/oauth
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._validate import validate_oauth_provider
from nextauth.providers.oauth import OAuthProvider, make_oauth_provider

__all__ = ["HuggingFaceProvider"]


def _profile(profile: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("sub"),
        "name": profile.get("name") or profile.get("preferred_username"),
        "email": profile.get("email"),
        "image": profile.get("picture"),
    }


def HuggingFaceProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:
    """Hugging Face: discovery, scope ``openid profile email``, PKCE + state, ID token."""
    defaults: dict[str, Any] = {
        "id": "huggingface",
        "name": "Hugging Face",
        "type": "oauth",
        "well_known": "https://huggingface.co/.well-known/openid-configuration",
        "authorization": {"params": {"scope": "openid profile email"}},
        "id_token": True,
        "checks": ["pkce", "state"],
        "profile": _profile,
        "style": {"logo": "/huggingface.svg", "bg": "#FFD21E", "text": "#000"},
    }
    provider = make_oauth_provider(defaults, {"client_id": client_id, "client_secret": client_secret, **options})
    validate_oauth_provider(provider)
    return provider
