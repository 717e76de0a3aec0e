"""Battle.net (OpenID Connect).

Create a client at https://develop.battle.net/access/clients with the redirect URL
``<NEXTAUTH_URL>/api/auth/callback/battlenet``. ``issuer`` picks the region: ``https://oauth.battle.net``
(global, the default) or ``https://oauth.battlenet.com.cn`` (China). Battle.net shares the BattleTag,
not an email address. Docs: https://community.developer.battle.net/documentation/guides/using-oauth
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._validate import discovery_url, issuer_url, validate_oauth_provider
from nextauth.providers.oauth import OAuthProvider, make_oauth_provider

__all__ = ["BattleNetProvider"]

GLOBAL_ISSUER = "https://oauth.battle.net"


def _profile(profile: dict[str, Any]) -> dict[str, Any]:
    return {"id": profile.get("sub"), "name": profile.get("battle_tag"), "email": None, "image": None}


def BattleNetProvider(
    *, client_id: str, client_secret: str, issuer: str = GLOBAL_ISSUER, **options: Any
) -> OAuthProvider:  # NextAuth.js's name
    """Battle.net: discovery at ``issuer``, scope ``openid``, state, ID token; name is the BattleTag."""
    pid = str(options.get("id", "battlenet"))
    issuer = issuer_url(issuer, provider_id=pid, example=GLOBAL_ISSUER)
    defaults: dict[str, Any] = {
        "id": "battlenet",
        "name": "Battle.net",
        "type": "oauth",
        "issuer": issuer,
        "well_known": discovery_url(issuer),
        "authorization": {"params": {"scope": "openid"}},
        "id_token": True,
        "profile": _profile,
        "style": {"logo": "/battlenet.svg", "bg": "#148eff", "text": "#fff"},
    }
    provider = make_oauth_provider(defaults, {"client_id": client_id, "client_secret": client_secret, **options})
    validate_oauth_provider(provider)
    return provider
