"""OAuth 1.0a (RFC 5849), for providers with ``version="1.0A"`` (next-auth's Twitter legacy API).

Sign-in: a signed POST to the request-token endpoint (``oauth_callback`` = this app's callback URL), then a
redirect to ``authorization`` with the ``oauth_token``. Callback: the provider sends back ``oauth_token`` and
``oauth_verifier``; a signed POST to the access-token endpoint, then a signed GET of the profile.

The request token's secret is needed again at the callback. next-auth keeps it in a per-process map (and also
puts it in the authorization URL, where the browser and the provider's logs see it); here it is kept only in a
cookie, encrypted like the state cookie (a JWE keyed with the cookie's name as salt), tied to its
``oauth_token`` and this provider, for 15 minutes, and deleted at the callback. Requests are signed with
HMAC-SHA1 by authlib and sent through the bounded client every provider request uses (one deadline, size cap).
"""

from __future__ import annotations

import hmac
import warnings
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx

from nextauth._core.init import Internal
from nextauth._core.oauth._metadata import http_client, timeout_of, within_deadline
from nextauth._core.oauth.profile import CallbackResult, parse_profile
from nextauth._lib.cookies import CHECK_MAX_AGE, CookieDef, deletion, expires_in
from nextauth._lib.types import AuthResponse, SetCookie
from nextauth.errors import JWTError, JWTExpiredError, OAuthCallbackError
from nextauth.providers.oauth import OAuthProvider

FORM = "application/x-www-form-urlencoded"
MAX_TOKEN_LENGTH = 1024
"""Longest ``oauth_token``/``oauth_verifier``/secret accepted (Twitter's are under 64 characters)."""


def secret_cookie(internal: Internal) -> CookieDef:
    """The cookie that holds the request token's secret: the state cookie's attributes, its own name."""
    state = internal.cookies.state
    prefix = "__Secure-" if state.options.secure else ""
    return CookieDef(f"{prefix}next-auth.oauth_token_secret", state.options)


def _client_auth(provider: OAuthProvider, **kwargs: Any) -> Any:
    with warnings.catch_warnings():  # authlib >= 1.7 warns about httpx at import time of some integrations
        warnings.simplefilter("ignore", DeprecationWarning)
        from authlib.oauth1 import ClientAuth

    return ClientAuth(provider.client_id, provider.client_secret or "", signature_method="HMAC-SHA1", **kwargs)


async def _signed(
    internal: Internal, provider: OAuthProvider, method: str, url: str, what: str, params: dict[str, str], **auth: Any
) -> httpx.Response:
    """One signed request (the OAuth parameters in the ``Authorization`` header), bounded like every provider
    request: one overall deadline, the response's size capped."""
    body = urlencode(params) if method == "POST" and params else ""
    headers = {"Content-Type": FORM} if body else {}
    if method == "GET" and params:
        url = f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"
    uri, signed_headers, signed_body = _client_auth(provider, **auth).prepare(method, url, headers, body)
    deadline = timeout_of(provider, internal.options.http_timeout)
    async with http_client(provider, internal.options.http_timeout) as http:

        async def send() -> httpx.Response:
            response = await http.request(method, uri, headers=signed_headers, content=signed_body or None)
            await response.aread()
            return response

        return await within_deadline(deadline, what, send)


def _form(response: httpx.Response, what: str) -> dict[str, str]:
    if response.status_code != 200:
        raise OAuthCallbackError(f"{what} answered {response.status_code}: {response.text[:200]!r}")
    values = dict(parse_qsl(response.text, keep_blank_values=True))
    token, secret = values.get("oauth_token"), values.get("oauth_token_secret")
    if not token or not secret or len(token) > MAX_TOKEN_LENGTH or len(secret) > MAX_TOKEN_LENGTH:
        raise OAuthCallbackError(f"{what} sent no usable oauth_token and oauth_token_secret")
    return values


async def authorization_url(internal: Internal, provider: OAuthProvider) -> AuthResponse:
    """Get a request token and send the user to the provider's authorization page."""
    if not provider.request_token_url or not provider.authorization.url:
        raise ValueError(f"provider {provider.id!r} needs request_token_url and authorization for OAuth 1.0a")
    callback = f"{internal.url.base}/callback/{provider.id}"
    # As next-auth: the authorization params and the sign-in query go with the request-token request.
    params = {k: str(v) for k, v in provider.authorization.params.items() if v is not None}
    params.update({k: v for k, v in internal.request.query.items() if isinstance(v, str)})
    what = f"the request token endpoint {provider.request_token_url}"
    response = await _signed(
        internal, provider, "POST", provider.request_token_url, what, params, redirect_uri=callback
    )
    tokens = _form(response, what)
    if tokens.get("oauth_callback_confirmed") != "true":  # RFC 5849 §2.1: an OAuth 1.0a server confirms it
        raise OAuthCallbackError(f"{what} did not confirm the callback (oauth_callback_confirmed is not 'true')")
    defn = secret_cookie(internal)
    sealed = await internal.jwt.encode(
        {"value": tokens["oauth_token_secret"], "token": tokens["oauth_token"], "provider": provider.id},
        max_age=CHECK_MAX_AGE,
        salt=defn.name,
    )
    cookie = SetCookie(defn.name, sealed, replace(defn.options, expires=expires_in(CHECK_MAX_AGE)))
    endpoint = provider.authorization.url
    url = f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode({'oauth_token': tokens['oauth_token']})}"
    await internal.logger.debug("GET_AUTHORIZATION_URL", {"url": endpoint, "provider": provider.id})
    return AuthResponse(redirect=url, cookies=[cookie])


async def _stored_secret(internal: Internal, provider: OAuthProvider, defn: CookieDef, oauth_token: str) -> str:
    raw = internal.request.cookies.get(defn.name)
    if not raw:
        raise OAuthCallbackError(
            f"The OAuth 1.0a token secret cookie ({defn.name}) was missing from the callback request: the sign-in "
            f"started on another host or scheme (check NEXTAUTH_URL: {internal.url.base}), the browser refused the "
            "cookie, or the sign-in took longer than 15 minutes."
        )
    try:
        payload = await internal.jwt.decode(raw, salt=defn.name)
    except JWTExpiredError:
        raise OAuthCallbackError(f"The OAuth 1.0a token secret cookie ({defn.name}) expired.") from None
    except JWTError as exc:
        raise OAuthCallbackError(
            f"The OAuth 1.0a token secret cookie ({defn.name}) could not be read ({type(exc).__name__})."
        ) from None
    if not payload or not all(isinstance(payload.get(k), str) for k in ("value", "token", "provider")):
        raise OAuthCallbackError(f"The OAuth 1.0a token secret cookie ({defn.name}) holds no secret.")
    if payload["provider"] != provider.id:
        raise OAuthCallbackError(f"The OAuth 1.0a token secret cookie belongs to {payload['provider']!r}.")
    if not hmac.compare_digest(payload["token"].encode(), oauth_token.encode()):
        raise OAuthCallbackError(
            "oauth_token mismatch: the callback's oauth_token is not the request token this sign-in obtained "
            "(a replayed or forged callback, or two sign-ins in the same browser)."
        )
    return str(payload["value"])


async def callback(internal: Internal, provider: OAuthProvider) -> tuple[dict[str, Any] | None, dict[str, Any], Any]:
    """The user (``None`` when ``profile()`` failed; logged), the account and the raw profile.

    Raises :class:`OAuthCallbackError` for anything wrong with the callback or the provider's answers."""
    query = internal.request.query
    if query.get("denied"):
        raise OAuthCallbackError("the user denied access at the provider (denied=...)")
    oauth_token, verifier = query.get("oauth_token"), query.get("oauth_verifier")
    for name, value in (("oauth_token", oauth_token), ("oauth_verifier", verifier)):
        if not isinstance(value, str) or not value or len(value) > MAX_TOKEN_LENGTH:
            raise OAuthCallbackError(f"the callback has no usable {name} parameter")
    assert isinstance(oauth_token, str) and isinstance(verifier, str)
    secret = await _stored_secret(internal, provider, secret_cookie(internal), oauth_token)
    access_url = provider.token.url
    if not access_url or not provider.userinfo.url:
        raise OAuthCallbackError(f"provider {provider.id!r} has no access token or profile URL")
    what = f"the access token endpoint {access_url}"
    response = await _signed(
        internal,
        provider,
        "POST",
        access_url,
        what,
        dict(provider.token.params),
        token=oauth_token,
        token_secret=secret,
        verifier=verifier,
    )
    values = _form(response, what)
    tokens = {"oauth_token": values["oauth_token"], "oauth_token_secret": values["oauth_token_secret"]}
    profile_url = provider.userinfo.url
    what = f"the profile endpoint {profile_url}"
    response = await _signed(
        internal,
        provider,
        "GET",
        profile_url,
        what,
        {k: str(v) for k, v in provider.userinfo.params.items()},
        token=tokens["oauth_token"],
        token_secret=tokens["oauth_token_secret"],
    )
    if response.status_code != 200:
        raise OAuthCallbackError(f"{what} answered {response.status_code}: {response.text[:200]!r}")
    try:
        raw = response.json()
    except ValueError:
        raise OAuthCallbackError(f"{what} did not answer JSON") from None
    if not isinstance(raw, dict):
        raise OAuthCallbackError(f"{what} did not answer a JSON object")
    user = await parse_profile(internal, provider, raw, tokens)
    if user is None:
        return None, {}, raw
    account = {"provider": provider.id, "type": "oauth", "provider_account_id": str(user["id"]), **tokens}
    return user, account, raw


async def callback_result(internal: Internal, provider: OAuthProvider) -> CallbackResult:
    """:func:`callback` as the OAuth callback action takes it, the secret cookie deleted."""
    user, account, raw = await callback(internal, provider)
    deletions = [deletion(secret_cookie(internal))]
    if user is None:
        return CallbackResult(None, None, None, deletions)
    return CallbackResult(user, account, raw, deletions)
