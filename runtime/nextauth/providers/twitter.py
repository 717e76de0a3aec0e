"""X, formerly Twitter (OAuth 2.0 with PKCE).

In the developer portal, set up *User authentication* with *OAuth 2.0*, type *Web App* (a confidential
client), and add ``<NEXTAUTH_URL>/api/auth/callback/twitter`` as a *Callback URI*.

Only OAuth 2.0 is supported. NextAuth.js v4 defaulted to OAuth 1.0a (``version="1.0A"``), which needs a
request-token round trip and request signing that this runtime does not implement; asking for it is a
configuration error. X's OAuth 2.0 API does not return the user's email address: ``email`` is ``None``.

Docs: https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/authorization-code
"""

from __future__ import annotations

from typing import Any

from nextauth.errors import ConfigurationError
from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["TwitterProvider"]


def TwitterProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """X/Twitter OAuth 2.0: scope ``users.read tweet.read offline.access``, PKCE + state, ``/2/users/me``."""
    version = options.pop("version", "2.0")
    if str(version) not in ("2", "2.0"):
        raise ConfigurationError(
            f"provider {options.get('id', 'twitter')!r}: version={version!r} is not supported: only OAuth 2.0 is. "
            "Remove `version` (or pass version='2.0'), turn on OAuth 2.0 under User authentication settings in the "
            "X developer portal and use its OAuth 2.0 Client ID and Client Secret (not the API key and secret)."
        )
    # X also wants client_id in the body of a confidential client's token request.
    overrides = {"token": {"params": {"client_id": client_id}}}
    return from_data("twitter", client_id=client_id, client_secret=client_secret, options=options, overrides=overrides)
