"""/callback/:provider: finish an OAuth, email or credentials sign-in and issue the session."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from nextauth._core import rate_limit
from nextauth._core.actions._common import token_from_user, with_query
from nextauth._core.callback_handler import Outcome, callback_handler
from nextauth._core.init import Internal
from nextauth._core.refresh import claims_at_sign_in, store_tokens_at_sign_in
from nextauth._lib.cookies import SessionStore, encode_uri_component, with_expiry
from nextauth._lib.types import AuthResponse, SetCookie
from nextauth._lib.util import as_dict, as_utc, call_positional, utcnow
from nextauth.errors import AccountNotLinkedError, AdapterError, OAuthCallbackError
from nextauth.providers import CredentialsProvider, EmailProvider, OAuthProvider


async def callback(internal: Internal) -> AuthResponse:
    provider, store = internal.provider, internal.store
    if isinstance(provider, OAuthProvider):
        return await _oauth(internal, provider, store)
    if isinstance(provider, EmailProvider):
        return await _email(internal, provider, store)
    if isinstance(provider, CredentialsProvider) and internal.request.method == "POST":
        return await _credentials(internal, provider, store)
    kind = provider.type if provider is not None else "unknown"
    return AuthResponse(status=500, body=f"Error: Callback for provider type {kind} not supported")


def _error(
    internal: Internal, code: str, *, status: int | None = None, cookies: list[SetCookie] | None = None
) -> AuthResponse:
    return AuthResponse(status=status, redirect=f"{internal.url.base}/error?error={code}", cookies=cookies or [])


async def _issue_session(
    internal: Internal, store: SessionStore, outcome: Outcome, jwt_args: dict[str, Any]
) -> list[SetCookie]:
    """The session cookie(s) after a successful sign-in: a JWT (``jwt_args`` are the jwt callback's
    arguments besides ``token``), or the database session's token."""
    if internal.use_jwt:
        return await _jwt_cookies(internal, store, outcome.user, jwt_args)
    session = outcome.session or {}
    cookie = internal.cookies.session_token
    expires = session.get("expires")
    return [
        SetCookie(
            cookie.name,
            str(session.get("session_token", "")),
            with_expiry(cookie.options, as_utc(expires) if expires is not None else None),
        )
    ]


async def _jwt_cookies(
    internal: Internal, store: SessionStore, user: dict[str, Any], jwt_args: dict[str, Any]
) -> list[SetCookie]:
    """Run the jwt callback on the default claims and encode the result (``jwt.max_age``) into the cookie,
    which expires with ``session.max_age``; a ``None`` token clears the cookie instead.

    ``jwt_args`` are exactly the other keys next-auth passes for this kind of sign-in (see
    :mod:`nextauth.events`): OAuth ``user, account, profile, is_new_user, trigger``; email the same without
    ``profile``; credentials ``user, account, is_new_user=False, trigger="signIn"``."""
    prepared = internal.prepared
    claims = {
        **token_from_user(user),
        **claims_at_sign_in(internal.options, internal.provider, jwt_args.get("account")),
    }
    token = await internal.callbacks.jwt(token=claims, **jwt_args)
    if token is None:
        return store.clean()
    encoded = await internal.jwt.encode(token, max_age=prepared.jwt_max_age)
    return store.chunk(encoded, utcnow() + timedelta(seconds=prepared.session_max_age))


def _landing(internal: Internal, outcome: Outcome) -> str:
    new_user_page = internal.options.pages.new_user
    if outcome.is_new_user and new_user_page:
        return with_query(new_user_page, callbackUrl=encode_uri_component(internal.callback_url))
    return internal.callback_url


async def _sign_in_gate(
    internal: Internal, cookies: list[SetCookie], *, denied_status: int | None = None, **kwargs: Any
) -> AuthResponse | None:
    """Run the sign_in callback: ``None`` to continue, else the response that ends the sign-in
    (``denied_status`` is the status of an ``AccessDenied``: 403 for credentials, as next-auth)."""
    try:
        allowed = await internal.callbacks.sign_in(**kwargs)
    except Exception as exc:
        return _error(internal, encode_uri_component(str(exc)), cookies=cookies)
    if isinstance(allowed, str):
        return AuthResponse(redirect=allowed, cookies=cookies)
    if not allowed:
        return _error(internal, "AccessDenied", status=denied_status, cookies=cookies)
    return None


async def _oauth(internal: Internal, provider: OAuthProvider, store: SessionStore) -> AuthResponse:
    from nextauth._core.oauth.callback import oauth_callback

    base = internal.url.base
    try:
        result = await oauth_callback(internal, provider)
    except OAuthCallbackError as exc:
        await internal.logger.error("OAUTH_CALLBACK_ERROR", {"error": exc, "provider_id": provider.id})
        return _error(internal, "OAuthCallback")
    except Exception as exc:
        await internal.logger.error("OAUTH_CALLBACK_ERROR", {"error": exc, "provider_id": provider.id})
        return _error(internal, "Callback")
    cookies = list(result.cookies)
    try:
        if result.user is None or result.account is None or result.profile is None:
            return AuthResponse(redirect=f"{base}/signin", cookies=cookies)
        user_or_profile = result.user
        if internal.adapter is not None:
            by_account = await internal.adapter.call(
                "get_user_by_account", provider.id, result.account["provider_account_id"]
            )
            if by_account:
                user_or_profile = by_account
        # next-auth: callbacks.signIn({user, account, profile}) with the provider's raw profile (OAuthProfile).
        stop = await _sign_in_gate(
            internal, cookies, user=user_or_profile, account=result.account, profile=result.profile
        )
        if stop is not None:
            return stop
        outcome = await callback_handler(
            internal, session_token=store.value or None, profile=result.user, account=result.account
        )
        if not internal.use_jwt and internal.adapter is not None:
            await store_tokens_at_sign_in(internal.options, internal.provider, internal.adapter, result.account)
        jwt_args = {
            "user": outcome.user,
            "account": result.account,
            "profile": result.profile,  # raw, as for the sign_in callback
            "is_new_user": outcome.is_new_user,
            "trigger": "signUp" if outcome.is_new_user else "signIn",
        }
        cookies.extend(await _issue_session(internal, store, outcome, jwt_args))
        # The event's `profile` is the profile() *output* (the normalised user), not the raw claims.
        await internal.events.emit(
            "sign_in",
            user=outcome.user,
            account=result.account,
            profile=result.user,
            is_new_user=outcome.is_new_user,
        )
        return AuthResponse(redirect=_landing(internal, outcome), cookies=cookies)
    except AccountNotLinkedError:
        return _error(internal, "OAuthAccountNotLinked", cookies=cookies)
    except AdapterError as exc:
        if exc.name == "CreateUserError":
            return _error(internal, "OAuthCreateAccount", cookies=cookies)
        await internal.logger.error("OAUTH_CALLBACK_HANDLER_ERROR", exc)
        return _error(internal, "Callback", cookies=cookies)
    except Exception as exc:
        await internal.logger.error("OAUTH_CALLBACK_HANDLER_ERROR", exc)
        return _error(internal, "Callback", cookies=cookies)


async def _email(internal: Internal, provider: EmailProvider, store: SessionStore) -> AuthResponse:
    from nextauth._core import email as email_lib

    query = internal.request.query
    adapter = internal.adapter
    assert adapter is not None  # rejected at startup otherwise
    try:
        token = query.get("token")
        identifier = query.get("email")
        if not token:
            return _error(internal, "configuration")
        hashed = email_lib.hash_token(token, provider.secret or internal.secrets[0])
        invite = await adapter.call("use_verification_token", identifier or "", hashed) if identifier else None
        if not invite:
            return _error(internal, "Verification")
        if as_utc(invite["expires"]) < utcnow() or invite.get("identifier") != identifier:
            return _error(internal, "Verification")
        email = invite["identifier"]
        profile = await adapter.call("get_user_by_email", email) or {
            "id": email,
            "email": email,
            "email_verified": None,
        }
        # next-auth's account here has no userId (the one at /signin/email has), and no profile is passed on.
        account = {"provider_account_id": profile.get("email"), "type": "email", "provider": provider.id}
        stop = await _sign_in_gate(internal, [], user=profile, account=account)
        if stop is not None:
            return stop
        outcome = await callback_handler(internal, session_token=store.value or None, profile=profile, account=account)
        jwt_args = {
            "user": outcome.user,
            "account": account,
            "is_new_user": outcome.is_new_user,
            "trigger": "signUp" if outcome.is_new_user else "signIn",
        }
        cookies = await _issue_session(internal, store, outcome, jwt_args)
        await internal.events.emit("sign_in", user=outcome.user, account=account, is_new_user=outcome.is_new_user)
        return AuthResponse(redirect=_landing(internal, outcome), cookies=cookies)
    except AdapterError as exc:
        if exc.name == "CreateUserError":
            return _error(internal, "EmailCreateAccount")
        await internal.logger.error("CALLBACK_EMAIL_ERROR", exc)
        return _error(internal, "Callback")
    except Exception as exc:
        await internal.logger.error("CALLBACK_EMAIL_ERROR", exc)
        return _error(internal, "Callback")


async def _credentials(internal: Internal, provider: CredentialsProvider, store: SessionStore) -> AuthResponse:
    req = internal.request
    credentials = dict(req.body or {})
    request_info = {"query": dict(req.query), "body": credentials, "headers": dict(req.headers), "method": req.method}
    limited = await rate_limit.before_credentials(internal, credentials)
    if limited is not None:
        return limited
    try:
        raw_user = await call_positional(provider.authorize, credentials, request_info)
    except Exception as exc:
        return _error(internal, encode_uri_component(str(exc)), status=401)
    if not raw_user:
        query = urlencode({"error": "CredentialsSignin", "provider": provider.id})
        return AuthResponse(status=401, redirect=f"{internal.url.base}/error?{query}")
    user = as_dict(raw_user)
    await rate_limit.after_credentials_success(internal, credentials)
    account = {"provider_account_id": user.get("id"), "type": "credentials", "provider": provider.id}
    stop = await _sign_in_gate(internal, [], denied_status=403, user=user, account=account, credentials=credentials)
    if stop is not None:
        return stop
    jwt_args = {"user": user, "account": account, "is_new_user": False, "trigger": "signIn"}
    cookies = await _jwt_cookies(internal, store, user, jwt_args)
    await internal.events.emit("sign_in", user=user, account=account)  # next-auth: {user, account} only
    return AuthResponse(redirect=internal.callback_url, cookies=cookies)
