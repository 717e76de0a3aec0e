"""Brute-force limits on sign-in (issue 17), opt-in with ``AuthOptions.rate_limit``.

* Credentials: every POST to ``/callback/<credentials>`` counts against the identifier (the
  ``identifier_field`` of the form, trimmed and lower-cased) and the client address; a successful sign-in
  clears the identifier's counter. An attempt past either limit is refused before ``authorize`` runs.
* Email: every POST to ``/signin/<email>`` counts against the (normalised) address and the client; one past
  either limit is refused before anything is stored or sent.

Refused means next-auth's error flow: a redirect to the sign-in page with ``?error=TooManyRequests`` (a
custom ``pages.sign_in`` gets the same query), status 429, so ``signIn(..., {redirect: false})`` from
``next-auth/react`` reads ``{url}`` and reports ``error: "TooManyRequests"``. A warning is logged once per
counter and window (per process). Counters are fixed windows aligned on the epoch: between two windows a
client may get up to twice the limit in a short burst, never more.

The client address is the socket's peer, or the first ``X-Forwarded-For`` entry in trust-host mode only
(``AuthOptions.trust_host`` / ``AUTH_TRUST_HOST``: the one proxy switch). Counters live in this process
unless the adapter has ``hit_rate_limit`` (the SQLAlchemy adapter: shared by every process using the
database) or ``RateLimitOptions.store`` names a store. A store that fails lets the request through and logs
the error: a database outage must not lock every user out.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nextauth._core.actions._common import with_query
from nextauth._core.init import Internal, trust_host_enabled
from nextauth._lib.rate_limit import MemoryRateLimitStore, RateLimitStore, bucket_of
from nextauth._lib.types import AuthResponse
from nextauth.errors import AdapterError
from nextauth.options import AuthOptions, RateLimitOptions

log = logging.getLogger("nextauth")

ERROR_CODE = "TooManyRequests"
MAX_WARNED = 10_000
MAX_VALUE = 320  # longest identifier or address hashed (an email address is at most 320 characters)

_memory: dict[int, tuple[RateLimitOptions, MemoryRateLimitStore]] = {}
_warned: dict[str, None] = {}


def settings(options: AuthOptions) -> RateLimitOptions | None:
    value = options.rate_limit  # True became a RateLimitOptions in AuthOptions.__post_init__
    if isinstance(value, RateLimitOptions) and value.enabled:
        return value
    return None


def client_address(internal: Internal) -> str | None:
    """The socket's peer; in trust-host mode the first ``X-Forwarded-For`` entry when there is one."""
    if trust_host_enabled(internal.options):
        forwarded = internal.request.headers.get("x-forwarded-for", "")
        first = forwarded.split(",", 1)[0].strip()[:100]
        if first:
            return first
    return internal.request.client


class _AdapterStore:
    def __init__(self, adapter: Any) -> None:
        self._adapter = adapter

    async def hit(self, key: str, window: int, now: float) -> int:
        count: int = await self._adapter.call("hit_rate_limit", key, window, now)
        return count

    async def reset(self, key: str, window: int, now: float) -> None:
        if self._adapter.has("reset_rate_limit"):
            await self._adapter.call("reset_rate_limit", key, window, now)


def store_of(internal: Internal, conf: RateLimitOptions) -> RateLimitStore:
    if conf.store is not None:
        store: RateLimitStore = conf.store
        return store
    adapter = internal.adapter
    if adapter is not None and adapter.has("hit_rate_limit"):
        return _AdapterStore(adapter)
    held = _memory.get(id(conf))
    if held is None or held[0] is not conf:
        held = _memory[id(conf)] = (conf, MemoryRateLimitStore())
    return held[1]


def _clock(conf: RateLimitOptions) -> Callable[[], float]:
    return conf.clock or time.time


def counter_key(kind: str, value: str) -> str:
    """The name a counter is stored under: a digest, so no identifier or address is written anywhere."""
    return f"{kind}:{hashlib.sha256(value.encode('utf-8', 'replace')).hexdigest()[:40]}"


@dataclass(slots=True, frozen=True)
class Limit:
    kind: str
    shown: str  # what the warning names (an address, or an identifier cut short)
    key: str
    limit: int


def _identifier(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip().lower()[:MAX_VALUE]
    return value or None


def _masked(value: str) -> str:
    return value[:2] + "…" if len(value) > 2 else value


def refused(internal: Internal, retry_after: int) -> AuthResponse:
    sign_in = internal.options.pages.sign_in
    url = with_query(sign_in, error=ERROR_CODE) if sign_in else f"{internal.url.base}/signin?error={ERROR_CODE}"
    return AuthResponse(status=429, redirect=url, headers={"Retry-After": str(max(retry_after, 1))})


async def _check(internal: Internal, conf: RateLimitOptions, limits: list[Limit], window: int) -> AuthResponse | None:
    if not limits or window <= 0:
        return None
    store = store_of(internal, conf)
    now = _clock(conf)()
    over: list[Limit] = []
    try:
        for item in limits:  # every counter sees the attempt, whichever refuses it
            if await store.hit(item.key, window, now) > item.limit:
                over.append(item)
    except (AdapterError, OSError) as exc:
        await internal.logger.error("RATE_LIMIT_STORE_ERROR", exc)
        return None
    if not over:
        return None
    _, ends = bucket_of(over[0].key, window, now)
    for item in over:
        warned = f"{id(conf)}:{bucket_of(item.key, window, now)[0]}"  # per handler: once per counter and window
        if warned not in _warned:
            if len(_warned) >= MAX_WARNED:
                _warned.clear()
            _warned[warned] = None
            log.warning(
                "nextauth: too many %s (%s) within %d s: more than %d; refusing with error=%s until the window ends",
                item.kind,
                item.shown,
                window,
                item.limit,
                ERROR_CODE,
            )
    return refused(internal, int(ends - now))


def _limits(
    internal: Internal, what: str, subject: tuple[str, str | None, int], per_client: int, prefix: str
) -> list[Limit]:
    """The counters one attempt hits: its subject's (``(noun, normalised value, limit)``; the warning shows the
    value masked) and its client's, each only when it has a value and a positive limit. Counter kinds are
    ``<prefix>-<noun>`` and ``<prefix>-client``."""
    limits: list[Limit] = []
    noun, value, per_value = subject
    if value is not None and per_value > 0:
        limits.append(
            Limit(f"{what} for one {noun}", _masked(value), counter_key(f"{prefix}-{noun}", value), per_value)
        )
    client = client_address(internal)
    if client is not None and per_client > 0:
        limits.append(Limit(f"{what} from one client", client, counter_key(f"{prefix}-client", client), per_client))
    return limits


async def before_credentials(internal: Internal, credentials: dict[str, Any]) -> AuthResponse | None:
    """Count this credentials attempt; the refusal when it is past a limit, else ``None``."""
    conf = settings(internal.options)
    if conf is None:
        return None
    limits = _limits(
        internal,
        "credentials sign-in attempts",
        ("identifier", _identifier(credentials.get(conf.identifier_field)), conf.credentials_per_identifier),
        conf.credentials_per_client,
        "credentials",
    )
    return await _check(internal, conf, limits, conf.credentials_window)


async def after_credentials_success(internal: Internal, credentials: dict[str, Any]) -> None:
    """A right password clears its identifier's counter (the client's keeps counting)."""
    conf = settings(internal.options)
    ident = _identifier(credentials.get(conf.identifier_field)) if conf is not None else None
    if conf is None or ident is None or conf.credentials_window <= 0:
        return
    try:
        await store_of(internal, conf).reset(
            counter_key("credentials-identifier", ident), conf.credentials_window, _clock(conf)()
        )
    except (AdapterError, OSError) as exc:
        await internal.logger.error("RATE_LIMIT_STORE_ERROR", exc)


async def before_email(internal: Internal, email: str) -> AuthResponse | None:
    """Count this email sign-in request; the refusal when it is past a limit, else ``None``."""
    conf = settings(internal.options)
    if conf is None:
        return None
    limits = _limits(
        internal,
        "email sign-in requests",
        ("address", _identifier(email), conf.email_per_address),
        conf.email_per_client,
        "email",
    )
    return await _check(internal, conf, limits, conf.email_window)
