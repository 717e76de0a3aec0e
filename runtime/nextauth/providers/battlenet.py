"""Battle.net (OpenID Connect).

Create a client at https://develop.battle.net/access/clients with the redirect URL
``<NEXTAUTH_URL>/api/auth/callback/battlenet``. ``issuer`` picks the region: ``https://oauth.battle.net``
(global, the default) or ``https://oauth.battlenet.com.cn`` (China). Battle.net shares the BattleTag,
not an email address. Docs: https://community.developer.battle.net/documentation/guides/using-oauth
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["BattleNetProvider"]

GLOBAL_ISSUER = "https://oauth.battle.net"


def BattleNetProvider(
    *, client_id: str, client_secret: str, issuer: str = GLOBAL_ISSUER, **options: Any
) -> OAuthProvider:  # NextAuth.js's name
    """Battle.net: discovery at ``issuer``, scope ``openid``, state, ID token; name is the BattleTag."""
    return from_data("battlenet", client_id=client_id, client_secret=client_secret, options=options, issuer=issuer)
