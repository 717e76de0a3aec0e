"""The roles a request's :class:`~nextauth._core.init.Internal` hands out, one small object each.

:class:`AdapterProxy` (the adapter, every call logged), :class:`JwtCodec` (session and check tokens),
:class:`Callbacks` (the user's callbacks with next-auth's defaults) and :class:`Events` (the user's event
handlers, failures logged). None of them knows the request; ``init`` builds the codec per request (it holds the
secrets) and ``Prepared`` the others once per handler.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nextauth import jwt as _jwt
from nextauth._core.logger import Logger
from nextauth._lib.callback_url import default_redirect
from nextauth._lib.util import call_user, maybe_await
from nextauth.errors import AdapterError
from nextauth.options import CallbacksOptions, EventsOptions, JWTOptions


class AdapterProxy:
    """Calls adapter methods with next-auth's logging: ``adapter_<method>`` at debug level, and on
    failure ``adapter_error_<method>`` plus an :class:`AdapterError` named like ``CreateUserError``."""

    def __init__(self, adapter: Any, logger: Logger) -> None:
        self._adapter = adapter
        self._logger = logger

    def has(self, method: str) -> bool:
        return callable(getattr(self._adapter, method, None))

    async def call(self, method: str, *args: Any, recoverable: bool = False) -> Any:
        """Call ``method``. With ``recoverable`` the caller handles a failure (a lost race it can resolve)
        and logs it itself if it cannot, so the failure is logged at debug level here."""
        fn = getattr(self._adapter, method, None)
        if not callable(fn):
            raise AdapterError(method, NotImplementedError(f"the adapter has no {method}()"))
        await self._logger.debug(f"adapter_{method}", {"args": len(args)})
        try:
            result = await maybe_await(fn(*args))
        except Exception as exc:
            log = self._logger.debug if recoverable else self._logger.error
            await log(f"adapter_error_{method}", exc)
            raise AdapterError(method, exc) from exc
        return result


class JwtCodec:
    """Encrypts and reads tokens with the request's secrets: the user's ``jwt.encode``/``jwt.decode`` when
    given (with the current secret, as next-auth passes it), else :mod:`nextauth.jwt` (every secret).

    ``salt=None`` means the session token: written in ``session_format`` (Auth.js v5's salt is the session
    cookie's name, next-auth v4's is empty), read in whichever format it arrived."""

    __slots__ = ("_options", "secrets", "session_cookie", "session_format")

    def __init__(
        self, options: JWTOptions, secrets: list[str], session_cookie: str = "", session_format: str = "v4"
    ) -> None:
        self._options = options
        self.secrets = secrets
        self.session_cookie = session_cookie
        self.session_format: _jwt.TokenFormat = "v5" if session_format == "v5" else "v4"

    async def encode(self, token: Mapping[str, Any], *, max_age: int, salt: str | None = None) -> str:
        fmt: _jwt.TokenFormat = "v4"
        if salt is None:
            fmt = self.session_format
            salt = self.session_cookie if fmt == "v5" else ""
        custom = self._options.encode
        if custom is not None:
            return str(await call_user(custom, token=dict(token), secret=self.secrets[0], max_age=max_age, salt=salt))
        return _jwt.encode_token(token, self.secrets, max_age, salt, fmt)

    async def decode(self, token: str, *, salt: str | None = None) -> dict[str, Any] | None:
        if salt is None:
            salt = _jwt.session_salt(token, self.session_cookie)
        custom = self._options.decode
        if custom is not None:
            result = await call_user(custom, token=token, secret=self.secrets[0], salt=salt)
            return dict(result) if result is not None else None
        return _jwt.decode_token(token, self.secrets, salt)


class Callbacks:
    """The user's callbacks, each with next-auth's default when not given."""

    __slots__ = ("_callbacks",)

    def __init__(self, callbacks: CallbacksOptions) -> None:
        self._callbacks = callbacks

    async def sign_in(self, **kwargs: Any) -> Any:
        fn = self._callbacks.sign_in
        return True if fn is None else await call_user(fn, **kwargs)

    async def redirect(self, url: str, base_url: str) -> str:
        fn = self._callbacks.redirect
        if fn is None:
            return default_redirect(url, base_url)
        return str(await call_user(fn, url=url, base_url=base_url))

    async def session(self, **kwargs: Any) -> Any:
        fn = self._callbacks.session
        return kwargs["session"] if fn is None else await call_user(fn, **kwargs)

    async def jwt(self, **kwargs: Any) -> Any:
        fn = self._callbacks.jwt
        return kwargs["token"] if fn is None else await call_user(fn, **kwargs)


class Events:
    """The user's event handlers; a handler's exception is logged as ``<EVENT>_EVENT_ERROR`` and swallowed."""

    __slots__ = ("_events", "_logger")

    def __init__(self, events: EventsOptions, logger: Logger) -> None:
        self._events = events
        self._logger = logger

    async def emit(self, event: str, **kwargs: Any) -> None:
        fn = getattr(self._events, event, None)
        if fn is None:
            return
        try:
            await call_user(fn, **kwargs)
        except Exception as exc:
            await self._logger.error(f"{event.upper()}_EVENT_ERROR", exc)
