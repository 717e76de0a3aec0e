"""POST /_log: next-auth/react's client logger, forwarded to the user's ``logger`` option (if any)."""

from __future__ import annotations

from nextauth._core.init import Internal
from nextauth._lib.types import AuthResponse
from nextauth._lib.util import maybe_await


async def log(internal: Internal) -> AuthResponse:
    user_logger = internal.options.logger
    if user_logger is not None:
        body = dict(internal.request.body or {})
        level = body.pop("level", None)
        code = body.pop("code", None)
        fn = getattr(user_logger, level, None) if level in ("error", "warn", "debug") else None
        try:
            if fn is None:
                raise ValueError(f"unknown log level {level!r}")
            await maybe_await(fn(code, body))
        except Exception as exc:
            await internal.logger.error("LOGGER_ERROR", exc)
    return AuthResponse()
