"""POST /signin/:provider: start an OAuth flow or send an email sign-in link."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from nextauth._core.init import Internal
from nextauth._lib.types import AuthResponse
from nextauth._lib.util import call_user, utcnow
from nextauth.providers import EmailProvider, OAuthProvider


async def signin(internal: Internal) -> AuthResponse:
    provider = internal.provider
    base = internal.url.base
    if isinstance(provider, OAuthProvider):
        from nextauth._core.oauth.authorization_url import authorization_url

        try:
            return await authorization_url(internal, provider)
        except Exception as exc:
            await internal.logger.error("SIGNIN_OAUTH_ERROR", {"error": exc, "provider_id": provider.id})
            return AuthResponse(redirect=f"{base}/error?error=OAuthSignin")
    if isinstance(provider, EmailProvider):
        return await _email_signin(internal, provider)
    return AuthResponse(redirect=f"{base}/signin")


async def _email_signin(internal: Internal, provider: EmailProvider) -> AuthResponse:
    from nextauth._core import email as _email

    base = internal.url.base
    body = internal.request.body or {}
    raw = body.get("email")
    if not raw or not isinstance(raw, str):
        return AuthResponse(redirect=f"{base}/error?error=EmailSignin")
    try:
        if provider.normalize_identifier is not None:
            email = str(await call_user(provider.normalize_identifier, identifier=raw))
        else:
            email = _email.normalize_identifier(raw)
    except Exception as exc:
        await internal.logger.error("SIGNIN_EMAIL_ERROR", {"error": exc, "provider_id": provider.id})
        return AuthResponse(redirect=f"{base}/error?error=EmailSignin")

    from nextauth._core.rate_limit import before_email

    limited = await before_email(internal, email)
    if limited is not None:
        return limited
    adapter = internal.adapter
    assert adapter is not None  # the email provider without an adapter is rejected at startup
    user: dict[str, Any] = await adapter.call("get_user_by_email", email) or {
        "id": email,
        "email": email,
        "email_verified": None,
    }
    account = {"provider_account_id": email, "user_id": email, "type": "email", "provider": provider.id}
    try:
        # next-auth: callbacks.signIn({user, account, email: {verificationRequest: true}}), nothing else.
        allowed = await internal.callbacks.sign_in(user=user, account=account, email={"verification_request": True})
    except Exception as exc:
        return AuthResponse(redirect=f"{base}/error?{urlencode({'error': f'{type(exc).__name__}: {exc}'})}")
    if isinstance(allowed, str):
        return AuthResponse(redirect=allowed)
    if not allowed:
        return AuthResponse(redirect=f"{base}/error?error=AccessDenied")

    try:
        if provider.generate_verification_token is not None:
            token = str(await call_user(provider.generate_verification_token))
        else:
            token = _email.generate_token()
        expires = utcnow() + timedelta(seconds=provider.max_age)
        query = urlencode({"callbackUrl": internal.callback_url, "token": token, "email": email})
        url = f"{base}/callback/{provider.id}?{query}"
        hashed = _email.hash_token(token, provider.secret or internal.secrets[0])
        sender = provider.send_verification_request or _email.send_verification_request
        import anyio

        async with anyio.create_task_group() as tg:
            tg.start_soon(
                _run,
                sender,
                {
                    "identifier": email,
                    "token": token,
                    "expires": expires,
                    "url": url,
                    "provider": provider,
                    "theme": internal.options.theme,
                },
            )
            tg.start_soon(_store, adapter, {"identifier": email, "token": hashed, "expires": expires})
    except Exception as exc:
        await internal.logger.error("SIGNIN_EMAIL_ERROR", {"error": _root(exc), "provider_id": provider.id})
        return AuthResponse(redirect=f"{base}/error?error=EmailSignin")
    return AuthResponse(redirect=f"{base}/verify-request?{urlencode({'provider': provider.id, 'type': 'email'})}")


async def _run(sender: Any, kwargs: dict[str, Any]) -> None:
    await call_user(sender, **kwargs)


async def _store(adapter: Any, record: dict[str, Any]) -> None:
    await adapter.call("create_verification_token", record)


def _root(exc: BaseException) -> BaseException:
    """The first real error inside an exception group (from the concurrent send + store)."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return exc
