"""Refresh a provider's access token yourself (for a ``jwt`` callback of your own).

``AuthOptions(refresh_tokens=True)`` does this on every session read; this helper is for those who keep
next-auth's recipe in their own callback::

    from nextauth.refresh import refresh_access_token


    async def jwt(token, account=None):
        if account:  # the sign-in
            return {
                **token,
                "access_token": account["access_token"],
                "expires_at": account["expires_at"],
                "refresh_token": account["refresh_token"],
            }
        if time.time() < token["expires_at"] - 60:
            return token
        return await refresh_access_token(github, token)

The same single flight applies: concurrent calls with one refresh token make one request to the provider.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from nextauth._core.refresh import REFRESH_ERROR, RefreshError, refreshed
from nextauth.providers import OAuthProvider

__all__ = ["REFRESH_ERROR", "refresh_access_token"]


async def refresh_access_token(
    provider: OAuthProvider,
    token: Mapping[str, Any],
    *,
    http_timeout: float = 10.0,
    clock: Callable[[], float] | None = None,
) -> dict[str, Any]:
    """``token`` with a new ``access_token``, ``expires_at`` (seconds since the epoch) and ``refresh_token``
    (the provider's new one, or the old one when it returned none) and without ``error``; on failure,
    ``token`` with ``error: "RefreshAccessTokenError"``. Never raises for a refusal or a network failure."""
    refresh_token = token.get("refresh_token")
    if not isinstance(refresh_token, str) or not refresh_token:
        return {**token, "error": REFRESH_ERROR}
    try:
        fields = await refreshed(provider, refresh_token, http_timeout=http_timeout, clock=clock or time.time)
    except RefreshError:
        return {**token, "error": REFRESH_ERROR}
    out = {**token, **fields}
    out.pop("error", None)
    return out
