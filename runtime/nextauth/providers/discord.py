"""Discord (OAuth 2.0). Register ``<NEXTAUTH_URL>/api/auth/callback/discord`` as a redirect.

Docs: https://discord.com/developers/docs/topics/oauth2
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["DiscordProvider", "avatar_url"]

CDN = "https://cdn.discordapp.com"


def avatar_url(profile: dict[str, Any]) -> str:
    """The user's avatar on Discord's CDN, or the default avatar Discord shows when there is none.

    Animated avatars (hash ``a_...``) are GIFs. Default avatars: ``(id >> 22) % 6`` for accounts on the
    new username system (discriminator ``"0"``), ``discriminator % 5`` for legacy ``name#1234`` accounts.
    """
    user_id = str(profile.get("id") or "0")
    avatar = profile.get("avatar")
    if avatar:
        ext = "gif" if str(avatar).startswith("a_") else "png"
        return f"{CDN}/avatars/{user_id}/{avatar}.{ext}"
    discriminator = str(profile.get("discriminator") or "0")
    if discriminator not in ("", "0") and discriminator.isdigit():
        index = int(discriminator) % 5
    else:
        index = (int(user_id) >> 22) % 6 if user_id.isdigit() else 0
    return f"{CDN}/embed/avatars/{index}.png"


def DiscordProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """Discord: scope ``identify email``, state check, avatar from the CDN (the default avatar when unset)."""
    transforms = {"discord_avatar": avatar_url}
    return from_data(
        "discord", client_id=client_id, client_secret=client_secret, options=options, transforms=transforms
    )
