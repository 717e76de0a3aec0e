"""ZITADEL (OpenID Connect).

Create a *Web* application (authentication method *Basic* for ``client_secret_basic``, the default) and
register ``<NEXTAUTH_URL>/api/auth/callback/zitadel`` as a redirect URI. ``issuer`` is the instance URL:
``https://my-instance-abc123.zitadel.cloud`` or your own domain.
Docs: https://zitadel.com/docs/guides/integrate/login/oidc
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._validate import discovery_url, issuer_url, validate_oauth_provider
from nextauth.providers.oauth import OAuthProvider, make_oauth_provider

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
    pid = str(options.get("id", "zitadel"))
    issuer = issuer_url(issuer, provider_id=pid, example="https://my-instance-abc123.zitadel.cloud")
    defaults: dict[str, Any] = {
        "id": "zitadel",
        "name": "ZITADEL",
        "type": "oauth",
        "issuer": issuer,
        "well_known": discovery_url(issuer),
        "authorization": {"params": {"scope": "openid email profile"}},
        "id_token": True,
        "checks": ["pkce", "state"],
        "profile": _profile,
        "style": {"logo": "/zitadel.svg", "bg": "#fff", "text": "#000"},
    }
    provider = make_oauth_provider(defaults, {"client_id": client_id, "client_secret": client_secret, **options})
    validate_oauth_provider(provider)
    return provider
