"""Facebook Login (OAuth 2.0, Graph API).

Add *Facebook Login* to the app and list ``<NEXTAUTH_URL>/api/auth/callback/facebook`` under *Valid
OAuth Redirect URIs* (Meta enforces https for it, except localhost during development).
Docs: https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._validate import validate_oauth_provider
from nextauth.providers.oauth import OAuthProvider, make_oauth_provider

__all__ = ["GRAPH_API_VERSION", "FacebookProvider"]

GRAPH_API_VERSION = "v25.0"  # released 2026-02-18, available until 2028-07-29 (Graph API changelog)


def _profile(profile: dict[str, Any]) -> dict[str, Any]:
    picture = profile.get("picture")
    data = picture.get("data") if isinstance(picture, dict) else None
    return {
        "id": str(profile["id"]),
        "name": profile.get("name"),
        "email": profile.get("email"),
        "image": data.get("url") if isinstance(data, dict) else None,
    }


def FacebookProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Facebook: scope ``email``, state check, ``/me?fields=id,name,email,picture`` on a pinned Graph API version.

    ``email`` is missing for accounts without a confirmed address (and when the user declines it).
    Override the version with ``authorization``/``token``/``userinfo`` URLs if you need another.
    """
    graph = f"https://graph.facebook.com/{GRAPH_API_VERSION}"
    defaults: dict[str, Any] = {
        "id": "facebook",
        "name": "Facebook",
        "type": "oauth",
        "authorization": {
            "url": f"https://www.facebook.com/{GRAPH_API_VERSION}/dialog/oauth",
            "params": {"scope": "email"},
        },
        "token": f"{graph}/oauth/access_token",
        "userinfo": {"url": f"{graph}/me", "params": {"fields": "id,name,email,picture"}},
        "client": {"token_endpoint_auth_method": "client_secret_post"},
        "profile": _profile,
        "style": {"logo": "/facebook.svg", "bg": "#006aff", "text": "#fff"},
    }
    provider = make_oauth_provider(defaults, {"client_id": client_id, "client_secret": client_secret, **options})
    validate_oauth_provider(provider)
    return provider
