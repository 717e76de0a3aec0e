"""Checks of an OAuth provider's configuration, run by every built-in factory and again by ``NextAuth()``.

A misconfigured provider otherwise fails on the first sign-in, far from its cause (an empty client ID
from an unset environment variable, an issuer without ``https://``, a discovery URL with a doubled
slash). Every message names the provider, the option and the fix, and never a secret.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from nextauth._lib.loopback import is_loopback
from nextauth.errors import InvalidProviderError
from nextauth.providers.oauth import OAuthProvider

__all__ = ["CLIENT_AUTH_METHODS", "check_url", "discovery_url", "issuer_url", "validate_oauth_provider"]

WELL_KNOWN_SUFFIX = "/.well-known/openid-configuration"
CLIENT_AUTH_METHODS = ("client_secret_basic", "client_secret_post", "none")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*")


def _label(provider_id: object) -> str:
    return f"provider {provider_id!r}"


def check_url(value: object, *, provider_id: str, option: str, example: str = "") -> str:
    """``value`` if it is an absolute ``https://`` URL (``http://`` only on loopback); else a clear error."""
    where = f"{_label(provider_id)}: {option}"
    hint = f", e.g. {option}={example!r}" if example else ""
    if not isinstance(value, str) or not value.strip():
        raise InvalidProviderError(f"{where} is empty: pass the full https:// URL{hint}")
    url = value.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        guess = f"; did you mean {'https://' + url.lstrip('/')!r}?" if "://" not in url else ""
        raise InvalidProviderError(f"{where} must be an absolute https:// URL, got {url!r}{guess or hint}")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise InvalidProviderError(
            f"{where} uses http:// ({url!r}); use https:// (plain http is accepted only for loopback: "
            "localhost, *.localhost, 127.0.0.0/8 and [::1], for local development)"
        )
    if parts.fragment:
        raise InvalidProviderError(f"{where} must not contain a #fragment, got {url!r}")
    return url


def issuer_url(value: object, *, provider_id: str, example: str, option: str = "issuer") -> str:
    """A provider's OIDC issuer, checked; a pasted discovery URL is reduced to its issuer.

    ``https://id.example.com/.well-known/openid-configuration`` is accepted as
    ``https://id.example.com`` (the trailing slash of an issuer such as Auth0's
    ``https://tenant.auth0.com/`` is kept: discovery overrides the issuer anyway).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InvalidProviderError(
            f"{_label(provider_id)}: {option} is required: pass your {option} URL, e.g. {option}={example!r}"
        )
    url = check_url(value, provider_id=provider_id, option=option, example=example)
    if urlsplit(url).query:
        raise InvalidProviderError(
            f"{_label(provider_id)}: {option} must not contain a ?query, got {url!r}; pass the issuer URL only, "
            f"e.g. {option}={example!r}"
        )
    if url.rstrip("/").endswith(WELL_KNOWN_SUFFIX):
        url = url.rstrip("/")[: -len(WELL_KNOWN_SUFFIX)]
        if not urlsplit(url).hostname:
            raise InvalidProviderError(f"{_label(provider_id)}: {option} has no host: {value!r}")
    return url


def discovery_url(issuer: str) -> str:
    """``<issuer>/.well-known/openid-configuration`` without a doubled slash."""
    return issuer.rstrip("/") + WELL_KNOWN_SUFFIX


def validate_oauth_provider(provider: OAuthProvider) -> None:
    """Raise :class:`~nextauth.errors.InvalidProviderError` when ``provider`` cannot work.

    Checks the id (it is a URL path segment), the client credentials, every configured URL (absolute,
    ``https://`` except on loopback), that an authorization and a token endpoint can be found (given or
    by discovery), the client authentication method and the profile callback.
    """
    pid = provider.id
    if not isinstance(pid, str) or not _ID.fullmatch(pid):
        raise InvalidProviderError(
            f"{_label(pid)}: id must be a non-empty URL path segment (letters, digits, '-', '_', '.', '~'), "
            "because it appears in /api/auth/signin/<id> and /api/auth/callback/<id>"
        )
    label = f"{_label(pid)} ({provider.name})" if provider.name and provider.name != pid else _label(pid)
    if not isinstance(provider.name, str) or not provider.name.strip():
        raise InvalidProviderError(f"{label}: name is empty: it is the label of the sign-in button")

    if not isinstance(provider.client_id, str) or not provider.client_id.strip():
        raise InvalidProviderError(
            f"{label}: client_id is empty: pass the OAuth client ID that {provider.name or pid} issued for this app "
            "(usually read from an environment variable that is not set here)"
        )
    method = provider.client.get("token_endpoint_auth_method", "client_secret_basic")
    if method not in CLIENT_AUTH_METHODS:
        raise InvalidProviderError(
            f"{label}: client={{'token_endpoint_auth_method': {method!r}}} is not supported; use one of "
            + ", ".join(repr(m) for m in CLIENT_AUTH_METHODS)
        )
    if method != "none" and provider.token.request is None:
        secret = provider.client_secret
        if not isinstance(secret, str) or not secret.strip():
            raise InvalidProviderError(
                f"{label}: client_secret is empty: pass the OAuth client secret (usually read from an environment "
                "variable that is not set here), or client={'token_endpoint_auth_method': 'none'} for a public "
                "client that uses PKCE"
            )

    if provider.well_known is not None:
        check_url(provider.well_known, provider_id=pid, option="well_known")
    if provider.issuer is not None:
        check_url(provider.issuer, provider_id=pid, option="issuer")
    if provider.jwks_endpoint is not None:
        check_url(provider.jwks_endpoint, provider_id=pid, option="jwks_endpoint")
    for option, endpoint in (
        ("authorization", provider.authorization),
        ("token", provider.token),
        ("userinfo", provider.userinfo),
    ):
        if endpoint.url is not None:
            check_url(endpoint.url, provider_id=pid, option=f"{option} URL")
    if not provider.well_known:
        if not provider.authorization.url:
            raise InvalidProviderError(
                f"{label}: no authorization endpoint: set authorization={{'url': ...}} or well_known "
                "(the provider's /.well-known/openid-configuration URL)"
            )
        if not provider.token.url and provider.token.request is None:
            raise InvalidProviderError(
                f"{label}: no token endpoint: set token=... or well_known (the provider's "
                "/.well-known/openid-configuration URL)"
            )
    if provider.is_oauth1:
        if not provider.request_token_url or not provider.userinfo.url:
            raise InvalidProviderError(
                f"{label}: an OAuth 1.0a provider (version={provider.version!r}) needs request_token_url and "
                "profile_url (or userinfo) besides authorization and access_token_url"
            )
        check_url(provider.request_token_url, provider_id=pid, option="request_token_url")
    if not callable(provider.profile):
        raise InvalidProviderError(f"{label}: profile must be a function profile(profile, tokens) -> user dict")
