"""Access-token refresh (issue 17): next-auth's "refresh token rotation" recipe, built in and opt-in.

With ``AuthOptions.refresh_tokens`` on, a sign-in keeps the provider's ``access_token``, ``expires_at`` and
``refresh_token`` (in the JWT, or on the account row with database sessions). A session read at
``expires_at - skew`` or later asks the provider's token endpoint for new ones (``grant_type=refresh_token``,
client authentication as the provider is configured, the same time and size bounds as every provider call)
and keeps the refresh token the provider rotates to, or the old one when it returns none. A failure leaves
``error: "RefreshAccessTokenError"`` on the token and the session, as the recipe does.

Single flight: one refresh per refresh token in this process. Concurrent reads carrying the same refresh
token wait for the first one's result, and reads arriving shortly after (a browser whose cookie was not yet
rewritten) reuse it for :data:`REUSE_SECONDS` instead of sending a refresh token the provider may have rotated
away. Several processes do not share this: with JWT sessions two processes may each refresh once; with
database sessions the account row is read first, so a process sees a refresh another one already stored.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from nextauth._core.oauth._metadata import (
    http_client,
    metadata,
    timeout_of,
    token_client,
    within_deadline,
)
from nextauth.options import AuthOptions, RefreshTokensOptions
from nextauth.providers import OAuthProvider, Provider

REFRESH_ERROR = "RefreshAccessTokenError"
REUSE_SECONDS = 60.0
"""How long a refresh's result (or failure) answers later reads that still carry the old refresh token."""
MAX_REMEMBERED = 10_000


class RefreshError(Exception):
    """The provider refused the refresh token, or could not be asked."""


def settings(options: AuthOptions) -> RefreshTokensOptions | None:
    value = options.refresh_tokens
    if value is True:
        return RefreshTokensOptions()
    if isinstance(value, RefreshTokensOptions) and value.enabled:
        return value
    return None


def enabled_for(options: AuthOptions, provider: Provider | None) -> bool:
    """Whether ``provider``'s tokens are kept fresh: its own ``refresh_tokens`` wins, else the global option."""
    if not isinstance(provider, OAuthProvider):
        return False
    if provider.refresh_tokens is not None:
        return provider.refresh_tokens
    conf = settings(options)
    return conf is not None and (conf.providers is None or provider.id in conf.providers)


def any_enabled(options: AuthOptions) -> bool:
    return settings(options) is not None or any(
        isinstance(p, OAuthProvider) and p.refresh_tokens for p in options.providers
    )


def clock_of(options: AuthOptions) -> Callable[[], float]:
    conf = options.refresh_tokens
    if isinstance(conf, RefreshTokensOptions) and conf.clock is not None:
        return conf.clock
    return time.time


def skew_of(options: AuthOptions) -> int:
    conf = options.refresh_tokens
    return conf.skew if isinstance(conf, RefreshTokensOptions) else RefreshTokensOptions.skew


def is_due(record: dict[str, Any], now: float, skew: int) -> bool:
    expires_at = record.get("expires_at")
    if not isinstance(record.get("refresh_token"), str) or not record["refresh_token"]:
        return False
    return isinstance(expires_at, int | float) and not isinstance(expires_at, bool) and now >= expires_at - skew


# ------------------------------------------------------------------------------------------ the token request
async def request_refresh(provider: OAuthProvider, refresh_token: str, *, http_timeout: float) -> dict[str, Any]:
    """One ``grant_type=refresh_token`` request at the provider's token endpoint (authlib sends the client
    authentication the provider names in ``client["token_endpoint_auth_method"]``)."""
    from authlib.integrations.base_client.errors import OAuthError

    timeout = timeout_of(provider, http_timeout)
    async with http_client(provider, http_timeout) as http:
        meta = await metadata(provider, http)
    if not meta.token_endpoint:
        raise RefreshError(f"provider {provider.id!r} has no token endpoint")
    endpoint = meta.token_endpoint
    async with token_client(provider, timeout) as client:
        try:
            answer = await within_deadline(
                timeout,
                f"the token endpoint {endpoint} (refresh)",
                lambda: client.refresh_token(endpoint, refresh_token=refresh_token),
            )
        except OAuthError as exc:
            raise RefreshError(f"the token endpoint {endpoint} refused the refresh token: {exc.error}") from None
        except (httpx.HTTPError, TimeoutError, ValueError) as exc:
            raise RefreshError(f"the token endpoint {endpoint} failed: {type(exc).__name__}: {exc}") from None
    tokens = dict(answer)
    if not isinstance(tokens.get("access_token"), str):
        raise RefreshError(f"the token endpoint {endpoint} answered without an access_token")
    return tokens


def updated_fields(tokens: dict[str, Any], old_refresh_token: str, now: float) -> dict[str, Any]:
    """The three stored fields after a refresh: a new refresh token when the provider rotated it."""
    expires_in = tokens.get("expires_in")
    if isinstance(expires_in, int | float) and not isinstance(expires_in, bool):
        expires_at: Any = int(now + expires_in)
    else:
        expires_at = tokens.get("expires_at")
    new_refresh = tokens.get("refresh_token")
    return {
        "access_token": tokens["access_token"],
        "expires_at": expires_at,
        "refresh_token": new_refresh if isinstance(new_refresh, str) and new_refresh else old_refresh_token,
    }


# ------------------------------------------------------------------------------------------ single flight
class SingleFlight:
    """One refresh per (provider, refresh token) in this process; its outcome answers the others."""

    def __init__(self) -> None:
        self._flights: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._recent: dict[str, tuple[float, dict[str, Any] | RefreshError]] = {}

    @staticmethod
    def key(provider_id: str, refresh_token: str) -> str:
        # A digest, so the map never holds a refresh token itself.
        return hashlib.sha256(f"{provider_id}\0{refresh_token}".encode()).hexdigest()

    def clear(self) -> None:
        self._recent.clear()

    async def run(self, key: str, work: Callable[[], Awaitable[dict[str, Any]]]) -> dict[str, Any]:
        now = time.monotonic()
        recent = self._recent.get(key)
        if recent is not None and recent[0] > now:
            if isinstance(recent[1], RefreshError):
                raise recent[1]
            return recent[1]
        flight = self._flights.get(key)
        if flight is not None:
            return await asyncio.shield(flight)
        flight = asyncio.get_running_loop().create_future()
        self._flights[key] = flight
        try:
            result = await work()
        except Exception as exc:
            error = exc if isinstance(exc, RefreshError) else RefreshError(f"{type(exc).__name__}: {exc}")
            self._remember(key, error)
            flight.set_exception(error)
            flight.exception()  # retrieved: no "never retrieved" warning when nobody waited
            raise error from exc
        else:
            self._remember(key, result)
            flight.set_result(result)
            return result
        finally:
            self._flights.pop(key, None)

    def _remember(self, key: str, outcome: dict[str, Any] | RefreshError) -> None:
        now = time.monotonic()
        if len(self._recent) >= MAX_REMEMBERED:
            for stale in [k for k, (until, _) in self._recent.items() if until <= now]:
                del self._recent[stale]
            while len(self._recent) >= MAX_REMEMBERED:
                del self._recent[next(iter(self._recent))]
        self._recent[key] = (now + REUSE_SECONDS, outcome)


FLIGHTS = SingleFlight()


async def refreshed(
    provider: OAuthProvider, refresh_token: str, *, http_timeout: float, clock: Callable[[], float]
) -> dict[str, Any]:
    """The three fields after refreshing ``refresh_token`` (single flight); :class:`RefreshError` on failure."""

    async def work() -> dict[str, Any]:
        tokens = await request_refresh(provider, refresh_token, http_timeout=http_timeout)
        return updated_fields(tokens, refresh_token, clock())

    return await FLIGHTS.run(SingleFlight.key(provider.id, refresh_token), work)


def find_provider(options: AuthOptions, provider_id: Any) -> OAuthProvider | None:
    for provider in options.providers:
        if isinstance(provider, OAuthProvider) and provider.id == provider_id:
            return provider
    return None


# ------------------------------------------------------------------------------------------ the pipeline's uses
def claims_at_sign_in(options: AuthOptions, provider: Provider | None, account: Any) -> dict[str, Any]:
    """What a sign-in adds to the JWT's default claims: the provider's tokens, when refresh is on for it."""
    if not enabled_for(options, provider) or not isinstance(account, dict) or provider is None:
        return {}
    if not isinstance(account.get("access_token"), str):
        return {}
    return {
        "provider": provider.id,
        "access_token": account["access_token"],
        "expires_at": account.get("expires_at"),
        "refresh_token": account.get("refresh_token"),
    }


async def refresh_token_claims(options: AuthOptions, token: dict[str, Any], logger: Any) -> dict[str, Any]:
    """A decoded session JWT, refreshed when its access token is due; with ``error`` when that failed."""
    provider = find_provider(options, token.get("provider"))
    if provider is None or not enabled_for(options, provider):
        return token
    clock = clock_of(options)
    if not is_due(token, clock(), skew_of(options)):
        return token
    try:
        fields = await refreshed(provider, token["refresh_token"], http_timeout=options.http_timeout, clock=clock)
    except RefreshError as exc:
        await logger.error("REFRESH_ACCESS_TOKEN_ERROR", {"error": exc, "provider_id": provider.id})
        return {**token, "error": REFRESH_ERROR}
    out = {**token, **fields}
    out.pop("error", None)
    return out


async def refresh_user_accounts(options: AuthOptions, adapter: Any, user_id: str, logger: Any) -> str | None:
    """Database sessions: refresh the user's due accounts and store the new tokens on the rows.
    ``REFRESH_ERROR`` when one of them failed, else ``None``. Needs the adapter's optional
    ``get_accounts_by_user`` and ``update_account``."""
    if not (adapter.has("get_accounts_by_user") and adapter.has("update_account")):
        return None
    clock = clock_of(options)
    error: str | None = None
    for account in await adapter.call("get_accounts_by_user", user_id) or []:
        provider = find_provider(options, account.get("provider"))
        if provider is None or not enabled_for(options, provider) or not is_due(account, clock(), skew_of(options)):
            continue
        old = account["refresh_token"]
        try:
            fields = await refreshed(provider, old, http_timeout=options.http_timeout, clock=clock)
        except RefreshError as exc:
            await logger.error("REFRESH_ACCESS_TOKEN_ERROR", {"error": exc, "provider_id": provider.id})
            error = REFRESH_ERROR
            continue
        await adapter.call(
            "update_account",
            {"provider": account["provider"], "provider_account_id": account["provider_account_id"], **fields},
        )
    return error


async def store_tokens_at_sign_in(options: AuthOptions, provider: Provider | None, adapter: Any, account: Any) -> None:
    """Database sessions: a sign-in with an account linked before keeps the provider's new tokens on its row
    (next-auth leaves the row as it was first linked, whose refresh token may be long revoked)."""
    if not enabled_for(options, provider) or not isinstance(account, dict) or not adapter.has("update_account"):
        return
    if not isinstance(account.get("access_token"), str):
        return
    await adapter.call(
        "update_account",
        {
            "provider": account["provider"],
            "provider_account_id": account["provider_account_id"],
            "access_token": account["access_token"],
            "expires_at": account.get("expires_at"),
            "refresh_token": account.get("refresh_token"),
        },
    )
