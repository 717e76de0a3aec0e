"""Reddit (OAuth 2.0).

Create a *web app* at https://www.reddit.com/prefs/apps with the redirect URI
``<NEXTAUTH_URL>/api/auth/callback/reddit``; the string under the app's name is the client ID.
Reddit throttles generic HTTP user agents: the profile request sends ``User-Agent: <user_agent>``
(pass ``user_agent="web:com.example.app:v1.0 (by /u/yourname)"``, the format Reddit's API rules ask for).
Reddit shares no email address. Docs: https://github.com/reddit-archive/reddit/wiki/OAuth2
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nextauth.__about__ import __version__
from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

if TYPE_CHECKING:
    import httpx

__all__ = ["RedditProvider"]

USERINFO_URL = "https://oauth.reddit.com/api/v1/me"
DEFAULT_USER_AGENT = f"web:nextauth-python:v{__version__}"


def _userinfo_with(user_agent: str) -> Any:
    async def userinfo(*, tokens: dict[str, Any], provider: OAuthProvider, http: httpx.AsyncClient) -> dict[str, Any]:
        response = await http.get(
            provider.userinfo.url or USERINFO_URL,
            headers={"Authorization": f"Bearer {tokens['access_token']}", "User-Agent": user_agent},
        )
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data

    return userinfo


def RedditProvider(
    *, client_id: str, client_secret: str, user_agent: str = DEFAULT_USER_AGENT, **options: Any
) -> OAuthProvider:  # NextAuth.js's name
    """Reddit: scope ``identity``, state check, ``/api/v1/me`` with a descriptive User-Agent."""
    overrides = {"userinfo": {"request": _userinfo_with(user_agent)}}
    return from_data("reddit", client_id=client_id, client_secret=client_secret, options=options, overrides=overrides)
