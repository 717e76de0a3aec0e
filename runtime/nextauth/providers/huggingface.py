"""Hugging Face (OpenID Connect).

Create an OAuth application in your Hugging Face settings (*Connected Apps*) with the scopes
``openid profile email`` and the redirect URL ``<NEXTAUTH_URL>/api/auth/callback/huggingface``.
Docs: https://huggingface.co/docs/hub/oauth
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["HuggingFaceProvider"]


def HuggingFaceProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:
    """Hugging Face: discovery, scope ``openid profile email``, PKCE + state, ID token."""
    return from_data("huggingface", client_id=client_id, client_secret=client_secret, options=options)
