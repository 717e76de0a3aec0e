"""Provider endpoints from OIDC discovery or from the provider config, with a TTL cache, and bounded fetches.

next-auth fetches the discovery document on every sign-in and callback; a slow or unreachable issuer
then fails every sign-in (``outgoing request timed out after 3500ms``). Discovery documents and JWKS are
cached here per URL for ``ttl`` seconds (10 minutes by default; ``http_options={"cache_ttl": ...}``),
and every outbound request has a timeout and honours ``HTTPS_PROXY``/``NO_PROXY`` (httpx ``trust_env``).

A provider is an outside party, so every fetch from it is bounded:

* one overall deadline per request (``timeout``, seconds), not only per read, so a provider that dribbles
  its answer a byte at a time cannot hold a request open;
* a size cap on every response body (1 MB by default; ``http_options={"max_response_bytes": ...}``), checked
  while the body streams in, so a huge answer is dropped after the cap instead of being buffered whole;
* concurrent fetches of one discovery document or JWKS share a single request and, when it fails, its
  failure; a failure is remembered for a few seconds (:data:`FAILURE_TTL`), so a hung provider costs each
  sign-in at most one deadline, not one per queued request;
* endpoints named by a discovery document must be ``https``; plain ``http`` is accepted (with a warning)
  only on loopback, for local test providers.
"""

from __future__ import annotations

import functools
import logging
import ssl
import time
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

import anyio
import httpx

from nextauth._core.logger import once
from nextauth._lib.loopback import is_loopback
from nextauth.providers.oauth import OAuthProvider

DEFAULT_TTL = 600.0
FAILURE_TTL = 5.0
"""Seconds a failed discovery/JWKS fetch is remembered: requests meanwhile fail at once with the same error."""
MAX_RESPONSE_BYTES = 1_000_000
"""Default cap on a provider's response body (discovery, JWKS, token, userinfo)."""

log = logging.getLogger("nextauth")
T = TypeVar("T")


class ProviderResponseTooLarge(httpx.TransportError):
    """A provider's response body passed the size cap; the rest of it was not read."""


class ProviderFetchError(Exception):
    """A discovery document or JWKS could not be fetched (possibly a remembered failure)."""


@dataclass(slots=True)
class Metadata:
    issuer: str | None
    authorization_endpoint: str | None
    token_endpoint: str | None
    userinfo_endpoint: str | None
    jwks_uri: str | None
    id_token_signing_alg_values_supported: list[str] = field(default_factory=list)
    authorization_response_iss_parameter_supported: bool = False


# ------------------------------------------------------------------------------------------ bounds
def max_bytes(provider: OAuthProvider) -> int:
    return int(provider.http_options.get("max_response_bytes", MAX_RESPONSE_BYTES))


def timeout_of(provider: OAuthProvider, default_timeout: float) -> float:
    return float(provider.http_options.get("timeout", default_timeout))


class _CappedStream(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, limit: int, url: str) -> None:
        self._inner = inner
        self._limit = limit
        self._url = url

    async def __aiter__(self) -> AsyncIterator[bytes]:
        total = 0
        async for chunk in self._inner:
            total += len(chunk)
            if total > self._limit:
                raise ProviderResponseTooLarge(
                    f"the response of {self._url} is larger than {self._limit} bytes; the rest was not read "
                    "(raise the provider's http_options={'max_response_bytes': ...} if it is genuine)"
                )
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()


def size_cap_hook(limit: int) -> Callable[[httpx.Response], Awaitable[None]]:
    """An httpx response hook that caps the body at ``limit`` bytes while it streams in.

    Hooks run before the body is read, for every client (proxied requests and authlib's token client
    included), so the cap holds wherever the request went."""

    async def hook(response: httpx.Response) -> None:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await response.aclose()
            raise ProviderResponseTooLarge(
                f"the response of {response.request.url} declares {declared} bytes, more than the cap of {limit}"
            )
        stream = response.stream
        if isinstance(stream, httpx.AsyncByteStream):
            response.stream = _CappedStream(stream, limit, str(response.request.url))

    return hook


def _timeout_error(what: str, seconds: float, reason: str) -> TimeoutError:
    return TimeoutError(
        f"{what} did not answer within {seconds:g} s ({reason}). Is the provider reachable from this server "
        "(proxy: HTTPS_PROXY/NO_PROXY)? A slow provider needs a longer timeout: AuthOptions(http_timeout=...) "
        "or the provider's http_options={'timeout': ...}."
    )


async def within_deadline(seconds: float, what: str, call: Callable[[], Awaitable[T]]) -> T:
    """``call()`` under one overall deadline (connect, send, headers and the whole body): a
    :class:`TimeoutError` naming ``what`` when it passes or when one of httpx's per-operation timeouts fires."""
    try:
        with anyio.fail_after(seconds):
            return await call()
    except TimeoutError:
        raise _timeout_error(what, seconds, "overall deadline") from None
    except httpx.TimeoutException as exc:
        raise _timeout_error(what, seconds, type(exc).__name__) from None


# ------------------------------------------------------------------------------------------ cache
@dataclass(slots=True, eq=False)
class _Flight:
    done: anyio.Event = field(default_factory=anyio.Event)
    document: Any = None
    error: str | None = None
    finished: bool = False


class JSONCache:
    """A small per-process TTL cache of JSON documents keyed by URL.

    Concurrent requests for one URL share one fetch (single flight) and its outcome, success or failure; a
    failure is remembered for ``FAILURE_TTL`` seconds."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, Any]] = {}
        self._failures: dict[str, tuple[float, str]] = {}
        self._flights: dict[str, _Flight] = {}

    def clear(self) -> None:
        self._entries.clear()
        self._failures.clear()
        self._flights.clear()

    async def get(
        self, url: str, http: httpx.AsyncClient, *, ttl: float, deadline: float, refresh: bool = False
    ) -> Any:
        while True:
            now = time.monotonic()
            entry = self._entries.get(url)
            if entry and not refresh and entry[0] > now:
                return entry[1]
            failure = self._failures.get(url)
            if failure and failure[0] > now:
                raise ProviderFetchError(f"{failure[1]} (remembered for {FAILURE_TTL:g} s)")
            flight = self._flights.get(url)
            if flight is not None:
                await flight.done.wait()
                if flight.error is not None:
                    raise ProviderFetchError(flight.error)
                if flight.finished:
                    return flight.document
                continue  # the fetching request was cancelled: try again, perhaps as the fetcher
            flight = self._flights[url] = _Flight()
            try:
                document = await within_deadline(deadline, url, lambda: _get_json(http, url))
            except Exception as exc:
                flight.error = f"{type(exc).__name__}: {exc}"
                self._failures[url] = (time.monotonic() + FAILURE_TTL, flight.error)
                raise ProviderFetchError(flight.error) from None
            else:
                flight.document, flight.finished = document, True
                self._failures.pop(url, None)
                if ttl > 0:
                    self._entries[url] = (time.monotonic() + ttl, document)
                return document
            finally:
                if self._flights.get(url) is flight:
                    del self._flights[url]
                flight.done.set()


async def _get_json(http: httpx.AsyncClient, url: str) -> Any:
    response = await http.get(url, headers={"Accept": "application/json"})
    response.raise_for_status()
    return response.json()


CACHE = JSONCache()


@functools.cache
def ssl_context() -> ssl.SSLContext:
    """One TLS context for every provider request. Building one loads the CA bundle (about 20 ms of CPU),
    which a new client per sign-in would pay every time; ``SSL_CERT_FILE``/``SSL_CERT_DIR`` are honoured."""
    return httpx.create_ssl_context(trust_env=True)


def http_client(provider: OAuthProvider, default_timeout: float) -> httpx.AsyncClient:
    """An httpx client for talking to ``provider`` (timeout, proxies from the environment, size cap)."""
    timeout = provider.http_options.get("timeout", default_timeout)
    return httpx.AsyncClient(
        timeout=timeout,
        trust_env=True,
        follow_redirects=False,
        verify=ssl_context(),
        event_hooks={"response": [size_cap_hook(max_bytes(provider))]},
    )


def token_client(provider: OAuthProvider, timeout: float, redirect_uri: str | None = None) -> Any:
    """An authlib ``AsyncOAuth2Client`` for ``provider``'s token endpoint: its client id and secret, the client
    authentication its ``client["token_endpoint_auth_method"]`` names, the same TLS context, proxies and size
    cap as :func:`http_client`. Shared by the code exchange and the refresh."""
    with warnings.catch_warnings():  # authlib >= 1.7 deprecates httpx (for httpx2) at import time
        warnings.simplefilter("ignore", DeprecationWarning)
        from authlib.integrations.httpx_client import AsyncOAuth2Client

    return AsyncOAuth2Client(
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        token_endpoint_auth_method=provider.client.get("token_endpoint_auth_method", "client_secret_basic"),
        redirect_uri=redirect_uri,
        timeout=timeout,
        trust_env=True,
        verify=ssl_context(),
        event_hooks={"response": [size_cap_hook(max_bytes(provider))]},
    )


def _deadline(provider: OAuthProvider, http: httpx.AsyncClient) -> float:
    configured = provider.http_options.get("timeout")
    if configured is not None:
        return float(configured)
    t = http.timeout
    return float(t.read if t.read is not None else t.connect if t.connect is not None else 10.0)


def _ttl(provider: OAuthProvider) -> float:
    return float(provider.http_options.get("cache_ttl", DEFAULT_TTL))


def _discovered(doc: dict[str, Any], name: str, source: str) -> str | None:
    """An endpoint named by the discovery document: a string URL, https (http only on loopback, with a warning)."""
    value = doc.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"the discovery document at {source} has a non-string {name}")
    parts = urlsplit(value)
    if parts.scheme == "https" and parts.hostname:
        return value
    if parts.scheme == "http" and is_loopback(parts.hostname):
        if once(f"insecure-endpoint:{value}"):
            log.warning(
                "[next-auth][warn][INSECURE_PROVIDER_ENDPOINT] the discovery document at %s names the plain-http "
                "%s %s; accepted because it is loopback (a test provider), refused anywhere else",
                source,
                name,
                value,
            )
        return value
    raise ValueError(
        f"the discovery document at {source} names {name} {value[:200]!r}, which is not https: refused "
        "(set the endpoint explicitly in the provider's config if this is really intended)"
    )


async def metadata(provider: OAuthProvider, http: httpx.AsyncClient) -> Metadata:
    """The provider's endpoints: discovery first, explicit endpoints override discovered ones."""
    doc: dict[str, Any] = {}
    source = provider.well_known or ""
    if provider.well_known:
        fetched = await CACHE.get(provider.well_known, http, ttl=_ttl(provider), deadline=_deadline(provider, http))
        if not isinstance(fetched, dict):
            raise ValueError(f"the discovery document at {provider.well_known} is not a JSON object")
        doc = fetched
    issuer = doc.get("issuer")
    algs = doc.get("id_token_signing_alg_values_supported")
    return Metadata(
        issuer=(issuer if isinstance(issuer, str) and issuer else None) or provider.issuer,
        authorization_endpoint=provider.authorization.url or _discovered(doc, "authorization_endpoint", source),
        token_endpoint=provider.token.url or _discovered(doc, "token_endpoint", source),
        userinfo_endpoint=provider.userinfo.url or _discovered(doc, "userinfo_endpoint", source),
        jwks_uri=provider.jwks_endpoint or _discovered(doc, "jwks_uri", source),
        id_token_signing_alg_values_supported=[a for a in algs if isinstance(a, str)] if isinstance(algs, list) else [],
        authorization_response_iss_parameter_supported=doc.get("authorization_response_iss_parameter_supported")
        is True,
    )


async def jwks(url: str, http: httpx.AsyncClient, provider: OAuthProvider, *, refresh: bool = False) -> dict[str, Any]:
    document = await CACHE.get(url, http, ttl=_ttl(provider), deadline=_deadline(provider, http), refresh=refresh)
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError(f"the JWKS at {url} has no `keys` list")
    return document
