"""Resolving options: once per handler (:class:`Prepared`) and once per request (:func:`init`).

``Prepared`` validates the configuration and wires defaults (callbacks, events, adapter, logger); it is
built when ``NextAuth(options)`` is called, so configuration mistakes surface at startup. :func:`init` is the
one request set-up step (next-auth's ``assertConfig`` then ``init``): the origin and URL, the secrets, the
request's assertions, the provider of this action, the session store, the CSRF token and the callback URL,
all in an :class:`Internal`. Every action is ``async def action(internal: Internal) -> AuthResponse``.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nextauth import jwt as _jwt
from nextauth._core.checks import check_features, warn_credentials_with_database
from nextauth._core.logger import Logger, once
from nextauth._core.refresh import any_enabled as any_refresh_enabled
from nextauth._core.roles import AdapterProxy, Callbacks, Events, JwtCodec
from nextauth._core.session_cookie import session_store, store_format
from nextauth._lib.callback_url import is_valid_http_url
from nextauth._lib.cookies import CookieDef, Cookies, SessionStore, default_cookies
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
from nextauth._lib.url import Url, parse_url
from nextauth.errors import ConfigurationError, InvalidCallbackUrlError, MissingAPIRouteError, MissingSecretError
from nextauth.options import AuthOptions, CookieOption
from nextauth.providers import OAuthProvider, Provider

log = logging.getLogger("nextauth")


def _as_str(values: Sequence[str | bytes]) -> list[str]:
    return [v.decode() if isinstance(v, bytes) else v for v in values]


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
        self.callbacks = Callbacks(options.callbacks)
        self.events = Events(options.events, self.logger)
        session = options.session
        self.strategy = session.strategy or ("database" if options.adapter is not None else "jwt")
        self.session_max_age = session.max_age
        self.update_age = session.update_age
        self.generate_session_token: Callable[[], Any] = session.generate_session_token or (lambda: str(uuid.uuid4()))
        self.jwt_max_age = options.jwt.max_age
        self.startup_errors: list[ConfigurationError] = []
        self._cookies: dict[bool, Cookies] = {}
        self._validate()
        # Read once, like the rest of the options (the environment's secrets are read per request: see secrets()).
        self._by_id: dict[str, Provider] = {p.id: p for p in self.providers}
        self._secret = _as_str(_jwt.secrets_of(options.secret))
        self._jwt_secret = _as_str(_jwt.secrets_of(options.jwt.secret))
        self._codecs: dict[tuple[tuple[str, ...], str, str], JwtCodec] = {}
        self.refreshes = any_refresh_enabled(options)
        """Whether any provider's tokens are kept fresh (``refresh_tokens``): session reads look only then."""

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

    def cookies_for(self, url: Url) -> Cookies:
        """The cookie definitions for ``url``: they depend only on whether it is https (and on the options, read
        once per handler like the rest of them), so they are built once per scheme, not per request. The result
        is shared: never change it (``session_store`` copies it to swap the session cookie)."""
        secure = url.base.startswith("https://")
        c = self._cookies.get(secure)
        if c is None:
            c = self._cookies[secure] = resolve_cookies(self.options, url)
        return c

    # -- secrets ------------------------------------------------------------------------------------
    def secrets(self, *, pages_path: bool) -> list[str]:
        """The request's secrets, the current one first: ``secret``, else (pages layout) the deprecated
        ``jwt.secret``, else the environment's. Callers must not change the list."""
        if self._secret:
            return self._secret
        if pages_path and self._jwt_secret:  # next-auth's pages adapter also falls back to the deprecated jwt.secret
            return self._jwt_secret
        return env_secrets()

    def provider(self, provider_id: str | None) -> Provider | None:
        return self._by_id.get(provider_id) if provider_id is not None else None

    def codec(self, secrets_: list[str], cookie_name: str, token_format: str) -> JwtCodec:
        """The token codec for the request's secrets and session cookie (``jwt.secret`` wins when set); one per
        combination, since they repeat from request to request."""
        chosen = self._jwt_secret or secrets_
        key = (tuple(chosen), cookie_name, token_format)
        codec = self._codecs.get(key)
        if codec is None:
            if len(self._codecs) >= 64:  # a rotated secret or a renamed cookie leaves old entries behind
                self._codecs.clear()
            codec = self._codecs[key] = JwtCodec(self.options.jwt, list(chosen), cookie_name, token_format)
        return codec


@dataclass(slots=True)
class Internal:
    """Everything an action needs for one request (next-auth's ``InternalOptions``), built by ``init``."""

    prepared: Prepared
    request: AuthRequest
    url: Url
    secrets: list[str]
    cookies: Cookies
    provider: Provider | None
    store: SessionStore
    """The session cookie as the request sent it (chunks joined), and the cookies that rewrite or clear it."""
    jwt: JwtCodec
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
    def callbacks(self) -> Callbacks:
        return self.prepared.callbacks

    @property
    def events(self) -> Events:
        return self.prepared.events

    @property
    def use_jwt(self) -> bool:
        return self.prepared.strategy == "jwt"


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


def assert_request(request: AuthRequest, secrets_: list[str]) -> None:
    """next-auth's ``assertConfig`` for one request: a secret, the catch-all route, a valid ``callbackUrl``."""
    if not secrets_:
        raise MissingSecretError(
            "Please define a `secret`: set NEXTAUTH_SECRET in .env.local (run `nextauth secret --write` to "
            "generate one) or pass secret=... to AuthOptions."
        )
    if not request.action:
        raise MissingAPIRouteError(
            "Cannot find [...nextauth] in the request's catch-all parameters: is the route file named "
            "`[...nextauth]`? (pages/api/auth/[...nextauth].py or app/api/auth/[...nextauth]/route.py)"
        )
    query_url = request.query.get("callbackUrl")
    if query_url and not is_valid_http_url(query_url):
        raise InvalidCallbackUrlError(
            "Invalid callback URL in the query: it must be a relative path or an absolute http(s) URL"
        )


def check_host(request: AuthRequest, url: Url) -> None:
    """Log the base URL once, and warn once when requests arrive for another host than NEXTAUTH_URL's."""
    if once(f"base-url:{url.base}"):
        log.info("nextauth: base URL %s", url.base)
    host = request.headers.get("x-forwarded-host") or request.headers.get("host")
    if not host:
        return
    proto = request.headers.get("x-forwarded-proto")
    scheme_differs = proto is not None and proto.split(",")[0].strip() != url.origin.split(":", 1)[0]
    if (host.lower() != url.host or scheme_differs) and once(f"host-mismatch:{url.base}"):
        seen = f"{proto.split(',')[0].strip() + '://' if proto else ''}{host}"
        log.warning(
            "nextauth: a request arrived for %s but URLs are built for %s (NEXTAUTH_URL). Redirects and cookies "
            "will point there. If this app is reached through a proxy or another domain, set NEXTAUTH_URL to the "
            "public URL (or AUTH_TRUST_HOST=true / AuthOptions(trust_host=True) when the proxy sets "
            "X-Forwarded-Host and NEXTAUTH_URL is unset).",
            seen,
            url.base,
        )


async def init(prepared: Prepared, request: AuthRequest, *, pages_path: bool = False) -> Internal:
    """The request set-up, once per request. Raises :class:`HostNotAllowedError` for a host it will not build
    URLs from and :class:`ConfigurationError` (a subclass with next-auth's code) for what ``assertConfig``
    refuses; the dispatcher answers both."""
    options = prepared.options
    origin = detect_origin(request, options)
    url = parse_url(origin)
    secrets_ = prepared.secrets(pages_path=pages_path)
    assert_request(request, secrets_)
    if origin is None:
        await prepared.logger.warn("NEXTAUTH_URL")
    if options.debug:
        await prepared.logger.warn("DEBUG_ENABLED")
    check_host(request, url)

    store, cookies = session_store(options, prepared.cookies_for(url), request.cookies)
    internal = Internal(
        prepared=prepared,
        request=request,
        url=url,
        secrets=secrets_,
        cookies=cookies,
        provider=prepared.provider(request.provider_id),
        store=store,
        jwt=prepared.codec(secrets_, store.defn.name, store_format(options, store)),
        callback_url=url.origin,
    )
    body = request.body or {}
    csrf = create_csrf_token(
        cookie_value=request.cookies.get(cookies.csrf_token.name),
        secrets_=secrets_,
        is_post=request.method == "POST",
        body_value=body.get("csrfToken"),
    )
    internal.csrf_token = csrf.token
    internal.csrf_verified = csrf.verified
    if csrf.cookie_value is not None:
        internal.init_cookies.append(SetCookie(cookies.csrf_token.name, csrf.cookie_value, cookies.csrf_token.options))
    # callbackUrl: body, then query (next-auth's `??`), then the cookie.
    param = body.get("callbackUrl")
    if param is None:
        param = request.query.get("callbackUrl")
    cookie_value = request.cookies.get(cookies.callback_url.name)
    if cookie_value is not None and not is_valid_http_url(cookie_value):
        cookie_value = None  # a poisoned cookie is ignored and overwritten (next-auth locks the user out)
    callback_url = url.origin
    if isinstance(param, str) and param:
        callback_url = await prepared.callbacks.redirect(param, url.origin)
    elif cookie_value:
        callback_url = await prepared.callbacks.redirect(cookie_value, url.origin)
    internal.callback_url = callback_url
    if callback_url != cookie_value:
        internal.init_cookies.append(SetCookie(cookies.callback_url.name, callback_url, cookies.callback_url.options))
    return internal
