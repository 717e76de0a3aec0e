"""Dropbox (OAuth 2.0).

In the app console, give the app the ``account_info.read`` permission and add
``<NEXTAUTH_URL>/api/auth/callback/dropbox`` as a *Redirect URI*. The App key is the client ID.
Docs: https://developers.dropbox.com/oauth-guide
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nextauth.providers._validate import validate_oauth_provider
from nextauth.providers.oauth import OAuthProvider, make_oauth_provider

if TYPE_CHECKING:
    import httpx

__all__ = ["DropboxProvider"]

USERINFO_URL = "https://api.dropboxapi.com/2/users/get_current_account"


async def _userinfo(*, tokens: dict[str, Any], provider: OAuthProvider, http: httpx.AsyncClient) -> dict[str, Any]:
    """``users/get_current_account`` is an RPC endpoint: a POST without a body."""
    response = await http.post(
        provider.userinfo.url or USERINFO_URL, headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    response.raise_for_status()
    data: dict[str, Any] = response.json()
    return data


def _profile(profile: dict[str, Any]) -> dict[str, Any]:
    name = profile.get("name")
    return {
        "id": profile["account_id"],
        "name": name.get("display_name") if isinstance(name, dict) else None,
        "email": profile.get("email") if profile.get("email_verified", True) else None,
        "image": profile.get("profile_photo_url"),
    }


def DropboxProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Dropbox: scope ``account_info.read``, offline access (refresh token), PKCE + state."""
    defaults: dict[str, Any] = {
        "id": "dropbox",
        "name": "Dropbox",
        "type": "oauth",
        "authorization": {
            "url": "https://www.dropbox.com/oauth2/authorize",
            "params": {"token_access_type": "offline", "scope": "account_info.read"},
        },
        "token": "https://api.dropboxapi.com/oauth2/token",
        "userinfo": {"url": USERINFO_URL, "request": _userinfo},
        "checks": ["pkce", "state"],
        "profile": _profile,
        "style": {"logo": "/dropbox.svg", "bg": "#0061fe", "text": "#fff"},
    }
    provider = make_oauth_provider(defaults, {"client_id": client_id, "client_secret": client_secret, **options})
    validate_oauth_provider(provider)
    return provider
