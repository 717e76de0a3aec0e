"""Provider endpoints from OIDC discovery or from the provider config, with a TTL cache.

next-auth fetches the discovery document on every sign-in and callback; a slow or unreachable issuer
then fails every sign-in (``outgoing request timed out after 3500ms``). Discovery documents and JWKS are
cached here per URL for ``ttl`` seconds (10 minutes by default; ``http_options={"cache_ttl": ...}``),
and every outbound request has a timeout and honours ``HTTPS_PROXY``/``NO_PROXY`` (httpx ``trust_env``).
"""

from __future__ import annotations

import functools
import ssl
import time
from dataclasses import dataclass
from typing import Any

import anyio
import httpx

from nextauth.providers.oauth import OAuthProvider

DEFAULT_TTL = 600.0


@dataclass(slots=True)
class Metadata:
    issuer: str | None
    authorization_endpoint: str | None
    token_endpoint: str | None
    userinfo_endpoint: str | None
    jwks_uri: str | None


class JSONCache:
    """A small per-process TTL cache of JSON documents keyed by URL (one fetch at a time per URL)."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, Any]] = {}
        self._locks: dict[str, anyio.Lock] = {}

    def clear(self) -> None:
        self._entries.clear()

    async def get(self, url: str, http: httpx.AsyncClient, *, ttl: float, refresh: bool = False) -> Any:
        now = time.monotonic()
        entry = self._entries.get(url)
        if entry and not refresh and entry[0] > now:
            return entry[1]
        lock = self._locks.setdefault(url, anyio.Lock())
        async with lock:
            entry = self._entries.get(url)
            if entry and not refresh and entry[0] > time.monotonic():
                return entry[1]
            try:
                response = await http.get(url, headers={"Accept": "application/json"})
            except httpx.TimeoutException as exc:
                limit = http.timeout.read if http.timeout.read is not None else http.timeout.connect
                raise TimeoutError(
                    f"{url} did not answer within {limit:g} s ({type(exc).__name__}). Is the provider reachable from "
                    "this server (proxy: HTTPS_PROXY/NO_PROXY)? A slow provider needs a longer timeout: "
                    "AuthOptions(http_timeout=...) or the provider's http_options={'timeout': ...}."
                ) from None
            response.raise_for_status()
            document = response.json()
            if ttl > 0:
                self._entries[url] = (time.monotonic() + ttl, document)
            return document


CACHE = JSONCache()


@functools.cache
def ssl_context() -> ssl.SSLContext:
    """One TLS context for every provider request. Building one loads the CA bundle (about 20 ms of CPU),
    which a new client per sign-in would pay every time; ``SSL_CERT_FILE``/``SSL_CERT_DIR`` are honoured."""
    return httpx.create_ssl_context(trust_env=True)


def http_client(provider: OAuthProvider, default_timeout: float) -> httpx.AsyncClient:
    """An httpx client for talking to ``provider`` (timeout, proxies from the environment)."""
    timeout = provider.http_options.get("timeout", default_timeout)
    return httpx.AsyncClient(timeout=timeout, trust_env=True, follow_redirects=False, verify=ssl_context())


def _ttl(provider: OAuthProvider) -> float:
    return float(provider.http_options.get("cache_ttl", DEFAULT_TTL))


async def metadata(provider: OAuthProvider, http: httpx.AsyncClient) -> Metadata:
    """The provider's endpoints: discovery first, explicit endpoints override discovered ones."""
    doc: dict[str, Any] = {}
    if provider.well_known:
        fetched = await CACHE.get(provider.well_known, http, ttl=_ttl(provider))
        if not isinstance(fetched, dict):
            raise ValueError(f"the discovery document at {provider.well_known} is not a JSON object")
        doc = fetched
    return Metadata(
        issuer=doc.get("issuer") or provider.issuer,
        authorization_endpoint=provider.authorization.url or doc.get("authorization_endpoint"),
        token_endpoint=provider.token.url or doc.get("token_endpoint"),
        userinfo_endpoint=provider.userinfo.url or doc.get("userinfo_endpoint"),
        jwks_uri=provider.jwks_endpoint or doc.get("jwks_uri"),
    )


async def jwks(url: str, http: httpx.AsyncClient, provider: OAuthProvider, *, refresh: bool = False) -> dict[str, Any]:
    document = await CACHE.get(url, http, ttl=_ttl(provider), refresh=refresh)
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError(f"the JWKS at {url} has no `keys` list")
    return document
