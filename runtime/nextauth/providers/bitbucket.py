"""Bitbucket Cloud (OAuth 2.0).

In a workspace's *Settings → OAuth consumers*, add a consumer with the callback URL
``<NEXTAUTH_URL>/api/auth/callback/bitbucket``, marked *This is a private consumer*, with the
*Account: Email* and *Account: Read* permissions. Its *Key* is the client ID, its *Secret* the secret.
Docs: https://developer.atlassian.com/cloud/bitbucket/oauth-2/
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

if TYPE_CHECKING:
    import httpx

__all__ = ["BitbucketProvider"]

USERINFO_URL = "https://api.bitbucket.org/2.0/user"


def _pick_email(payload: Any) -> str | None:
    """The primary confirmed address, else the first confirmed one (unconfirmed ones are never used)."""
    values = payload.get("values") if isinstance(payload, dict) else None
    if not isinstance(values, list):
        return None
    confirmed = [v for v in values if isinstance(v, dict) and v.get("is_confirmed") and isinstance(v.get("email"), str)]
    primary = next((v for v in confirmed if v.get("is_primary")), confirmed[0] if confirmed else None)
    return primary["email"] if primary else None


async def _userinfo(*, tokens: dict[str, Any], provider: OAuthProvider, http: httpx.AsyncClient) -> dict[str, Any]:
    """``/2.0/user`` (which has no email) plus the address from ``/2.0/user/emails``."""
    url = provider.userinfo.url or USERINFO_URL
    headers = {"Authorization": f"Bearer {tokens['access_token']}", "Accept": "application/json"}
    response = await http.get(url, headers=headers)
    response.raise_for_status()
    profile: dict[str, Any] = response.json()
    if not profile.get("email"):
        emails = await http.get(url.rstrip("/") + "/emails", headers=headers)
        profile["email"] = _pick_email(emails.json()) if emails.is_success else None
    return profile


def BitbucketProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Bitbucket: scope ``account email``, state check, ``/2.0/user`` plus the primary confirmed email."""
    overrides = {"userinfo": {"request": _userinfo}}
    return from_data(
        "bitbucket", client_id=client_id, client_secret=client_secret, options=options, overrides=overrides
    )
