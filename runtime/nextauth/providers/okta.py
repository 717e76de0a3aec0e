"""Okta (OpenID Connect).

Register ``<NEXTAUTH_URL>/api/auth/callback/okta`` as a *Sign-in redirect URI* of an OIDC *Web
Application*. ``issuer`` is the authorization server: ``https://dev-123456.okta.com/oauth2/default``
for the default custom authorization server, or ``https://dev-123456.okta.com`` for the org server.
Docs: https://developer.okta.com/docs/guides/sign-into-web-app-redirect/
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["OktaProvider"]


def OktaProvider(
    *, client_id: str, client_secret: str, issuer: str, **options: Any
) -> OAuthProvider:  # NextAuth.js's name
    """Okta: discovery at ``issuer``, scope ``openid email profile``, PKCE + state, ID token."""
    return from_data("okta", client_id=client_id, client_secret=client_secret, options=options, issuer=issuer)
