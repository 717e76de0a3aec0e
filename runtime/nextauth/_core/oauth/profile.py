"""What an OAuth callback yields, shared by the OAuth 2 (``callback``) and OAuth 1.0a (``oauth1``) flows: the
provider's profile parsed into a user, and the result the callback action takes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nextauth._core.init import Internal
from nextauth._lib.types import SetCookie
from nextauth._lib.util import call_positional
from nextauth.errors import OAuthProfileParseError
from nextauth.providers.oauth import OAuthProvider

__all__ = ["CallbackResult", "parse_profile"]


@dataclass(slots=True)
class CallbackResult:
    user: dict[str, Any] | None
    account: dict[str, Any] | None
    profile: dict[str, Any] | None
    cookies: list[SetCookie]


async def parse_profile(
    internal: Internal, provider: OAuthProvider, raw: dict[str, Any], tokens: dict[str, Any]
) -> dict[str, Any] | None:
    """The provider's ``profile(raw, tokens)`` as a user dict (email lower-cased), or ``None`` after logging
    OAUTH_PARSE_PROFILE_ERROR when it raises or gives no ``id``. Shared by the OAuth 2 and OAuth 1.0a callbacks."""
    await internal.logger.debug("PROFILE_DATA", {"provider": provider.id})
    try:
        profile = await call_positional(provider.profile, raw, tokens)
        user: dict[str, Any] = dict(profile) if profile is not None else {}
        if isinstance(user.get("email"), str):
            user["email"] = user["email"].lower()
        if user.get("id") in (None, ""):
            raise OAuthProfileParseError(f"Profile id is missing in {provider.name} OAuth profile response")
    except Exception as exc:
        await internal.logger.error("OAUTH_PARSE_PROFILE_ERROR", {"error": exc, "provider_id": provider.id})
        return None
    return user
