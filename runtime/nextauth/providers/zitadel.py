"""ZITADEL (OpenID Connect).

Create a *Web* application (authentication method *Basic* for ``client_secret_basic``, the default) and
register ``<NEXTAUTH_URL>/api/auth/callback/zitadel`` as a redirect URI. ``issuer`` is the instance URL:
``https://my-instance-abc123.zitadel.cloud`` or your own domain.
Docs: https://zitadel.com/docs/guides/integrate/login/oidc
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["ZitadelProvider"]


def ZitadelProvider(
    *, client_id: str, client_secret: str, issuer: str, **options: Any
) -> OAuthProvider:  # NextAuth.js's name
    """ZITADEL: discovery at ``issuer``, scope ``openid email profile``, PKCE + state, ID token."""
    return from_data("zitadel", client_id=client_id, client_secret=client_secret, options=options, issuer=issuer)
