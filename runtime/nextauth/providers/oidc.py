"""Any OpenID Connect provider, configured by its issuer alone (discovery).

Register ``<NEXTAUTH_URL>/api/auth/callback/<id>`` (``oidc`` unless you pass another ``id``) as the
client's redirect URI. Use one ``OIDCProvider`` per identity provider, each with its own ``id``.
Spec: https://openid.net/specs/openid-connect-discovery-1_0.html
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

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
    return from_data(
        "oidc",
        client_id=client_id,
        client_secret=client_secret,
        options={"id": id, "name": name, **options},
        issuer=issuer,
    )
