"""LINE Login (OpenID Connect).

Create a *LINE Login* channel with the *Web app* type and register
``<NEXTAUTH_URL>/api/auth/callback/line`` as its *Callback URL*. The *Channel ID* is the client ID and the
*Channel secret* the client secret. The email address needs the *Email address permission* (apply in
the console), then ``authorization={"params": {"scope": "openid profile email"}}``.
Docs: https://developers.line.biz/en/docs/line-login/integrate-line-login/
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._validate import validate_oauth_provider
from nextauth.providers.oauth import OAuthProvider, make_oauth_provider

__all__ = ["LineProvider"]


def _profile(profile: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("sub"),
        "name": profile.get("name"),
        "email": profile.get("email"),
        "image": profile.get("picture"),
    }


def LineProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """LINE: discovery, scope ``openid profile``, state, ID token signed HS256 with the channel secret."""
    defaults: dict[str, Any] = {
        "id": "line",
        "name": "LINE",
        "type": "oauth",
        "well_known": "https://access.line.me/.well-known/openid-configuration",
        "authorization": {"params": {"scope": "openid profile"}},
        "client": {"token_endpoint_auth_method": "client_secret_post", "id_token_signed_response_alg": "HS256"},
        "id_token": True,
        "profile": _profile,
        "style": {"logo": "/line.svg", "bg": "#00C300", "text": "#fff"},
    }
    provider = make_oauth_provider(defaults, {"client_id": client_id, "client_secret": client_secret, **options})
    validate_oauth_provider(provider)
    return provider
