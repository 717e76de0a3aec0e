"""Auth0 (OpenID Connect).

Register ``<NEXTAUTH_URL>/api/auth/callback/auth0`` under *Allowed Callback URLs* of a *Regular Web
Application*. ``issuer`` is the tenant's domain as a URL: ``https://dev-abc123.us.auth0.com`` (or your
custom domain). Docs: https://auth0.com/docs/authenticate/protocols/openid-connect-protocol
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["Auth0Provider"]


def Auth0Provider(
    *, client_id: str, client_secret: str, issuer: str, **options: Any
) -> OAuthProvider:  # NextAuth.js's name
    """Auth0: discovery at ``issuer``, scope ``openid email profile``, PKCE + state, ID token."""
    return from_data("auth0", client_id=client_id, client_secret=client_secret, options=options, issuer=issuer)
