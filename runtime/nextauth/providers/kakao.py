"""Kakao Login (OAuth 2.0).

In Kakao Developers, enable *Kakao Login*, register ``<NEXTAUTH_URL>/api/auth/callback/kakao`` as a
*Redirect URI*, and choose the consent items (nickname, profile image, email) there: the scopes come
from those settings. The *REST API key* is the client ID; the client secret is under *Security*
(if you turned it off, pass ``client={"token_endpoint_auth_method": "none"}`` and any ``client_secret``).
Docs: https://developers.kakao.com/docs/latest/en/kakaologin/rest-api
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._validate import validate_oauth_provider
from nextauth.providers.oauth import OAuthProvider, make_oauth_provider

__all__ = ["KakaoProvider"]


def _profile(profile: dict[str, Any]) -> dict[str, Any]:
    account = profile.get("kakao_account")
    account = account if isinstance(account, dict) else {}
    details = account.get("profile")
    details = details if isinstance(details, dict) else {}
    verified = account.get("is_email_valid", True) and account.get("is_email_verified", True)
    return {
        "id": str(profile["id"]),
        "name": details.get("nickname"),
        "email": account.get("email") if verified else None,
        "image": details.get("profile_image_url"),
    }


def KakaoProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Kakao: consent items from the app settings (empty ``scope``), state check, ``client_secret_post``."""
    defaults: dict[str, Any] = {
        "id": "kakao",
        "name": "Kakao",
        "type": "oauth",
        "authorization": {"url": "https://kauth.kakao.com/oauth/authorize", "params": {"scope": ""}},
        "token": "https://kauth.kakao.com/oauth/token",
        "userinfo": "https://kapi.kakao.com/v2/user/me",
        "client": {"token_endpoint_auth_method": "client_secret_post"},
        "profile": _profile,
        "style": {"logo": "/kakao.svg", "bg": "#FEE500", "text": "#000"},
    }
    provider = make_oauth_provider(defaults, {"client_id": client_id, "client_secret": client_secret, **options})
    validate_oauth_provider(provider)
    return provider
