"""POST /signout: end the session (JWT: decode for the event; database: delete the row)."""

from __future__ import annotations

from nextauth._core.init import Internal
from nextauth._lib.types import AuthResponse


async def signout(internal: Internal) -> AuthResponse:
    store = internal.store
    token = store.value
    if not token:
        return AuthResponse(redirect=internal.callback_url)
    if internal.use_jwt:
        try:
            decoded = await internal.jwt.decode(token)
            await internal.events.emit("sign_out", token=decoded)
        except Exception as exc:
            await internal.logger.debug("SIGNOUT_ERROR", exc)
    else:
        try:
            assert internal.adapter is not None
            deleted = await internal.adapter.call("delete_session", token)
            await internal.events.emit("sign_out", session=deleted)
        except Exception as exc:
            await internal.logger.error("SIGNOUT_ERROR", exc)
    return AuthResponse(redirect=internal.callback_url, cookies=store.clean())
