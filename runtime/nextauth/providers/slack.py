"""Sign in with Slack (OpenID Connect).

In the app's *OAuth & Permissions*, add ``<NEXTAUTH_URL>/api/auth/callback/slack`` as a redirect URL
(Slack requires https, also for development: use a tunnel). The ``openid``, ``email`` and ``profile``
user scopes are requested at sign-in; no bot scopes are needed.
Docs: https://docs.slack.dev/authentication/sign-in-with-slack/
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["SlackProvider"]


def SlackProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Slack: discovery, scope ``openid profile email``, nonce + state, ID token.

    The ID token also carries ``https://slack.com/team_id`` and friends: restrict sign-in to your
    workspace in the ``sign_in`` callback if the app is distributed.
    """
    return from_data("slack", client_id=client_id, client_secret=client_secret, options=options)
