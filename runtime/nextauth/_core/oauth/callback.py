"""The provider's redirect back: verify checks, exchange the code (authlib), read the profile.

Every failure inside raises :class:`~nextauth.errors.OAuthCallbackError` with a message for the server
log (which check failed and why, the ``redirect_uri`` that was sent, the provider's error text); the
browser only ever sees ``?error=OAuthCallback``.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import re
import time
from typing import Any

import httpx
import jwt as pyjwt

from nextauth._core.init import Internal
from nextauth._core.oauth import checks
from nextauth._core.oauth._metadata import (
    Metadata,
    http_client,
    jwks,
    metadata,
    timeout_of,
    token_client,
    within_deadline,
)
from nextauth._core.oauth.profile import CallbackResult, parse_profile
from nextauth._lib.util import call_user
from nextauth.errors import OAuthCallbackError
from nextauth.providers.oauth import OAuthProvider

ID_TOKEN_LEEWAY = 10  # seconds, openid-client's clock tolerance as next-auth configures it
DEFAULT_SIGNING_ALG = "RS256"  # openid-client's default id_token_signed_response_alg
NUMERIC_CLAIMS = ("exp", "iat", "nbf", "auth_time")


class ProviderRedirectError(Exception):
    """The provider redirected back with ``?error=`` (e.g. the user denied access)."""


def _params(internal: Internal) -> dict[str, Any]:
    """The callback parameters: the query, or the form body of a ``response_mode=form_post`` callback."""
    req = internal.request
    if req.method == "POST" and req.body:
        return {k: v for k, v in req.body.items() if isinstance(v, str)}
    return dict(req.query)


async def oauth_callback(internal: Internal, provider: OAuthProvider) -> CallbackResult:
    req = internal.request
    body = req.body or {}
    error = body.get("error") or req.query.get("error")
    if error:
        description = body.get("error_description") or req.query.get("error_description")
        await internal.logger.error(
            "OAUTH_CALLBACK_HANDLER_ERROR",
            {"error": ProviderRedirectError(str(error)), "error_description": description, "provider_id": provider.id},
        )
        raise ProviderRedirectError(str(error))
    try:
        if provider.is_oauth1:
            from nextauth._core.oauth.oauth1 import callback_result

            return await callback_result(internal, provider)
        return await _callback(internal, provider)
    except OAuthCallbackError:
        raise
    except Exception as exc:
        raise OAuthCallbackError(f"{type(exc).__name__}: {exc}") from exc


async def _callback(internal: Internal, provider: OAuthProvider) -> CallbackResult:
    values, deletions = await checks.use(internal, provider)
    params = _params(internal)
    redirect_uri = f"{internal.url.base}/callback/{provider.id}"
    if "state" in values and params.get("state") != values["state"]:
        raise OAuthCallbackError(
            "state mismatch: the `state` the provider sent back is not the one stored in the state cookie "
            "(a replayed or forged callback, or two sign-ins in the same browser)."
        )
    code = params.get("code")
    deadline = timeout_of(provider, internal.options.http_timeout)
    async with http_client(provider, internal.options.http_timeout) as http:
        meta = await metadata(provider, http)
        _check_iss_parameter(params, meta)
        if provider.token.request is not None:
            token_params = {**params, "redirect_uri": redirect_uri, **provider.token.params}
            if "pkce" in values:
                token_params["code_verifier"] = values["pkce"]
            request = provider.token.request
            tokens = dict(
                await within_deadline(
                    deadline,
                    "the provider's token request",
                    lambda: call_user(request, params=token_params, provider=provider, http=http),
                )
            )
        else:
            if not code:
                raise OAuthCallbackError("the callback has no `code` parameter")
            tokens = await _exchange(internal, provider, meta, code, redirect_uri, values.get("pkce"))
        if isinstance(tokens.get("scope"), list):
            tokens["scope"] = " ".join(tokens["scope"])
        if "expires_at" not in tokens and isinstance(tokens.get("expires_in"), int | float):
            tokens["expires_at"] = int(time.time()) + int(tokens["expires_in"])
        claims: dict[str, Any] | None = None
        if provider.uses_id_token:
            claims = await _verify_id_token(provider, meta, tokens, values.get("nonce"), http)
        if provider.userinfo.request is not None:
            userinfo_request = provider.userinfo.request
            raw = dict(
                await within_deadline(
                    deadline,
                    "the provider's userinfo request",
                    lambda: call_user(userinfo_request, tokens=tokens, provider=provider, http=http),
                )
            )
        elif claims is not None:
            raw = claims
            user_field = _params(internal).get("user")
            if isinstance(user_field, str) and "user" not in raw:
                # Apple posts the user's name once, on the first authorization, as a JSON form field.
                with contextlib.suppress(ValueError):
                    raw = {**raw, "user": json.loads(user_field)}
        else:
            raw = await within_deadline(
                deadline,
                f"the userinfo endpoint {meta.userinfo_endpoint}",
                lambda: _userinfo(provider, meta, tokens, http),
            )
    user = await parse_profile(internal, provider, raw, tokens)
    if user is None:
        return CallbackResult(None, None, None, deletions)
    account: dict[str, Any] = {
        "provider": provider.id,
        "type": "oauth",
        "provider_account_id": str(user["id"]),
    }
    # next-auth spreads the whole token set into the account: every field of the token response (Keycloak's
    # `refresh_expires_in`, `not-before-policy`, ...), `expires_in` only as the derived `expires_at`
    # (openid-client's TokenSet keeps `expires_in` as a non-enumerable getter). Adapters store what they know.
    account.update({k: v for k, v in tokens.items() if k != "expires_in"})
    return CallbackResult(user, account, raw, deletions)


async def _exchange(
    internal: Internal,
    provider: OAuthProvider,
    meta: Metadata,
    code: str,
    redirect_uri: str,
    verifier: str | None,
) -> dict[str, Any]:
    from authlib.integrations.base_client.errors import OAuthError

    if not meta.token_endpoint:
        raise OAuthCallbackError(f"provider {provider.id!r} has no token endpoint: set `token` or `well_known`")
    timeout = timeout_of(provider, internal.options.http_timeout)
    extra = dict(provider.token.params)
    if verifier:
        extra["code_verifier"] = verifier
    async with token_client(provider, timeout, redirect_uri) as client:
        endpoint = meta.token_endpoint
        try:
            token = await within_deadline(
                timeout,
                f"the token endpoint {endpoint}",
                lambda: client.fetch_token(endpoint, grant_type="authorization_code", code=code, **extra),
            )
        except OAuthError as exc:
            raise OAuthCallbackError(
                f"the token endpoint {meta.token_endpoint} refused the code: {exc.error}"
                + (f" ({exc.description})" if exc.description else "")
                + f"; redirect_uri sent: {redirect_uri}"
                + ("  — register exactly this redirect URI at the provider" if "redirect" in str(exc).lower() else "")
            ) from None
        except httpx.HTTPError as exc:
            raise OAuthCallbackError(
                f"the token endpoint {meta.token_endpoint} failed: {type(exc).__name__}: {exc}"
            ) from None
    return dict(token)


def _check_iss_parameter(params: dict[str, Any], meta: Metadata) -> None:
    """RFC 9207, as openid-client checks it: an ``iss`` callback parameter must name the issuer, and it must be
    there when the provider advertises ``authorization_response_iss_parameter_supported``."""
    iss = params.get("iss")
    if iss is None:
        if meta.authorization_response_iss_parameter_supported and "response" not in params:
            raise OAuthCallbackError(
                "iss missing from the response: the provider advertises authorization_response_iss_parameter_supported"
            )
        return
    if meta.issuer and "{tenantid}" in meta.issuer:
        return  # a multi-tenant template issuer: the id_token's issuer is checked against the real tenant
    if iss != meta.issuer:
        raise OAuthCallbackError(
            f"iss mismatch: the callback's iss parameter {str(iss)[:200]!r} is not the issuer {meta.issuer!r} "
            "(a mix-up attack, or the wrong provider configured)"
        )


def _expected_alg(provider: OAuthProvider) -> str:
    """The id_token algorithm accepted: the provider's ``id_token_signed_response_alg``, RS256 by default
    (openid-client's rule: one algorithm, never chosen by the token's own header)."""
    configured = provider.client.get("id_token_signed_response_alg")
    return configured if isinstance(configured, str) and configured else DEFAULT_SIGNING_ALG


_HASH_BY_SIZE = {"256": hashlib.sha256, "384": hashlib.sha384, "512": hashlib.sha512}


def _token_hash(value: str, alg: str) -> str:
    """The left half of the hash of ``value`` for ``alg``, base64url (OIDC Core 3.1.3.6 ``at_hash``)."""
    digest = hashlib.sha512 if alg == "EdDSA" else _HASH_BY_SIZE.get(alg[-3:], hashlib.sha256)
    raw = digest(value.encode()).digest()
    return base64.urlsafe_b64encode(raw[: len(raw) // 2]).rstrip(b"=").decode()


async def _verify_id_token(
    provider: OAuthProvider, meta: Metadata, tokens: dict[str, Any], nonce: str | None, http: httpx.AsyncClient
) -> dict[str, Any]:
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        raise OAuthCallbackError("the provider sent no id_token (idToken is on for this provider)")
    try:
        header = pyjwt.get_unverified_header(id_token)
    except pyjwt.PyJWTError as exc:
        raise OAuthCallbackError(f"the id_token is malformed: {exc}") from None
    alg = header.get("alg")
    expected_alg = _expected_alg(provider)
    if alg != expected_alg or expected_alg.lower() == "none":
        advertised = meta.id_token_signing_alg_values_supported
        raise OAuthCallbackError(
            f"unexpected id_token alg: expected {expected_alg}, got {str(alg)[:20]!r}"
            + (f"; the provider advertises {', '.join(repr(a[:20]) for a in advertised[:10])}" if advertised else "")
            + " (set the provider's client={'id_token_signed_response_alg': ...} if it really signs with another)"
        )
    symmetric = expected_alg.startswith("HS")
    if symmetric and not provider.client_secret:
        raise OAuthCallbackError(f"the id_token is signed with {alg}, but the client secret it needs is empty")
    issuer = meta.issuer
    if issuer and "{tenantid}" in issuer:
        # Microsoft's multi-tenant discovery ("common", "organizations") names the issuer as a template;
        # the token's `iss` carries the real tenant. The signature is still checked against Microsoft's keys.
        tid = _unverified_claim(id_token, "tid")
        if not isinstance(tid, str) or not _GUID.fullmatch(tid):
            raise OAuthCallbackError("the id_token has no tenant id (tid) to complete the issuer template")
        issuer = issuer.replace("{tenantid}", tid)
    claims: dict[str, Any] | None = None
    for refresh in (False, True):
        key: Any
        if symmetric:
            key = provider.client_secret
        else:
            if not meta.jwks_uri:
                raise OAuthCallbackError("no JWKS to verify the id_token: set `jwks_endpoint` or `well_known`")
            key = await _find_key(provider, meta.jwks_uri, header.get("kid"), http, refresh=refresh)
        try:
            claims = pyjwt.decode(
                id_token,
                key=key,
                algorithms=[expected_alg],
                audience=provider.client_id,
                issuer=issuer,
                leeway=ID_TOKEN_LEEWAY,
                options={"require": ["exp", "iat", "sub", "aud"], "verify_iss": issuer is not None},
            )
            break
        except pyjwt.InvalidSignatureError:
            if refresh or symmetric:
                raise OAuthCallbackError("the id_token is invalid: Signature verification failed") from None
            # The cached JWKS may be stale: the provider replaced a key but kept its kid. Refetch once.
        except pyjwt.PyJWTError as exc:
            raise OAuthCallbackError(f"the id_token is invalid: {exc}") from None
    assert claims is not None
    _check_claims(provider, claims, tokens, nonce, expected_alg)
    return claims


def _check_claims(
    provider: OAuthProvider, claims: dict[str, Any], tokens: dict[str, Any], nonce: str | None, alg: str
) -> None:
    """What openid-client checks beyond the signature, issuer, audience and lifetime."""
    for name in NUMERIC_CLAIMS:  # pyjwt takes "1700000000" as a number; a JSON number is required
        value = claims.get(name)
        if name in claims and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise OAuthCallbackError(f"the id_token's {name} claim must be a JSON number")
    if not isinstance(claims.get("sub"), str):
        raise OAuthCallbackError("the id_token's sub claim must be a string")
    # nonce: openid-client compares whenever either side has one, so an unexpected nonce is refused too
    if (nonce is not None or "nonce" in claims) and claims.get("nonce") != nonce:
        raise OAuthCallbackError(
            "nonce mismatch: the id_token's nonce is not the one stored in the nonce cookie"
            if nonce is not None
            else "nonce mismatch: the id_token has a nonce, but this sign-in sent none (nonce check off)"
        )
    aud = claims.get("aud")
    azp = claims.get("azp")
    if isinstance(aud, list) and len(aud) > 1 and azp is None:
        raise OAuthCallbackError("the id_token has several audiences but no azp")
    if azp is not None and azp != provider.client_id:
        raise OAuthCallbackError("azp mismatch: the id_token's azp does not name this client")
    at_hash = claims.get("at_hash")
    access_token = tokens.get("access_token")
    if at_hash is not None and isinstance(access_token, str) and at_hash != _token_hash(access_token, alg):
        raise OAuthCallbackError("at_hash mismatch: the id_token was not issued with this access token")


_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _unverified_claim(token: str, name: str) -> Any:
    try:
        return pyjwt.decode(token, options={"verify_signature": False}).get(name)
    except pyjwt.PyJWTError:
        return None


async def _find_key(
    provider: OAuthProvider, url: str, kid: Any, http: httpx.AsyncClient, *, refresh: bool = False
) -> Any:
    for again in (refresh, True):  # one refetch when the key is unknown: the provider rotated its keys
        document = await jwks(url, http, provider, refresh=again)
        try:
            keyset = pyjwt.PyJWKSet.from_dict(document)
        except pyjwt.PyJWTError as exc:
            raise OAuthCallbackError(f"the JWKS at {url} is unusable: {exc}") from None
        candidates = [k for k in keyset.keys if kid is None or k.key_id == kid]
        if candidates:
            return candidates[0].key
    raise OAuthCallbackError(f"no key with kid {kid!r} in the provider's JWKS ({url})")


async def _userinfo(
    provider: OAuthProvider, meta: Metadata, tokens: dict[str, Any], http: httpx.AsyncClient
) -> dict[str, Any]:
    if not meta.userinfo_endpoint:
        raise OAuthCallbackError(f"provider {provider.id!r} has no userinfo endpoint: set `userinfo` or `well_known`")
    token_type = tokens.get("token_type") or "Bearer"
    response = await http.get(
        meta.userinfo_endpoint,
        params=provider.userinfo.params or None,
        headers={"Authorization": f"{token_type} {tokens.get('access_token', '')}", "Accept": "application/json"},
    )
    if response.status_code >= 400:
        raise OAuthCallbackError(
            f"the userinfo endpoint {meta.userinfo_endpoint} answered {response.status_code}: {response.text[:200]}"
        )
    data = response.json()
    if not isinstance(data, dict):
        raise OAuthCallbackError("the userinfo response is not a JSON object")
    id_token = tokens.get("id_token")
    if isinstance(id_token, str):
        # openid-client compares the userinfo sub with the id_token's (OIDC Core 5.3.2): a different sub is
        # another user's profile
        expected = _unverified_claim(id_token, "sub")
        if expected is not None and data.get("sub") != expected:
            raise OAuthCallbackError("userinfo sub mismatch: the userinfo sub is not the id_token's")
    return data
