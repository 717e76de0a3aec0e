"""X, formerly Twitter: OAuth 2.0 with PKCE, or the legacy OAuth 1.0a API with ``version="1.0A"``.

In the developer portal, set up *User authentication* with *OAuth 2.0*, type *Web App* (a confidential
client), and add ``<NEXTAUTH_URL>/api/auth/callback/twitter`` as a *Callback URI*.
X's OAuth 2.0 API does not return the user's email address: ``email`` is ``None``.

``version="1.0A"`` is NextAuth.js's "Twitter (Legacy)": OAuth 1.0a with the app's API key and secret as
``client_id``/``client_secret``, the request token from ``/oauth/request_token``, ``/oauth/authenticate``, and
the profile from ``/1.1/account/verify_credentials.json?include_email=true`` (the email only when the app has
that permission). NextAuth.js v4 uses it when ``version`` is not given; here OAuth 2.0 stays the default.

Docs: https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/authorization-code
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from nextauth.errors import ConfigurationError
from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider, make_oauth_provider

__all__ = ["TwitterProvider"]

_NORMAL_IMAGE = re.compile(r"_normal\.(jpg|png|gif)$")


def _legacy_profile(profile: Mapping[str, Any], tokens: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """NextAuth.js's legacy mapping: ``id_str``, and the full-size picture instead of the 48 px ``_normal`` one."""
    del tokens
    image = profile.get("profile_image_url_https")
    return {
        "id": profile.get("id_str"),
        "name": profile.get("name"),
        "email": profile.get("email"),
        "image": _NORMAL_IMAGE.sub(r".\1", image) if isinstance(image, str) else None,
    }


_LEGACY: dict[str, Any] = {
    "id": "twitter",
    "name": "Twitter (Legacy)",
    "type": "oauth",
    "authorization": "https://api.twitter.com/oauth/authenticate",
    "request_token_url": "https://api.twitter.com/oauth/request_token",
    "access_token_url": "https://api.twitter.com/oauth/access_token",
    "profile_url": "https://api.twitter.com/1.1/account/verify_credentials.json?include_email=true",
    "profile": _legacy_profile,
    "style": {"logo": "/twitter.svg", "bg": "#1da1f2", "text": "#fff"},
}


def TwitterProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """X/Twitter OAuth 2.0: scope ``users.read tweet.read offline.access``, PKCE + state, ``/2/users/me``."""
    version = options.pop("version", "2.0")
    if str(version).upper() in ("1.0A", "1.0"):
        return make_oauth_provider(
            {**_LEGACY, "client_id": client_id, "client_secret": client_secret, "version": "1.0A"}, options
        )
    if str(version) not in ("2", "2.0"):
        raise ConfigurationError(
            f"provider {options.get('id', 'twitter')!r}: version={version!r} is not supported: use '2.0' (OAuth 2.0, "
            "the default: the OAuth 2.0 Client ID and Client Secret from User authentication settings) or '1.0A' "
            "(the legacy OAuth 1.0a API: the API key and secret)."
        )
    # X also wants client_id in the body of a confidential client's token request.
    overrides = {"token": {"params": {"client_id": client_id}}}
    return from_data("twitter", client_id=client_id, client_secret=client_secret, options=options, overrides=overrides)
