"""Generic OAuth 2.0 / OpenID Connect provider, and the base of every built-in OAuth provider.

Endpoints come from OIDC discovery (``well_known``) or are given explicitly (``authorization``,
``token``, ``userinfo``, ``jwks_endpoint``); each endpoint may be a URL string (its query becomes
``params``), a dict ``{"url": ..., "params": {...}}`` or an :class:`Endpoint`. ``checks`` chooses the
protections kept in cookies between sign-in and callback (``state``, ``pkce``, ``nonce``; default
``["state"]``). With ``id_token`` (inferred from discovery or an ``openid`` scope) the profile is the
verified ID token's claims; otherwise the userinfo endpoint is called.

``profile(profile, tokens)`` turns the provider's profile into a user dict with at least ``id``; it may
be ``async``. The default maps the standard OIDC claims (``sub``, ``name``, ``email``, ``picture``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Literal, TypedDict
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from nextauth._lib.util import snake_case
from nextauth.errors import InvalidProviderError
from nextauth.providers._base import Provider, deep_merge

__all__ = [
    "Check",
    "Endpoint",
    "EndpointDict",
    "EndpointLike",
    "OAuthProvider",
    "ProviderStyle",
    "ProviderStyleDict",
    "make_oauth_provider",
    "oidc_profile",
]

Check = Literal["state", "pkce", "nonce", "none"]
"""One of ``OAuthProvider.checks``: what is kept in a cookie between sign-in and callback."""


class EndpointDict(TypedDict, total=False):
    """An endpoint as a dict, as NextAuth.js writes it: ``{"url": ..., "params": {...}}``."""

    url: str
    params: dict[str, Any]
    request: Callable[..., Any]


@dataclass(kw_only=True)
class Endpoint:
    """One provider endpoint. ``request`` replaces the HTTP call entirely (advanced)."""

    url: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    request: Callable[..., Any] | None = None

    @classmethod
    def of(cls, value: Endpoint | str | EndpointDict | Mapping[str, Any] | None) -> Endpoint:
        if value is None:
            return cls()
        if isinstance(value, Endpoint):
            return value
        if isinstance(value, str):
            parts = urlsplit(value)
            params = dict(parse_qsl(parts.query, keep_blank_values=True))
            return cls(url=urlunsplit(parts._replace(query="")), params=params)
        if isinstance(value, Mapping):
            url = value.get("url")
            endpoint = cls.of(url) if isinstance(url, str) else cls()
            params = {**endpoint.params, **dict(value.get("params") or {})}
            return cls(url=endpoint.url, params=params, request=value.get("request"))
        raise InvalidProviderError(f"an endpoint must be a URL, a dict or an Endpoint, got {type(value).__name__}")


EndpointLike = Endpoint | str | EndpointDict
"""What ``authorization``, ``token`` and ``userinfo`` accept: a URL (its query becomes ``params``), a dict with
``url`` and/or ``params``, or an :class:`Endpoint`."""


class ProviderStyleDict(TypedDict, total=False):
    logo: str
    logo_dark: str
    logoDark: str
    bg: str
    text: str
    bg_dark: str
    bgDark: str
    text_dark: str
    textDark: str


@dataclass(kw_only=True)
class ProviderStyle:
    """How the provider's button looks on the built-in sign-in page."""

    logo: str = ""
    logo_dark: str = ""
    bg: str = ""
    text: str = ""
    bg_dark: str = ""
    text_dark: str = ""


def oidc_profile(profile: Mapping[str, Any], tokens: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The standard OpenID Connect claims as a user."""
    del tokens
    return {
        "id": profile.get("sub"),
        "name": profile.get("name"),
        "email": profile.get("email"),
        "image": profile.get("picture"),
    }


@dataclass(kw_only=True)
class OAuthProvider(Provider):
    """An OAuth 2.0 or OpenID Connect provider."""

    id: str
    name: str
    type: Literal["oauth", "oidc"] = "oauth"
    client_id: str = ""
    client_secret: str | None = field(default=None, repr=False)
    well_known: str | None = None
    issuer: str | None = None
    authorization: Endpoint = field(default_factory=Endpoint)
    token: Endpoint = field(default_factory=Endpoint)
    userinfo: Endpoint = field(default_factory=Endpoint)
    jwks_endpoint: str | None = None
    checks: Sequence[Check] | None = None
    id_token: bool | None = None
    profile: Callable[..., Any] = oidc_profile
    client: dict[str, Any] = field(default_factory=dict)
    http_options: dict[str, Any] = field(default_factory=dict)
    allow_dangerous_email_account_linking: bool = False
    style: ProviderStyle | None = None
    refresh_tokens: bool | None = None
    """Keep this provider's access token fresh (``AuthOptions.refresh_tokens``); ``None`` follows the global option."""
    version: str | None = None
    """``"1.0A"`` (or ``"1.0"``) makes this an OAuth 1.0a provider, as next-auth's ``version``: a signed request-token
    round trip (``request_token_url``), the ``authorization`` URL, then the access token (``access_token_url``,
    or ``token``) and a signed profile request (``profile_url``, or ``userinfo``)."""
    request_token_url: str | None = None
    access_token_url: str | None = None
    profile_url: str | None = None

    if TYPE_CHECKING:
        # What type checkers see: endpoints as a URL, a dict or an Endpoint, ``style`` as a dict too (the
        # dataclass' own __init__ takes them all; __post_init__ normalises). Keep in step with the fields:
        # tests/runtime/test_options_typing.py compares the two.
        def __init__(
            self,
            *,
            id: str,
            name: str,
            type: Literal["oauth", "oidc"] = "oauth",
            client_id: str = "",
            client_secret: str | None = None,
            well_known: str | None = None,
            issuer: str | None = None,
            authorization: EndpointLike = ...,
            token: EndpointLike = ...,
            userinfo: EndpointLike = ...,
            jwks_endpoint: str | None = None,
            checks: Check | Sequence[Check] | None = None,
            id_token: bool | None = None,
            profile: Callable[..., Any] = ...,
            client: dict[str, Any] = ...,
            http_options: dict[str, Any] = ...,
            allow_dangerous_email_account_linking: bool = False,
            style: ProviderStyle | ProviderStyleDict | None = None,
            refresh_tokens: bool | None = None,
            version: str | None = None,
            request_token_url: str | None = None,
            access_token_url: str | None = None,
            profile_url: str | None = None,
        ) -> None: ...

    def __post_init__(self) -> None:
        self.authorization = Endpoint.of(self.authorization)
        self.token = Endpoint.of(self.token)
        self.userinfo = Endpoint.of(self.userinfo)
        if self.access_token_url and not self.token.url:  # next-auth's OAuth 1.0a names for the same endpoints
            self.token = Endpoint(url=self.access_token_url, params=self.token.params, request=self.token.request)
        if self.profile_url and not self.userinfo.url:
            self.userinfo = Endpoint.of(self.profile_url)
        style: Any = self.style
        if isinstance(style, Mapping):
            self.style = ProviderStyle(**{snake_case(k): v for k, v in style.items()})
        checks: Any = self.checks
        if isinstance(checks, str):  # tolerate checks="pkce"
            self.checks = [checks]  # type: ignore[list-item]  # validated just below
        if self.checks is not None:
            bad = [c for c in self.checks if c not in ("state", "pkce", "nonce", "none")]
            if bad:
                raise InvalidProviderError(
                    f"provider {self.id!r}: unknown check(s) {bad}; use 'state', 'pkce', 'nonce' or 'none'"
                )

    @property
    def resolved_checks(self) -> list[Check]:
        """``checks`` with next-auth's default (``["state"]``) applied."""
        return list(self.checks) if self.checks else ["state"]

    @property
    def is_oauth1(self) -> bool:
        """Whether this is an OAuth 1.0a provider (``version`` starting ``"1."``, next-auth's test)."""
        return isinstance(self.version, str) and self.version.startswith("1.")

    @property
    def uses_id_token(self) -> bool:
        """next-auth's inference: explicit ``id_token``, an OIDC discovery URL, or an ``openid`` scope."""
        if self.id_token is not None:
            return self.id_token
        if self.well_known and "openid-configuration" in self.well_known:
            return True
        scope = str(self.authorization.params.get("scope", ""))
        return "openid" in scope.split()


_FIELDS = frozenset(f.name for f in fields(OAuthProvider))


def make_oauth_provider(defaults: Mapping[str, Any], options: Mapping[str, Any]) -> OAuthProvider:
    """Build a provider from a built-in provider's ``defaults`` and the user's ``options``.

    User options are deep-merged over the defaults (lists such as ``checks`` are replaced whole), as
    next-auth does; keys may be camelCase or snake_case. Endpoints given as strings are parsed first so
    that ``params`` merge too.
    """

    def normalise(values: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in values.items():
            name = snake_case(key)
            if name in ("authorization", "token", "userinfo") and value is not None:
                ep = Endpoint.of(value)
                out[name] = {k: v for k, v in (("url", ep.url), ("params", ep.params), ("request", ep.request)) if v}
            else:
                out[name] = value
        return out

    merged = deep_merge(normalise(defaults), normalise(options))
    unknown = sorted(set(merged) - _FIELDS)
    if unknown:
        import difflib

        hints = [
            f"{u} (did you mean {m[0]}?)" if (m := difflib.get_close_matches(u, sorted(_FIELDS), n=1)) else u
            for u in unknown
        ]
        raise InvalidProviderError(f"provider {merged.get('id')!r}: unknown option(s): {', '.join(hints)}")
    return OAuthProvider(**merged)
