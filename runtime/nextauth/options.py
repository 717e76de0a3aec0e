"""User-facing options: what goes into ``NextAuth(...)``.

Every option class is a keyword-only dataclass; nested options may also be given as plain dicts
(``session={"strategy": "jwt", "max_age": 3600}``), and camelCase keys from NextAuth.js examples
(``maxAge``) are accepted as their snake_case twins. An unknown key is a
:class:`~nextauth.errors.ConfigurationError` that names the closest valid key.

Callbacks and events may be plain or ``async`` functions; they are called with keyword arguments and
receive only the arguments they name (or all of them with ``**kwargs``: exactly the keys next-auth passes
in that situation; a named argument it does not pass is ``None``), e.g.::

    async def session(session, token):
        session["user"]["id"] = token["sub"]
        return session
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypedDict, TypeVar

from nextauth._lib.types import CookieOptions, SessionStrategy
from nextauth._lib.util import snake_case
from nextauth.errors import ConfigurationError

if TYPE_CHECKING:
    from nextauth.adapters import AnyAdapter
    from nextauth.providers import Provider

__all__ = [
    "AuthOptions",
    "CallbacksOptions",
    "CallbacksOptionsDict",
    "CookieOption",
    "CookieOptions",
    "CookiesOptions",
    "EventsOptions",
    "EventsOptionsDict",
    "JWTOptions",
    "JWTOptionsDict",
    "LoggerOptions",
    "LoggerOptionsDict",
    "PagesOptions",
    "PagesOptionsDict",
    "RateLimitOptions",
    "RefreshTokensOptions",
    "SessionOptions",
    "SessionOptionsDict",
    "ThemeOptions",
    "ThemeOptionsDict",
]

Callback = Callable[..., Any]
C = TypeVar("C")

DEFAULT_MAX_AGE = 30 * 24 * 60 * 60  # 30 days, in seconds
DEFAULT_UPDATE_AGE = 24 * 60 * 60  # 24 hours, in seconds


@dataclass(kw_only=True)
class SessionOptions:
    """``strategy`` defaults to ``"database"`` when an adapter is set, else ``"jwt"``.

    ``max_age`` (30 days) is the idle lifetime; ``update_age`` (24 h) throttles database writes;
    ``generate_session_token`` makes database session tokens (default: a UUID v4).
    """

    strategy: SessionStrategy | None = None
    max_age: int = DEFAULT_MAX_AGE
    update_age: int = DEFAULT_UPDATE_AGE
    generate_session_token: Callable[[], str] | None = None


@dataclass(kw_only=True)
class JWTOptions:
    """``max_age`` (30 days) is used when a token is first issued at sign-in, as in next-auth.

    ``encode``/``decode`` replace the built-in JWE codec; they get the keyword arguments
    ``token, secret, max_age, salt`` / ``token, secret, salt``. ``secret`` is deprecated: it overrides
    the top-level secret for tokens only.

    ``format`` chooses the session token a new sign-in gets: ``"v4"`` (next-auth v4's, cookie
    ``next-auth.session-token``) or ``"v5"`` (Auth.js v5's, cookie ``authjs.session-token``), so a Next.js
    front end on Auth.js v5 can share the session. Either format is read whatever this says, and a session
    is refreshed in the format (and cookie) it arrived in.
    """

    max_age: int = DEFAULT_MAX_AGE
    secret: str | Sequence[str] | None = field(default=None, repr=False)
    encode: Callback | None = None
    decode: Callback | None = None
    format: Literal["v4", "v5"] = "v4"

    def __post_init__(self) -> None:
        if self.format not in ("v4", "v5"):
            raise ConfigurationError(f"jwt.format must be 'v4' (next-auth) or 'v5' (Auth.js), got {self.format!r}")


@dataclass(kw_only=True)
class PagesOptions:
    """Your own pages instead of the built-in ones (paths or absolute URLs)."""

    sign_in: str | None = None
    sign_out: str | None = None
    error: str | None = None
    verify_request: str | None = None
    new_user: str | None = None


@dataclass(kw_only=True)
class CallbacksOptions:
    """``sign_in`` (default: allow), ``redirect`` (default: same origin only), ``session``, ``jwt``."""

    sign_in: Callback | None = None
    redirect: Callback | None = None
    session: Callback | None = None
    jwt: Callback | None = None


@dataclass(kw_only=True)
class EventsOptions:
    """Fire-and-forget hooks; an exception in one is logged (``SIGN_IN_EVENT_ERROR``) and ignored."""

    sign_in: Callback | None = None
    sign_out: Callback | None = None
    create_user: Callback | None = None
    update_user: Callback | None = None
    link_account: Callback | None = None
    session: Callback | None = None


@dataclass(kw_only=True)
class ThemeOptions:
    """The look of the built-in pages."""

    color_scheme: Literal["auto", "dark", "light"] = "auto"
    logo: str = ""
    brand_color: str = ""
    button_text: str = ""


@dataclass(kw_only=True)
class LoggerOptions:
    """Replace any of the three log levels: ``error(code, metadata)``, ``warn(code)``, ``debug(code, metadata)``.

    Setting a logger also enables the ``/_log`` endpoint that forwards client-side errors.
    """

    error: Callback | None = None
    warn: Callback | None = None
    debug: Callback | None = None


@dataclass(kw_only=True)
class CookieOption:
    """A replacement for one of the default cookies: its name and all of its attributes."""

    name: str
    options: CookieOptions = field(default_factory=CookieOptions)


@dataclass(kw_only=True)
class CookiesOptions:
    """Per-cookie replacements; each entry replaces the default entry as a whole (as in next-auth)."""

    session_token: CookieOption | None = None
    callback_url: CookieOption | None = None
    csrf_token: CookieOption | None = None
    pkce_code_verifier: CookieOption | None = None
    state: CookieOption | None = None
    nonce: CookieOption | None = None


# The dict spellings of the option classes, so that ``session={"strategy": "jwt"}`` type-checks as the docs
# write it. NextAuth.js's camelCase keys are listed too (``maxAge``); both spellings mean the same field.
class SessionOptionsDict(TypedDict, total=False):
    strategy: SessionStrategy
    max_age: int
    maxAge: int
    update_age: int
    updateAge: int
    generate_session_token: Callable[[], str]
    generateSessionToken: Callable[[], str]


class JWTOptionsDict(TypedDict, total=False):
    max_age: int
    maxAge: int
    secret: str | Sequence[str]
    encode: Callback
    decode: Callback
    format: Literal["v4", "v5"]


class PagesOptionsDict(TypedDict, total=False):
    sign_in: str
    signIn: str
    sign_out: str
    signOut: str
    error: str
    verify_request: str
    verifyRequest: str
    new_user: str
    newUser: str


class CallbacksOptionsDict(TypedDict, total=False):
    sign_in: Callback
    signIn: Callback
    redirect: Callback
    session: Callback
    jwt: Callback


class EventsOptionsDict(TypedDict, total=False):
    sign_in: Callback
    signIn: Callback
    sign_out: Callback
    signOut: Callback
    create_user: Callback
    createUser: Callback
    update_user: Callback
    updateUser: Callback
    link_account: Callback
    linkAccount: Callback
    session: Callback


class ThemeOptionsDict(TypedDict, total=False):
    color_scheme: Literal["auto", "dark", "light"]
    colorScheme: Literal["auto", "dark", "light"]
    logo: str
    brand_color: str
    brandColor: str
    button_text: str
    buttonText: str


class LoggerOptionsDict(TypedDict, total=False):
    error: Callback
    warn: Callback
    debug: Callback


@dataclass(kw_only=True)
class RefreshTokensOptions:
    """Keep each OAuth provider's access token fresh (see docs/refresh-and-limits.md).

    When on, a sign-in stores the provider's ``access_token``, ``expires_at`` and ``refresh_token`` in the JWT
    (or keeps them on the account row with database sessions), and a session read ``skew`` seconds before
    ``expires_at`` or later refreshes them at the provider's token endpoint. ``providers`` limits it to those
    provider ids (``None``: every OAuth provider; a provider's own ``refresh_tokens=True/False`` wins).
    ``clock`` returns the time in seconds since the epoch (``time.time``; tests inject their own).
    """

    enabled: bool = True
    skew: int = 60
    providers: Sequence[str] | None = None
    clock: Callable[[], float] | None = None


@dataclass(kw_only=True)
class RateLimitOptions:
    """Brute-force limits on sign-in (see docs/refresh-and-limits.md). Off unless given.

    Credentials sign-ins: ``credentials_per_identifier`` failed attempts per ``identifier_field`` value and
    ``credentials_per_client`` per client address within ``credentials_window`` seconds. Email sign-in
    requests: ``email_per_address`` per email address and ``email_per_client`` per client within
    ``email_window`` seconds. ``0`` turns a limit off. Past a limit the sign-in answers with
    ``error=TooManyRequests``. ``store`` shares the counters between processes (e.g.
    ``SQLAlchemyRateLimitStore``); default: this process' memory. ``clock`` as in :class:`RefreshTokensOptions`.
    """

    enabled: bool = True
    credentials_per_identifier: int = 5
    credentials_per_client: int = 20
    credentials_window: int = 15 * 60
    identifier_field: str = "username"
    email_per_address: int = 3
    email_per_client: int = 10
    email_window: int = 15 * 60
    store: Any = None
    clock: Callable[[], float] | None = None


@dataclass(kw_only=True)
class AuthOptions:
    """Everything ``NextAuth`` needs. Only ``providers`` is required.

    ``secret`` may be one secret or a list of them (the first encrypts and signs; all of them are
    tried when decrypting, so a secret can be rotated without signing everyone out). When it is
    ``None``, ``NEXTAUTH_SECRET`` and then ``AUTH_SECRET`` are read from the environment.
    ``use_secure_cookies`` defaults to whether ``NEXTAUTH_URL`` starts with ``https://``.
    ``trust_host`` trusts ``X-Forwarded-Host``/``-Proto`` when ``NEXTAUTH_URL`` is not set (the
    ``AUTH_TRUST_HOST`` environment variable does the same). ``allowed_hosts`` bounds that trust: a list
    (or a comma-separated string) of ``host``, ``host:port`` or ``.example.com`` (a domain and its
    subdomains); in trust-host mode a request for another host is refused with a 400. When it is
    unset or empty, ``NEXTAUTH_ALLOWED_HOSTS`` and then ``AUTH_ALLOWED_HOSTS`` are read from the environment.
    See "Behind a proxy" in the serving docs. ``http_timeout`` bounds every request to a provider (seconds).
    """

    providers: Sequence[Provider] = ()
    secret: str | Sequence[str] | None = field(default=None, repr=False)
    session: SessionOptions = field(default_factory=SessionOptions)
    jwt: JWTOptions = field(default_factory=JWTOptions)
    pages: PagesOptions = field(default_factory=PagesOptions)
    callbacks: CallbacksOptions = field(default_factory=CallbacksOptions)
    events: EventsOptions = field(default_factory=EventsOptions)
    adapter: AnyAdapter | None = None
    debug: bool = False
    logger: LoggerOptions | None = None
    theme: ThemeOptions = field(default_factory=ThemeOptions)
    use_secure_cookies: bool | None = None
    cookies: CookiesOptions = field(default_factory=CookiesOptions)
    trust_host: bool | None = None
    allowed_hosts: Sequence[str] | None = None
    http_timeout: float = 10.0
    refresh_tokens: RefreshTokensOptions | bool | None = None
    rate_limit: RateLimitOptions | bool | None = None

    if TYPE_CHECKING:
        # What type checkers see: nested options as the classes or as dicts (the dataclass' own __init__, used at
        # run time, takes both and __post_init__ turns dicts into the classes). Keep in step with the fields:
        # tests/runtime/test_options_typing.py compares the two.
        def __init__(
            self,
            *,
            providers: Sequence[Provider] = (),
            secret: str | Sequence[str] | None = None,
            session: SessionOptions | SessionOptionsDict = ...,
            jwt: JWTOptions | JWTOptionsDict = ...,
            pages: PagesOptions | PagesOptionsDict = ...,
            callbacks: CallbacksOptions | CallbacksOptionsDict = ...,
            events: EventsOptions | EventsOptionsDict = ...,
            adapter: AnyAdapter | None = None,
            debug: bool = False,
            logger: LoggerOptions | LoggerOptionsDict | None = None,
            theme: ThemeOptions | ThemeOptionsDict = ...,
            use_secure_cookies: bool | None = None,
            cookies: CookiesOptions | Mapping[str, CookieOption | Mapping[str, Any]] = ...,
            trust_host: bool | None = None,
            allowed_hosts: Sequence[str] | None = None,
            http_timeout: float = 10.0,
            refresh_tokens: RefreshTokensOptions | Mapping[str, Any] | bool | None = None,
            rate_limit: RateLimitOptions | Mapping[str, Any] | bool | None = None,
        ) -> None: ...

    def __post_init__(self) -> None:
        self.session = coerce(SessionOptions, self.session, "session")
        self.jwt = coerce(JWTOptions, self.jwt, "jwt")
        self.pages = coerce(PagesOptions, self.pages, "pages")
        self.callbacks = coerce(CallbacksOptions, self.callbacks, "callbacks")
        self.events = coerce(EventsOptions, self.events, "events")
        self.theme = coerce(ThemeOptions, self.theme, "theme")
        # Opt-in features (issue 17): True means the defaults, a dict or the class the settings, None/False off.
        if self.refresh_tokens is not None and not isinstance(self.refresh_tokens, bool):
            self.refresh_tokens = coerce(RefreshTokensOptions, self.refresh_tokens, "refresh_tokens")
        if self.rate_limit is True:
            self.rate_limit = RateLimitOptions()  # one object for the handler's life: it names the memory counters
        elif self.rate_limit is not None and not isinstance(self.rate_limit, bool):
            self.rate_limit = coerce(RateLimitOptions, self.rate_limit, "rate_limit")
        if self.logger is not None:
            self.logger = coerce(LoggerOptions, self.logger, "logger")
        cookies = self.cookies
        if isinstance(cookies, Mapping):
            entries = {}
            for key, value in cookies.items():
                entries[snake_case(key)] = _cookie_option(value, f"cookies.{key}")
            cookies = coerce(CookiesOptions, entries, "cookies")
        self.cookies = cookies
        if isinstance(self.providers, Mapping) or not isinstance(self.providers, Sequence):
            raise ConfigurationError("`providers` must be a list of providers, e.g. [CredentialsProvider(...)]")
        self.providers = list(self.providers)
        if self.allowed_hosts is not None:
            from nextauth._lib.hosts import parse_option

            hosts: Any = self.allowed_hosts
            names = hosts.split(",") if isinstance(hosts, str) else hosts
            if not isinstance(names, Sequence) or not all(isinstance(e, str) for e in names):
                raise ConfigurationError("`allowed_hosts` must be a list of host names, e.g. ['app.example.com']")
            self.allowed_hosts = tuple(e.strip() for e in names if e.strip())
            parse_option(self.allowed_hosts)  # a bad entry is a configuration error at startup

    @classmethod
    def from_mapping(cls, options: Mapping[str, Any]) -> AuthOptions:
        """Build options from a dict, as NextAuth.js examples write them (camelCase keys work too)."""
        return coerce(cls, options, "options")


def _cookie_option(value: Any, where: str) -> CookieOption:
    if isinstance(value, CookieOption):
        return value
    if not isinstance(value, Mapping):
        raise ConfigurationError(f"`{where}` must be a CookieOption or a dict with `name` and `options`")
    opts = value.get("options", {})
    if isinstance(opts, Mapping):
        opts = coerce(CookieOptions, {("http_only" if k == "httpOnly" else k): v for k, v in opts.items()}, where)
    return CookieOption(name=str(value["name"]), options=opts)


def coerce(cls: type[C], value: Any, where: str) -> C:
    """``value`` as an instance of the dataclass ``cls``: instances pass, mappings are converted."""
    if isinstance(value, cls):
        return value
    if not isinstance(value, Mapping):
        raise ConfigurationError(f"`{where}` must be a {cls.__name__} or a dict, got {type(value).__name__}")
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]  # cls is always a dataclass here
    kwargs: dict[str, Any] = {}
    for key, item in value.items():
        name = snake_case(str(key))
        if name not in names:
            close = difflib.get_close_matches(name, names, n=1)
            hint = f"; did you mean `{close[0]}`?" if close else f"; valid keys: {', '.join(names)}"
            raise ConfigurationError(f"unknown option `{where}.{key}`{hint}")
        kwargs[name] = item
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise ConfigurationError(f"invalid `{where}`: {exc}") from None
