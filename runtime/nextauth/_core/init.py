"""Resolving options: once per handler (:class:`Prepared`) and once per request (:class:`Internal`).

``Prepared`` validates the configuration and wires defaults (callbacks, events, adapter, logger); it is
built when ``NextAuth(options)`` is called, so configuration mistakes surface at startup. ``Internal``
adds what depends on the request: the site URL, the provider of this action, the CSRF token and the
callback URL (next-auth's ``init``).
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from nextauth import jwt as _jwt
from nextauth._core.checks import check_features, warn_credentials_with_database
from nextauth._core.logger import Logger
from nextauth._lib.callback_url import default_redirect, is_valid_http_url
from nextauth._lib.cookies import CookieDef, Cookies, default_cookies
from nextauth._lib.csrf import create_csrf_token
from nextauth._lib.hosts import (
    HostNotAllowedError,
    allowed_hosts_from_env,
    host_allowed,
    parse_option,
    split_host,
    trust_host_from_env,
)
from nextauth._lib.secrets import env_secrets
from nextauth._lib.types import AuthRequest, SetCookie
from nextauth._lib.util import call_user, maybe_await
from nextauth.errors import AdapterError, ConfigurationError
from nextauth.options import AuthOptions, CookieOption
from nextauth.providers import OAuthProvider, Provider

log = logging.getLogger("nextauth")

DEFAULT_URL = "http://localhost:3000/api/auth"


@dataclass(slots=True, frozen=True)
class Url:
    """next-auth's ``InternalUrl``: ``base`` is ``origin + path`` (e.g. ``http://localhost:3000/api/auth``)."""

    origin: str
    host: str
    path: str
    base: str

    def __str__(self) -> str:
        return self.base


def parse_url(value: str | None) -> Url:
    """next-auth's ``parseUrl``: schemeless values get ``https://``; the path defaults to ``/api/auth``."""
    raw = value or DEFAULT_URL
    if not raw.startswith("http"):
        raw = f"https://{raw}"
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise ConfigurationError(f"NEXTAUTH_URL is not a valid URL: {value!r}") from None
    if not parts.hostname or parts.scheme not in ("http", "https"):
        raise ConfigurationError(
            f"NEXTAUTH_URL must be an absolute http(s) URL such as https://example.com, got {value!r}"
        )
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    default_port = 80 if parts.scheme == "http" else 443
    if port is not None and port != default_port:
        host = f"{host}:{port}"
    origin = f"{parts.scheme}://{host}"
    path = parts.path if parts.path not in ("", "/") else "/api/auth"
    path = path.rstrip("/") if path.endswith("/") else path
    return Url(origin=origin, host=host, path=path, base=origin + path)


def _as_str(values: Sequence[str | bytes]) -> list[str]:
    return [v.decode() if isinstance(v, bytes) else v for v in values]


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


def _cookie_def(default: CookieDef, override: CookieOption | None) -> CookieDef:
    return default if override is None else CookieDef(override.name, override.options)


class Prepared:
    """Options resolved and validated once per handler."""

    def __init__(self, options: AuthOptions | Mapping[str, Any]) -> None:
        if isinstance(options, Mapping):
            options = AuthOptions.from_mapping(options)
        elif not isinstance(options, AuthOptions):
            raise ConfigurationError(
                f"NextAuth() expects AuthOptions or a dict of options, got {type(options).__name__}"
            )
        self.options = options
        self.logger = Logger(options.logger, options.debug)
        self.providers: list[Provider] = list(options.providers)
        self.adapter = AdapterProxy(options.adapter, self.logger) if options.adapter is not None else None
        session = options.session
        self.strategy = session.strategy or ("database" if options.adapter is not None else "jwt")
        self.session_max_age = session.max_age
        self.update_age = session.update_age
        self.generate_session_token: Callable[[], Any] = session.generate_session_token or (lambda: str(uuid.uuid4()))
        self.jwt_max_age = options.jwt.max_age
        self.startup_errors: list[ConfigurationError] = []
        self._validate()

    # -- validation -------------------------------------------------------------------------------
    def _validate(self) -> None:
        """Configuration errors that can be known before any request (see also :meth:`assert_request`)."""
        opts = self.options
        ids: set[str] = set()
        for provider in self.providers:
            if not isinstance(provider, Provider):
                raise ConfigurationError(
                    f"every provider must be a provider object (e.g. CredentialsProvider(...)), got {provider!r}"
                )
            if provider.id in ids:
                raise ConfigurationError(f"two providers have the id {provider.id!r}: give one of them another `id`")
            ids.add(provider.id)
            if isinstance(provider, OAuthProvider):
                from nextauth.providers._validate import validate_oauth_provider

                validate_oauth_provider(provider)
        if self.strategy not in ("jwt", "database"):
            raise ConfigurationError(f"session.strategy must be 'jwt' or 'database', got {self.strategy!r}")
        check_features(self.providers, self.strategy, opts.adapter)  # next-auth's errors; adapter methods per feature
        warn_credentials_with_database(self.providers, self.strategy)  # starts, as next-auth does, but says why

    # -- secrets ------------------------------------------------------------------------------------
    def secrets(self, *, pages_path: bool) -> list[str]:
        opts = self.options
        explicit = _as_str(_jwt.secrets_of(opts.secret))
        if explicit:
            return explicit
        if pages_path:  # next-auth's pages adapter also falls back to the deprecated jwt.secret
            jwt_secret = _as_str(_jwt.secrets_of(opts.jwt.secret))
            if jwt_secret:
                return jwt_secret
        return env_secrets()


@dataclass(slots=True)
class Internal:
    """Everything an action needs for one request (next-auth's ``InternalOptions``)."""

    prepared: Prepared
    request: AuthRequest
    url: Url
    secrets: list[str]
    jwt_secrets: list[str]
    cookies: Cookies
    provider: Provider | None
    csrf_token: str = ""
    csrf_verified: bool = False
    callback_url: str = ""
    init_cookies: list[SetCookie] = field(default_factory=list)

    @property
    def options(self) -> AuthOptions:
        return self.prepared.options

    @property
    def logger(self) -> Logger:
        return self.prepared.logger

    @property
    def adapter(self) -> AdapterProxy | None:
        return self.prepared.adapter

    @property
    def use_jwt(self) -> bool:
        return self.prepared.strategy == "jwt"

    # -- tokens ---------------------------------------------------------------------------------
    async def encode(self, token: Mapping[str, Any], *, max_age: int, salt: str = "") -> str:
        custom = self.options.jwt.encode
        if custom is not None:
            return str(
                await call_user(custom, token=dict(token), secret=self.jwt_secrets[0], max_age=max_age, salt=salt)
            )
        return await _jwt.encode(token=token, secret=self.jwt_secrets, max_age=max_age, salt=salt)

    async def decode(self, token: str, *, salt: str = "") -> dict[str, Any] | None:
        custom = self.options.jwt.decode
        if custom is not None:
            result = await call_user(custom, token=token, secret=self.jwt_secrets[0], salt=salt)
            return dict(result) if result is not None else None
        return await _jwt.decode(token=token, secret=self.jwt_secrets, salt=salt)

    # -- callbacks ------------------------------------------------------------------------------
    async def sign_in_callback(self, **kwargs: Any) -> Any:
        fn = self.options.callbacks.sign_in
        return True if fn is None else await call_user(fn, **kwargs)

    async def redirect_callback(self, url: str, base_url: str) -> str:
        fn = self.options.callbacks.redirect
        if fn is None:
            return default_redirect(url, base_url)
        return str(await call_user(fn, url=url, base_url=base_url))

    async def session_callback(self, **kwargs: Any) -> Any:
        fn = self.options.callbacks.session
        return kwargs["session"] if fn is None else await call_user(fn, **kwargs)

    async def jwt_callback(self, **kwargs: Any) -> Any:
        fn = self.options.callbacks.jwt
        return kwargs["token"] if fn is None else await call_user(fn, **kwargs)

    async def emit(self, event: str, **kwargs: Any) -> None:
        """Run an event handler; its exceptions are logged as ``<EVENT>_EVENT_ERROR`` and swallowed."""
        fn = getattr(self.options.events, event, None)
        if fn is None:
            return
        try:
            await call_user(fn, **kwargs)
        except Exception as exc:
            await self.logger.error(f"{event.upper()}_EVENT_ERROR", exc)


def resolve_cookies(options: AuthOptions, url: Url) -> Cookies:
    secure = options.use_secure_cookies if options.use_secure_cookies is not None else url.base.startswith("https://")
    cookies = default_cookies(secure)
    user = options.cookies
    return Cookies(
        session_token=_cookie_def(cookies.session_token, user.session_token),
        callback_url=_cookie_def(cookies.callback_url, user.callback_url),
        csrf_token=_cookie_def(cookies.csrf_token, user.csrf_token),
        pkce_code_verifier=_cookie_def(cookies.pkce_code_verifier, user.pkce_code_verifier),
        state=_cookie_def(cookies.state, user.state),
        nonce=_cookie_def(cookies.nonce, user.nonce),
    )


def trust_host_enabled(options: AuthOptions) -> bool:
    """The trust-host switch: the option when set, else ``AUTH_TRUST_HOST``/``VERCEL`` (see ``_hosts``)."""
    return options.trust_host if options.trust_host is not None else trust_host_from_env()


def detect_origin(request: AuthRequest, options: AuthOptions) -> str | None:
    """next-auth 4.24.15's ``detectOrigin``: NEXTAUTH_URL wins; a forwarded host only when trusted, and then
    only a host in the allowed hosts (:class:`HostNotAllowedError` otherwise) when any are configured."""
    url = os.environ.get("NEXTAUTH_URL")
    if url:
        return url
    if trust_host_enabled(options):
        host = request.headers.get("x-forwarded-host") or request.headers.get("host")
        if host:
            proto = request.headers.get("x-forwarded-proto")
            scheme = "http" if proto == "http" else "https"
            allowed = (parse_option(tuple(options.allowed_hosts)) if options.allowed_hosts else ()) or (
                allowed_hosts_from_env()
            )
            # A value that is not a plain host ("a b", "x@y", a list) is refused even with no list: the URL
            # built from it would fail to parse (a 500) or name another host ("site@evil" is evil).
            refused = (not host_allowed(host, scheme, allowed)) if allowed else (split_host(host) is None)
            if refused:
                raise HostNotAllowedError(host)
            return f"{scheme}://{host}"
    return None


async def init(prepared: Prepared, request: AuthRequest, url: Url, secrets_: list[str]) -> Internal:
    """next-auth's ``init``: CSRF token and cookie, callback URL and cookie, provider lookup."""
    options = prepared.options
    jwt_secrets = _as_str(_jwt.secrets_of(options.jwt.secret)) or secrets_
    provider = next((p for p in prepared.providers if p.id == request.provider_id), None)
    internal = Internal(
        prepared=prepared,
        request=request,
        url=url,
        secrets=secrets_,
        jwt_secrets=jwt_secrets,
        cookies=resolve_cookies(options, url),
        provider=provider,
        callback_url=url.origin,
    )
    body = request.body or {}
    csrf = create_csrf_token(
        cookie_value=request.cookies.get(internal.cookies.csrf_token.name),
        secrets_=secrets_,
        is_post=request.method == "POST",
        body_value=body.get("csrfToken"),
    )
    internal.csrf_token = csrf.token
    internal.csrf_verified = csrf.verified
    if csrf.cookie_value is not None:
        internal.init_cookies.append(
            SetCookie(internal.cookies.csrf_token.name, csrf.cookie_value, internal.cookies.csrf_token.options)
        )
    # callbackUrl: body, then query (next-auth's `??`), then the cookie.
    param = body.get("callbackUrl")
    if param is None:
        param = request.query.get("callbackUrl")
    cookie_value = request.cookies.get(internal.cookies.callback_url.name)
    if cookie_value is not None and not is_valid_http_url(cookie_value):
        cookie_value = None  # a poisoned cookie is ignored and overwritten (next-auth locks the user out)
    callback_url = url.origin
    if isinstance(param, str) and param:
        callback_url = await internal.redirect_callback(param, url.origin)
    elif cookie_value:
        callback_url = await internal.redirect_callback(cookie_value, url.origin)
    internal.callback_url = callback_url
    if callback_url != cookie_value:
        internal.init_cookies.append(
            SetCookie(internal.cookies.callback_url.name, callback_url, internal.cookies.callback_url.options)
        )
    return internal
