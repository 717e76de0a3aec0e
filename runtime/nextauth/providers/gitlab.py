"""GitLab (OAuth 2.0), gitlab.com or a self-hosted instance.

Register ``<NEXTAUTH_URL>/api/auth/callback/gitlab`` as the redirect URI of the application
(User settings → Applications, or Admin → Applications on a self-hosted GitLab) with the ``read_user``
scope. Docs: https://docs.gitlab.com/api/oauth2/
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._factory import from_data
from nextauth.providers._validate import issuer_url
from nextauth.providers.oauth import OAuthProvider

__all__ = ["GitLabProvider"]

GITLAB_COM = "https://gitlab.com"


def GitLabProvider(
    *, client_id: str, client_secret: str, base_url: str = GITLAB_COM, **options: Any
) -> OAuthProvider:  # NextAuth.js's name
    """GitLab: scope ``read_user``, PKCE + state.

    ``base_url`` points every endpoint at a self-hosted GitLab (``https://gitlab.example.com``, or with a
    path prefix ``https://example.com/gitlab``).
    """
    pid = str(options.get("id", "gitlab"))
    base = issuer_url(base_url, provider_id=pid, option="base_url", example="https://gitlab.example.com").rstrip("/")
    overrides = {
        "authorization": {"url": f"{base}/oauth/authorize"},
        "token": {"url": f"{base}/oauth/token"},
        "userinfo": {"url": f"{base}/api/v4/user"},
    }
    return from_data("gitlab", client_id=client_id, client_secret=client_secret, options=options, overrides=overrides)
