"""Every built-in OAuth provider by its id: ``from_id("foursquare", client_id=..., client_secret=...)``.

The providers NextAuth.js v4 ships that have no module of their own here are data only (a table in
``registry.toml``); this module builds them, and holds the little code a few need (a userinfo request
with extra headers or parameters, an issuer made from a tenant, an image URL made from an id). Each also
has a factory named as in NextAuth.js (``FoursquareProvider``), exported from :mod:`nextauth.providers`.

``from_id`` works for every OAuth id of the data: an id with a module of its own (``"github"``) is built
by that module's factory, so the result is the same as calling it.

Providers whose endpoints live on your server (BoxyHQ SAML, Osso) or on a default host you may change
(Salesforce, WorkOS) take ``issuer=``; their endpoints are ``<issuer>/<path>``.
"""

from __future__ import annotations

import difflib
import importlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

from nextauth.errors import InvalidProviderError
from nextauth.providers._factory import from_data
from nextauth.providers._profile import Transform
from nextauth.providers._registry import record, records
from nextauth.providers._validate import issuer_url
from nextauth.providers.oauth import OAuthProvider

if TYPE_CHECKING:
    import httpx

__all__ = [
    "AzureADB2CProvider",
    "BoxProvider",
    "BoxyHQSAMLProvider",
    "BungieProvider",
    "CoinbaseProvider",
    "DuendeIdentityServer6Provider",
    "EVEOnlineProvider",
    "FACEITProvider",
    "FortyTwoSchoolProvider",
    "FoursquareProvider",
    "FreshbooksProvider",
    "FusionAuthProvider",
    "HubSpotProvider",
    "IdentityServer4Provider",
    "InstagramProvider",
    "MailRuProvider",
    "MailchimpProvider",
    "MediumProvider",
    "NaverProvider",
    "NetlifyProvider",
    "OneLoginProvider",
    "OssoProvider",
    "PassageProvider",
    "PinterestProvider",
    "PipedriveProvider",
    "SalesforceProvider",
    "TodoistProvider",
    "TraktProvider",
    "UnitedEffectsProvider",
    "VKProvider",
    "WikimediaProvider",
    "WordPressProvider",
    "WorkOSProvider",
    "YandexProvider",
    "ZohoProvider",
    "from_id",
]

MODULE = "builtin"
"""The ``module`` of the data's records this module builds."""

FOURSQUARE_API_VERSION = "20230131"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


class Factory(Protocol):
    """A built-in provider's factory: the client credentials, then any :class:`OAuthProvider` option."""

    def __call__(self, *, client_id: str, client_secret: str, **options: Any) -> OAuthProvider: ...


@dataclass
class _Code:
    """What a provider's code adds to its data (see :func:`nextauth.providers._factory.from_data`)."""

    issuer: object = None
    overrides: dict[str, Any] = field(default_factory=dict)
    transforms: dict[str, Transform] = field(default_factory=dict)


def _bearer(tokens: Mapping[str, Any]) -> str:
    return f"Bearer {tokens.get('access_token', '')}"


async def _json(response: httpx.Response, what: str) -> dict[str, Any]:
    if response.status_code != 200:
        raise ValueError(f"{what} answered {response.status_code}, expected 200")
    data = response.json()
    if not isinstance(data, dict):
        raise ValueError(f"{what} did not answer a JSON object")
    return data


# ------------------------------------------------------------------------------------------ profile transforms
def _bungie_picture(profile: Any) -> str | None:
    user = (profile.get("Response") or {}).get("bungieNetUser") if isinstance(profile, dict) else None
    path = user.get("profilePicturePath") if isinstance(user, dict) else None
    if not isinstance(path, str):
        return None
    return "https://www.bungie.net" + ("" if path.startswith("/") else "/") + path


def _eve_portrait(profile: Any) -> str | None:
    character = profile.get("CharacterID") if isinstance(profile, dict) else None
    return None if character is None else f"https://image.eveonline.com/Character/{character}_128.jpg"


def _foursquare_photo(profile: Any) -> str | None:
    user = (profile.get("response") or {}).get("user") if isinstance(profile, dict) else None
    photo = user.get("photo") if isinstance(user, dict) else None
    if not isinstance(photo, dict):
        return None
    return f"{photo.get('prefix', '')}original{photo.get('suffix', '')}"


def _yandex_avatar(profile: Any) -> str | None:
    if not isinstance(profile, dict) or profile.get("is_avatar_empty") or not profile.get("default_avatar_id"):
        return None
    return f"https://avatars.yandex.net/get-yapic/{profile['default_avatar_id']}/islands-200"


# ------------------------------------------------------------------------------------------ per-provider code
def _bungie(pid: str, options: dict[str, Any]) -> _Code:
    """The profile URL names the member (``membership_id`` of the token response); Bungie wants the API key."""
    api_key = options.pop("api_key", None)
    if not isinstance(api_key, str) or not api_key.strip():
        raise InvalidProviderError(f"provider {pid!r}: api_key is required: the application's API key (X-API-Key)")

    async def userinfo(*, tokens: dict[str, Any], provider: OAuthProvider, http: httpx.AsyncClient) -> dict[str, Any]:
        member = str(tokens.get("membership_id", ""))
        url = str(provider.userinfo.url).replace("{membershipId}", quote(member, safe=""))
        headers = {"Authorization": _bearer(tokens), "X-API-Key": api_key}
        return await _json(await http.get(url, headers=headers), "Bungie's GetBungieAccount")

    return _Code(overrides={"userinfo": {"request": userinfo}}, transforms={"bungie_picture": _bungie_picture})


def _foursquare(pid: str, options: dict[str, Any]) -> _Code:
    """Foursquare's API takes the token as ``oauth_token`` and a version date ``v``."""
    version = str(options.pop("api_version", FOURSQUARE_API_VERSION))
    if not re.fullmatch(r"\d{8}", version):
        raise InvalidProviderError(f"provider {pid!r}: api_version must be a date YYYYMMDD, got {version!r}")

    async def userinfo(*, tokens: dict[str, Any], provider: OAuthProvider, http: httpx.AsyncClient) -> dict[str, Any]:
        params = {"v": version, "oauth_token": str(tokens.get("access_token", ""))}
        return await _json(await http.get(str(provider.userinfo.url), params=params), "Foursquare's users/self")

    return _Code(overrides={"userinfo": {"request": userinfo}}, transforms={"foursquare_photo": _foursquare_photo})


async def _hubspot_userinfo(
    *, tokens: dict[str, Any], provider: OAuthProvider, http: httpx.AsyncClient
) -> dict[str, Any]:
    """HubSpot describes a token at ``access-tokens/<token>`` (no Authorization header)."""
    url = f"{provider.userinfo.url}/{quote(str(tokens.get('access_token', '')), safe='')}"
    return await _json(await http.get(url, headers={"Accept": "application/json"}), "HubSpot's access-tokens")


async def _todoist_userinfo(
    *, tokens: dict[str, Any], provider: OAuthProvider, http: httpx.AsyncClient
) -> dict[str, Any]:
    """The user is one resource of Todoist's sync API."""
    body = {"sync_token": "*", "resource_types": '["user"]'}
    data = await _json(
        await http.post(str(provider.userinfo.url), json=body, headers={"Authorization": _bearer(tokens)}),
        "Todoist's sync",
    )
    user = data.get("user")
    if not isinstance(user, dict):
        raise ValueError("Todoist's sync answered no user")
    return user


async def _trakt_userinfo(
    *, tokens: dict[str, Any], provider: OAuthProvider, http: httpx.AsyncClient
) -> dict[str, Any]:
    """Trakt wants its API version and the client ID as the API key."""
    headers = {"Authorization": _bearer(tokens), "trakt-api-version": "2", "trakt-api-key": provider.client_id}
    response = await http.get(str(provider.userinfo.url), params=provider.userinfo.params, headers=headers)
    return await _json(response, "Trakt's users/me")


def _azure_ad_b2c(pid: str, options: dict[str, Any]) -> _Code:
    """The issuer of a B2C user flow, unless given: ``https://<t>.b2clogin.com/<t>.onmicrosoft.com/<flow>/v2.0``."""
    tenant, flow = options.pop("tenant_id", None), options.pop("primary_user_flow", None)
    issuer = options.pop("issuer", None)
    if issuer is None:
        for option, value in (("tenant_id", tenant), ("primary_user_flow", flow)):
            if not isinstance(value, str) or not _NAME.fullmatch(value):
                raise InvalidProviderError(
                    f"provider {pid!r}: {option} is required (letters, digits, '.', '_', '-') unless issuer= is "
                    f"given, got {value!r}"
                )
        issuer = f"https://{tenant}.b2clogin.com/{tenant}.onmicrosoft.com/{flow}/v2.0"
    return _Code(issuer=issuer)


def _fusionauth(pid: str, options: dict[str, Any]) -> _Code:
    """A tenant (``tenant_id``) is named in discovery and in the authorization request."""
    tenant = options.pop("tenant_id", None)
    issuer = options.pop("issuer", None)
    if tenant is None:
        return _Code(issuer=issuer)
    if not isinstance(tenant, str) or not _NAME.fullmatch(tenant):
        raise InvalidProviderError(f"provider {pid!r}: tenant_id must be a FusionAuth tenant id, got {tenant!r}")
    base = issuer_url(issuer, provider_id=pid, example=str(record("fusionauth")["issuer_example"]))
    overrides = {
        "well_known": f"{base.rstrip('/')}/.well-known/openid-configuration?tenantId={tenant}",
        "authorization": {"params": {"tenantId": tenant}},
    }
    return _Code(issuer=issuer, overrides=overrides)


def _onelogin(_pid: str, options: dict[str, Any]) -> _Code:
    """OneLogin's issuer is ``<subdomain URL>/oidc/2``; the subdomain URL is what people have at hand."""
    issuer = options.pop("issuer", None)
    if isinstance(issuer, str) and not issuer.rstrip("/").endswith("/oidc/2"):
        issuer = issuer.rstrip("/") + "/oidc/2"
    return _Code(issuer=issuer)


def _united_effects(_pid: str, options: dict[str, Any]) -> _Code:
    """United Effects wants the issuer as the ``resource`` of the authorization request."""
    issuer = options.pop("issuer", None)
    return _Code(issuer=issuer, overrides={"authorization": {"params": {"resource": issuer}}} if issuer else {})


_CODE: dict[str, Callable[[str, dict[str, Any]], _Code]] = {
    "azure-ad-b2c": _azure_ad_b2c,
    "bungie": _bungie,
    "eveonline": lambda _pid, _options: _Code(transforms={"eve_portrait": _eve_portrait}),
    "foursquare": _foursquare,
    "fusionauth": _fusionauth,
    "hubspot": lambda _pid, _options: _Code(overrides={"userinfo": {"request": _hubspot_userinfo}}),
    "onelogin": _onelogin,
    "todoist": lambda _pid, _options: _Code(overrides={"userinfo": {"request": _todoist_userinfo}}),
    "trakt": lambda _pid, _options: _Code(overrides={"userinfo": {"request": _trakt_userinfo}}),
    "united-effects": _united_effects,
    "yandex": lambda _pid, _options: _Code(transforms={"yandex_avatar": _yandex_avatar}),
}


def _at_issuer(pid: str, data: Mapping[str, Any], options: dict[str, Any]) -> _Code:
    """Endpoints written ``{issuer}/path`` in the data, placed at the user's (or the default) issuer."""
    given = options.pop("issuer", None)
    example = str(data.get("issuer_example") or data.get("issuer") or "")
    base = issuer_url(given if given is not None else data.get("issuer"), provider_id=pid, example=example)
    overrides: dict[str, Any] = {"issuer": given}  # next-auth's provider has the issuer only when it is given
    for key in ("authorization", "token", "userinfo"):
        value = data.get(key)
        url = value.get("url") if isinstance(value, Mapping) else value
        if isinstance(url, str):
            overrides[key] = {"url": url.replace("{issuer}", base.rstrip("/"))}
    return _Code(overrides=overrides)


def _templated(data: Mapping[str, Any]) -> bool:
    values = (data.get(key) for key in ("authorization", "token", "userinfo"))
    return any("{issuer}" in str(v.get("url", "") if isinstance(v, Mapping) else v) for v in values)


def _unknown(provider_id: str) -> InvalidProviderError:
    ids = [pid for pid, data in records().items() if data["type"] in ("oauth", "oidc")]
    close = difflib.get_close_matches(provider_id, ids, n=3)
    hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
    return InvalidProviderError(
        f"no built-in OAuth provider has the id {provider_id!r}{hint} (any other OpenID Connect provider: "
        "OIDCProvider(issuer=...); any OAuth 2 provider: OAuthProvider(...))"
    )


def from_id(provider_id: str, /, *, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:
    """The built-in OAuth provider ``provider_id`` (an id of NextAuth.js v4, e.g. ``"foursquare"``).

    ``options`` are :class:`OAuthProvider` fields deep-merged over the data, plus the provider's own
    (``issuer``, ``tenant_id``, ``api_key``, ...: see ``nextauth providers``). Unknown ids, and ids that
    are not OAuth (``email``, ``credentials``), raise :class:`~nextauth.errors.InvalidProviderError`.
    """
    if not isinstance(provider_id, str) or not provider_id:
        raise _unknown(str(provider_id))
    try:
        data = record(provider_id)
    except KeyError:
        raise _unknown(provider_id) from None
    if data["type"] not in ("oauth", "oidc") or provider_id == "oauth":
        raise InvalidProviderError(
            f"{provider_id!r} is not a built-in OAuth provider: use nextauth.providers.{data['factory']}"
        )
    if data["module"] != MODULE:
        factory: Factory = getattr(importlib.import_module(f"nextauth.providers.{data['module']}"), data["factory"])
        return factory(client_id=client_id, client_secret=client_secret, **options)
    options = dict(options)
    pid = str(options.get("id", provider_id))
    if provider_id in _CODE:
        code = _CODE[provider_id](pid, options)
    elif _templated(data):
        code = _at_issuer(pid, data, options)
    elif data["type"] == "oidc":
        code = _Code(issuer=options.pop("issuer", None))
    else:
        code = _Code()
    return from_data(
        provider_id,
        client_id=client_id,
        client_secret=client_secret,
        options=options,
        issuer=code.issuer,
        overrides=code.overrides or None,
        transforms=code.transforms or None,
    )


def _named(provider_id: str, name: str) -> Callable[..., OAuthProvider]:
    """``from_id(provider_id, ...)`` as a factory; ``issuer`` is a required keyword when the data has no default."""

    def factory(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:
        return from_id(provider_id, client_id=client_id, client_secret=client_secret, **options)

    def factory_at(*, client_id: str, client_secret: str, issuer: str, **options: Any) -> OAuthProvider:
        return from_id(provider_id, client_id=client_id, client_secret=client_secret, issuer=issuer, **options)

    made = factory_at if "issuer_example" in record(provider_id) else factory
    made.__name__ = made.__qualname__ = name
    made.__doc__ = f"{record(provider_id)['name']} (``{provider_id}``): ``from_id({provider_id!r}, ...)``."
    return made


def AzureADB2CProvider(
    *,
    client_id: str,
    client_secret: str,
    tenant_id: str | None = None,
    primary_user_flow: str | None = None,
    **options: Any,
) -> OAuthProvider:  # NextAuth.js's name
    """Azure AD B2C: discovery at the user flow's issuer (``tenant_id`` + ``primary_user_flow``, or ``issuer``)."""
    return from_id(
        "azure-ad-b2c",
        client_id=client_id,
        client_secret=client_secret,
        tenant_id=tenant_id,
        primary_user_flow=primary_user_flow,
        **options,
    )


def BungieProvider(*, client_id: str, client_secret: str, api_key: str, **options: Any) -> OAuthProvider:
    """Bungie.net: the account of the token's ``membership_id``, fetched with the app's ``api_key``."""
    return from_id("bungie", client_id=client_id, client_secret=client_secret, api_key=api_key, **options)


def FoursquareProvider(
    *, client_id: str, client_secret: str, api_version: str = FOURSQUARE_API_VERSION, **options: Any
) -> OAuthProvider:
    """Foursquare: ``users/self`` with the token as ``oauth_token`` and the API version date ``api_version``."""
    return from_id("foursquare", client_id=client_id, client_secret=client_secret, api_version=api_version, **options)


def FusionAuthProvider(
    *, client_id: str, client_secret: str, issuer: str, tenant_id: str | None = None, **options: Any
) -> OAuthProvider:
    """FusionAuth: discovery at ``issuer``; ``tenant_id`` selects a tenant when there are several."""
    return from_id(
        "fusionauth", client_id=client_id, client_secret=client_secret, issuer=issuer, tenant_id=tenant_id, **options
    )


BoxProvider = _named("box", "BoxProvider")
BoxyHQSAMLProvider = _named("boxyhq-saml", "BoxyHQSAMLProvider")
CoinbaseProvider = _named("coinbase", "CoinbaseProvider")
DuendeIdentityServer6Provider = _named("duende-identityserver6", "DuendeIdentityServer6Provider")
EVEOnlineProvider = _named("eveonline", "EVEOnlineProvider")
FACEITProvider = _named("faceit", "FACEITProvider")
FortyTwoSchoolProvider = _named("42-school", "FortyTwoSchoolProvider")
FreshbooksProvider = _named("freshbooks", "FreshbooksProvider")
HubSpotProvider = _named("hubspot", "HubSpotProvider")
IdentityServer4Provider = _named("identity-server4", "IdentityServer4Provider")
InstagramProvider = _named("instagram", "InstagramProvider")
MailchimpProvider = _named("mailchimp", "MailchimpProvider")
MailRuProvider = _named("mailru", "MailRuProvider")
MediumProvider = _named("medium", "MediumProvider")
NaverProvider = _named("naver", "NaverProvider")
NetlifyProvider = _named("netlify", "NetlifyProvider")
OneLoginProvider = _named("onelogin", "OneLoginProvider")
OssoProvider = _named("osso", "OssoProvider")
PassageProvider = _named("passage", "PassageProvider")
PinterestProvider = _named("pinterest", "PinterestProvider")
PipedriveProvider = _named("pipedrive", "PipedriveProvider")
SalesforceProvider = _named("salesforce", "SalesforceProvider")
TodoistProvider = _named("todoist", "TodoistProvider")
TraktProvider = _named("trakt", "TraktProvider")
UnitedEffectsProvider = _named("united-effects", "UnitedEffectsProvider")
VKProvider = _named("vk", "VKProvider")
WikimediaProvider = _named("wikimedia", "WikimediaProvider")
WordPressProvider = _named("wordpress", "WordPressProvider")
WorkOSProvider = _named("workos", "WorkOSProvider")
YandexProvider = _named("yandex", "YandexProvider")
ZohoProvider = _named("zoho", "ZohoProvider")
