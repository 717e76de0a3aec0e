"""GitHub (OAuth 2.0). Register ``<NEXTAUTH_URL>/api/auth/callback/github`` as the callback URL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

if TYPE_CHECKING:
    import httpx

__all__ = ["GitHubProvider"]

USERINFO_URL = "https://api.github.com/user"


async def _userinfo(*, tokens: dict[str, Any], provider: OAuthProvider, http: httpx.AsyncClient) -> dict[str, Any]:
    """``/user``, and when the email is private, the primary (else the first) address from ``/user/emails``."""
    url = provider.userinfo.url or USERINFO_URL
    resp = await http.get(
        url, headers={"Authorization": f"Bearer {tokens['access_token']}", "User-Agent": "nextauth-python"}
    )
    resp.raise_for_status()
    profile: dict[str, Any] = resp.json()
    if not profile.get("email"):
        emails_url = url.rstrip("/") + "/emails"
        res = await http.get(
            emails_url, headers={"Authorization": f"token {tokens['access_token']}", "User-Agent": "nextauth-python"}
        )
        if res.is_success:
            emails = res.json()
            if isinstance(emails, list) and emails:
                primary = next((e for e in emails if isinstance(e, dict) and e.get("primary")), emails[0])
                profile["email"] = primary.get("email") if isinstance(primary, dict) else None
    return profile


def GitHubProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """GitHub with next-auth's defaults: scope ``read:user user:email``, state check, email fallback."""
    overrides = {"userinfo": {"request": _userinfo}}
    return from_data("github", client_id=client_id, client_secret=client_secret, options=options, overrides=overrides)
