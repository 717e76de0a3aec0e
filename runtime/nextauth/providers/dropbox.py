"""Dropbox (OAuth 2.0).

In the app console, give the app the ``account_info.read`` permission and add
``<NEXTAUTH_URL>/api/auth/callback/dropbox`` as a *Redirect URI*. The App key is the client ID.
Docs: https://developers.dropbox.com/oauth-guide
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

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


def DropboxProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Dropbox: scope ``account_info.read``, offline access (refresh token), PKCE + state."""
    overrides = {"userinfo": {"request": _userinfo}}
    return from_data("dropbox", client_id=client_id, client_secret=client_secret, options=options, overrides=overrides)
