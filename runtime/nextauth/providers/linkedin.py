"""LinkedIn: *Sign In with LinkedIn using OpenID Connect*.

Add the product *Sign In with LinkedIn using OpenID Connect* to the app and list
``<NEXTAUTH_URL>/api/auth/callback/linkedin`` under *Authorized redirect URLs* (Auth tab). The older
*Sign In with LinkedIn* product (``r_liteprofile``/``r_emailaddress`` and ``/v2/me``) was retired in
2023; NextAuth.js v4's LinkedIn provider still used it.

Docs: https://learn.microsoft.com/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._validate import validate_oauth_provider
from nextauth.providers.oauth import OAuthProvider, make_oauth_provider

__all__ = ["LinkedInProvider"]


def _profile(profile: dict[str, Any]) -> dict[str, Any]:
    name = profile.get("name")
    if not name:
        name = " ".join(p for p in (profile.get("given_name"), profile.get("family_name")) if p) or None
    return {"id": profile.get("sub"), "name": name, "email": profile.get("email"), "image": profile.get("picture")}


def LinkedInProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """LinkedIn OIDC: discovery, scope ``openid profile email``, state, ID token, ``client_secret_post``."""
    defaults: dict[str, Any] = {
        "id": "linkedin",
        "name": "LinkedIn",
        "type": "oauth",
        "well_known": "https://www.linkedin.com/oauth/.well-known/openid-configuration",
        "authorization": {"params": {"scope": "openid profile email"}},
        "client": {"token_endpoint_auth_method": "client_secret_post"},
        "id_token": True,
        "checks": ["state"],
        "profile": _profile,
        "style": {"logo": "/linkedin.svg", "bg": "#069", "text": "#fff"},
    }
    provider = make_oauth_provider(defaults, {"client_id": client_id, "client_secret": client_secret, **options})
    validate_oauth_provider(provider)
    return provider
