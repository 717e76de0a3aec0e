"""ZITADEL (OpenID Connect).

Create a *Web* application (authentication method *Basic* for ``client_secret_basic``, the default) and
register ``<NEXTAUTH_URL>/api/auth/callback/zitadel`` as a redirect URI. ``issuer`` is the instance URL:
``https://my-instance-abc123.zitadel.cloud`` or your own domain.
Docs: https://zitadel.com/docs/guides/integrate/login/oidc
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._validate import issuer_provider
from nextauth.providers.oauth import OAuthProvider

__all__ = ["ZitadelProvider"]


def _profile(profile: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("sub"),
        "name": profile.get("name") or profile.get("preferred_username"),
        "email": profile.get("email"),
        "image": profile.get("picture"),
    }


def ZitadelProvider(
    *, client_id: str, client_secret: str, issuer: str, **options: Any
) -> OAuthProvider:  # NextAuth.js's name
    """ZITADEL: discovery at ``issuer``, scope ``openid email profile``, PKCE + state, ID token."""
    defaults = {
        "id": "zitadel",
        "name": "ZITADEL",
        "profile": _profile,
        "style": {"logo": "/zitadel.svg", "bg": "#fff", "text": "#000"},
    }
    return issuer_provider(
        defaults,
        issuer=issuer,
        example="https://my-instance-abc123.zitadel.cloud",
        client_id=client_id,
        client_secret=client_secret,
        options=options,
    )
