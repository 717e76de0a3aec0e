"""GET /session (read, with a rolling expiry) and POST /session (``useSession().update()``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from nextauth._core import refresh
from nextauth._core.actions._common import json_response, user_view
from nextauth._core.init import Internal
from nextauth._lib.cookies import SessionStore, with_expiry
from nextauth._lib.types import AuthResponse, SetCookie
from nextauth._lib.util import as_utc, iso_ms, utcnow
from nextauth.errors import JWTError


async def session(internal: Internal) -> AuthResponse:
    """GET: the session as JSON (``{}`` when there is none); refreshes the cookie on every read."""
    return await _session(internal, is_update=False, new_session=None)


async def update_session(internal: Internal) -> AuthResponse:
    """POST (CSRF-checked by the route table): ``update()``'s ``data`` reaches the jwt and session callbacks."""
    return await _session(internal, is_update=True, new_session=(internal.request.body or {}).get("data"))


async def _session(internal: Internal, *, is_update: bool, new_session: Any) -> AuthResponse:
    store = internal.store
    response = json_response({}, no_cache=not is_update)
    token = store.value
    if not token:
        return response
    if internal.use_jwt:
        await _jwt_session(internal, store, token, response, is_update=is_update, new_session=new_session)
    else:
        await _database_session(internal, store, token, response, is_update=is_update, new_session=new_session)
    return response


async def _jwt_session(
    internal: Internal, store: SessionStore, token: str, response: AuthResponse, *, is_update: bool, new_session: Any
) -> None:
    prepared = internal.prepared
    try:
        decoded = await internal.jwt.decode(token)
        if decoded is None:
            raise JWTError("the session token decoded to nothing")
        if prepared.refreshes:
            decoded = await refresh.refresh_token_claims(internal.options, decoded, internal.logger)
        kwargs: dict[str, Any] = {"token": decoded, "session": new_session}
        if is_update:
            kwargs["trigger"] = "update"
        new_token = await internal.callbacks.jwt(**kwargs)
        if new_token is None:
            response.cookies.extend(store.clean())
            return
        expires = utcnow() + timedelta(seconds=prepared.session_max_age)
        default = {"user": user_view(decoded, image_key="picture"), "expires": iso_ms(expires)}
        if prepared.refreshes and new_token.get("error") == refresh.REFRESH_ERROR:
            default["error"] = refresh.REFRESH_ERROR  # next-auth's recipe: session.error = token.error
        body = await internal.callbacks.session(session=default, token=new_token)
        response.body = body
        encoded = await internal.jwt.encode(new_token, max_age=prepared.session_max_age)
        response.cookies.extend(store.chunk(encoded, expires))
        await internal.events.emit("session", session=body, token=new_token)
    except Exception as exc:
        # An undecryptable or expired cookie (a rotated secret, a stale browser) is "no session":
        # clear it, and log once at debug level where next-auth logs an error on every request.
        if isinstance(exc, JWTError):
            await internal.logger.debug("JWT_SESSION_ERROR", exc)
        else:
            await internal.logger.error("JWT_SESSION_ERROR", exc)
        response.cookies.extend(store.clean())


async def _database_session(
    internal: Internal, store: SessionStore, token: str, response: AuthResponse, *, is_update: bool, new_session: Any
) -> None:
    prepared = internal.prepared
    adapter = internal.adapter
    assert adapter is not None  # database strategy without an adapter is rejected at startup
    try:
        found = await adapter.call("get_session_and_user", token)
        if found:
            db_session, user = found
            expires_at = as_utc(db_session["expires"])
            if expires_at < utcnow():
                await adapter.call("delete_session", token)
                found = None
        if not found:
            response.cookies.extend(store.clean())
            return
        now = utcnow()
        new_expires = now + timedelta(seconds=prepared.session_max_age)
        due = expires_at - timedelta(seconds=prepared.session_max_age) + timedelta(seconds=prepared.update_age)
        if due <= now:
            await adapter.call("update_session", {"session_token": token, "expires": new_expires})
        default: dict[str, Any] = {"user": user_view(user), "expires": iso_ms(expires_at)}
        if prepared.refreshes:
            error = await refresh.refresh_user_accounts(internal.options, adapter, user["id"], internal.logger)
            if error is not None:
                default["error"] = error
        kwargs: dict[str, Any] = {
            "session": default,
            "user": user,
            "new_session": new_session,
        }
        if is_update:
            kwargs["trigger"] = "update"
        body = await internal.callbacks.session(**kwargs)
        response.body = body
        cookie = internal.cookies.session_token
        response.cookies.append(SetCookie(cookie.name, token, with_expiry(cookie.options, new_expires)))
        await internal.events.emit("session", session=body)
    except Exception as exc:
        await internal.logger.error("SESSION_ERROR", exc)
