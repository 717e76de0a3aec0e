"""LinkedIn: *Sign In with LinkedIn using OpenID Connect*.

Add the product *Sign In with LinkedIn using OpenID Connect* to the app and list
``<NEXTAUTH_URL>/api/auth/callback/linkedin`` under *Authorized redirect URLs* (Auth tab). The older
*Sign In with LinkedIn* product (``r_liteprofile``/``r_emailaddress`` and ``/v2/me``) was retired in
2023; NextAuth.js v4's LinkedIn provider still used it.

Docs: https://learn.microsoft.com/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["LinkedInProvider"]


def LinkedInProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """LinkedIn OIDC: discovery, scope ``openid profile email``, state, ID token, ``client_secret_post``."""
    return from_data("linkedin", client_id=client_id, client_secret=client_secret, options=options)
