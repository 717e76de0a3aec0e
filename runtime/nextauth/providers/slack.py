"""Sign in with Slack (OpenID Connect).

In the app's *OAuth & Permissions*, add ``<NEXTAUTH_URL>/api/auth/callback/slack`` as a redirect URL
(Slack requires https, also for development: use a tunnel). The ``openid``, ``email`` and ``profile``
user scopes are requested at sign-in; no bot scopes are needed.
Docs: https://docs.slack.dev/authentication/sign-in-with-slack/
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._validate import validate_oauth_provider
from nextauth.providers.oauth import OAuthProvider, make_oauth_provider

__all__ = ["SlackProvider"]


def _profile(profile: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": profile.get("sub") or profile.get("https://slack.com/user_id"),
        "name": profile.get("name"),
        "email": profile.get("email"),
        "image": profile.get("picture") or profile.get("https://slack.com/user_image_512"),
    }


def SlackProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Slack: discovery, scope ``openid profile email``, nonce + state, ID token.

    The ID token also carries ``https://slack.com/team_id`` and friends: restrict sign-in to your
    workspace in the ``sign_in`` callback if the app is distributed.
    """
    defaults: dict[str, Any] = {
        "id": "slack",
        "name": "Slack",
        "type": "oauth",
        "well_known": "https://slack.com/.well-known/openid-configuration",
        "authorization": {"params": {"scope": "openid profile email"}},
        "id_token": True,
        "checks": ["nonce", "state"],
        "profile": _profile,
        "style": {"logo": "/slack.svg", "bg": "#fff", "text": "#000", "bg_dark": "#000", "text_dark": "#fff"},
    }
    provider = make_oauth_provider(defaults, {"client_id": client_id, "client_secret": client_secret, **options})
    validate_oauth_provider(provider)
    return provider
