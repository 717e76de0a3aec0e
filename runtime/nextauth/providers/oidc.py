"""Any OpenID Connect provider, configured by its issuer alone (discovery).

Register ``<NEXTAUTH_URL>/api/auth/callback/<id>`` (``oidc`` unless you pass another ``id``) as the
client's redirect URI. Use one ``OIDCProvider`` per identity provider, each with its own ``id``.
Spec: https://openid.net/specs/openid-connect-discovery-1_0.html
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._validate import discovery_url, issuer_url, validate_oauth_provider
from nextauth.providers.oauth import OAuthProvider, make_oauth_provider, oidc_profile

__all__ = ["OIDCProvider"]


def OIDCProvider(
    *,
    id: str = "oidc",
    name: str = "OpenID Connect",
    issuer: str,
    client_id: str,
    client_secret: str,
    **options: Any,
) -> OAuthProvider:
    """A generic OIDC provider: discovery at ``<issuer>/.well-known/openid-configuration``, scope
    ``openid email profile``, PKCE + state, ID token, profile from the standard claims
    (``sub``, ``name``, ``email``, ``picture``).
    """
    issuer = issuer_url(issuer, provider_id=id, example="https://id.example.com")
    defaults: dict[str, Any] = {
        "id": id,
        "name": name,
        "type": "oauth",
        "issuer": issuer,
        "well_known": discovery_url(issuer),
        "authorization": {"params": {"scope": "openid email profile"}},
        "id_token": True,
        "checks": ["pkce", "state"],
        "profile": oidc_profile,
    }
    provider = make_oauth_provider(defaults, {"client_id": client_id, "client_secret": client_secret, **options})
    validate_oauth_provider(provider)
    return provider
