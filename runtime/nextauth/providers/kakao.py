"""Kakao Login (OAuth 2.0).

In Kakao Developers, enable *Kakao Login*, register ``<NEXTAUTH_URL>/api/auth/callback/kakao`` as a
*Redirect URI*, and choose the consent items (nickname, profile image, email) there: the scopes come
from those settings. The *REST API key* is the client ID; the client secret is under *Security*
(if you turned it off, pass ``client={"token_endpoint_auth_method": "none"}`` and any ``client_secret``).
Docs: https://developers.kakao.com/docs/latest/en/kakaologin/rest-api
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["KakaoProvider"]


def KakaoProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Kakao: consent items from the app settings (empty ``scope``), state check, ``client_secret_post``."""
    return from_data("kakao", client_id=client_id, client_secret=client_secret, options=options)
