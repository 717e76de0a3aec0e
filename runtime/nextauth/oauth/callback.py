"""The provider's redirect back: verify checks, exchange the code (authlib), read the profile.

Every failure inside raises :class:`~nextauth.errors.OAuthCallbackError` with a message for the server
log (which check failed and why, the ``redirect_uri`` that was sent, the provider's error text); the
browser only ever sees ``?error=OAuthCallback``.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
import warnings
from dataclasses import dataclass
from typing import Any

import httpx
import jwt as pyjwt

from nextauth._init import Internal
from nextauth._types import SetCookie
from nextauth._util import call_positional, call_user
from nextauth.errors import OAuthCallbackError
from nextauth.oauth import checks
from nextauth.oauth._metadata import Metadata, http_client, jwks, metadata, ssl_context
from nextauth.providers.oauth import OAuthProvider

ID_TOKEN_LEEWAY = 10  # seconds, openid-client's clock tolerance as next-auth configures it
TOKEN_KEYS = ("access_token", "token_type", "id_token", "refresh_token", "scope", "expires_at", "session_state")


class ProviderRedirectError(Exception):
    """The provider redirected back with ``?error=`` (e.g. the user denied access)."""


@dataclass(slots=True)
class CallbackResult:
    user: dict[str, Any] | None
    account: dict[str, Any] | None
    profile: dict[str, Any] | None
    cookies: list[SetCookie]


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
    async with http_client(provider, internal.options.http_timeout) as http:
        meta = await metadata(provider, http)
        if provider.token.request is not None:
            token_params = {**params, "redirect_uri": redirect_uri, **provider.token.params}
            if "pkce" in values:
                token_params["code_verifier"] = values["pkce"]
            tokens = dict(await call_user(provider.token.request, params=token_params, provider=provider, http=http))
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
            raw = dict(await call_user(provider.userinfo.request, tokens=tokens, provider=provider, http=http))
        elif claims is not None:
            raw = claims
            user_field = _params(internal).get("user")
            if isinstance(user_field, str) and "user" not in raw:
                # Apple posts the user's name once, on the first authorization, as a JSON form field.
                with contextlib.suppress(ValueError):
                    raw = {**raw, "user": json.loads(user_field)}
        else:
            raw = await _userinfo(provider, meta, tokens, http)
    await internal.logger.debug("PROFILE_DATA", {"provider": provider.id})
    try:
        user = await call_positional(provider.profile, raw, tokens)
        user = dict(user) if user is not None else {}
        if isinstance(user.get("email"), str):
            user["email"] = user["email"].lower()
        if user.get("id") in (None, ""):
            raise TypeError(f"Profile id is missing in {provider.name} OAuth profile response")
    except Exception as exc:
        await internal.logger.error("OAUTH_PARSE_PROFILE_ERROR", {"error": exc, "provider_id": provider.id})
        return CallbackResult(None, None, None, deletions)
    account: dict[str, Any] = {
        "provider": provider.id,
        "type": "oauth",
        "provider_account_id": str(user["id"]),
    }
    account.update({k: tokens[k] for k in TOKEN_KEYS if tokens.get(k) is not None})
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

    with warnings.catch_warnings():  # authlib >= 1.7 deprecates httpx (for httpx2) at import time
        warnings.simplefilter("ignore", DeprecationWarning)
        from authlib.integrations.httpx_client import AsyncOAuth2Client

    if not meta.token_endpoint:
        raise OAuthCallbackError(f"provider {provider.id!r} has no token endpoint: set `token` or `well_known`")
    method = provider.client.get("token_endpoint_auth_method", "client_secret_basic")
    timeout = provider.http_options.get("timeout", internal.options.http_timeout)
    extra = dict(provider.token.params)
    if verifier:
        extra["code_verifier"] = verifier
    async with AsyncOAuth2Client(
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        token_endpoint_auth_method=method,
        redirect_uri=redirect_uri,
        timeout=timeout,
        trust_env=True,
        verify=ssl_context(),
    ) as client:
        try:
            token = await client.fetch_token(meta.token_endpoint, grant_type="authorization_code", code=code, **extra)
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
    expected_alg = provider.client.get("id_token_signed_response_alg")
    if not isinstance(alg, str) or alg.lower() == "none" or (expected_alg and alg != expected_alg):
        raise OAuthCallbackError(f"the id_token uses an unacceptable algorithm {alg!r}")
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
        if alg.startswith("HS"):
            key = provider.client_secret or ""
        else:
            if not meta.jwks_uri:
                raise OAuthCallbackError("no JWKS to verify the id_token: set `jwks_endpoint` or `well_known`")
            key = await _find_key(provider, meta.jwks_uri, header.get("kid"), http, refresh=refresh)
        try:
            claims = pyjwt.decode(
                id_token,
                key=key,
                algorithms=[alg],
                audience=provider.client_id,
                issuer=issuer,
                leeway=ID_TOKEN_LEEWAY,
                options={"require": ["exp", "iat", "sub"], "verify_iss": issuer is not None},
            )
            break
        except pyjwt.InvalidSignatureError:
            if refresh or alg.startswith("HS"):
                raise OAuthCallbackError("the id_token is invalid: Signature verification failed") from None
            # The cached JWKS may be stale: the provider replaced a key but kept its kid. Refetch once.
        except pyjwt.PyJWTError as exc:
            raise OAuthCallbackError(f"the id_token is invalid: {exc}") from None
    assert claims is not None
    if nonce is not None and claims.get("nonce") != nonce:
        raise OAuthCallbackError("nonce mismatch: the id_token's nonce is not the one stored in the nonce cookie")
    azp = claims.get("azp")
    if isinstance(claims.get("aud"), list) and len(claims["aud"]) > 1 and azp != provider.client_id:
        raise OAuthCallbackError("the id_token's azp does not name this client")
    return claims


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
    return data
