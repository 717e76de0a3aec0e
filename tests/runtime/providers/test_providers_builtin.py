"""The data-only providers (``nextauth.providers.builtin``): each renders next-auth's authorization URL and maps
a sample profile as next-auth 4.24.15's ``profile()`` does (issue 16).

The expectations are written per provider from next-auth's provider files (ids, endpoints, params, checks and
the profile mapping), not derived from registry.toml, so a wrong record fails here.
"""

from __future__ import annotations

import inspect
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import nextauth.providers as P
from nextauth import AuthOptions, NextAuth
from nextauth._lib.util import call_positional
from nextauth.errors import InvalidProviderError
from nextauth.providers import OAuthProvider, from_id
from nextauth.providers._registry import records

ORIGIN = "http://localhost:3000"
SECRET = "builtin-provider-table-secret-0123456789abcdef"

# id -> (authorization URL, the params next-auth sends beyond client_id/response_type/redirect_uri (scope
# "openid" when the provider sets none, openid-client's default), checks)
OAUTH: dict[str, tuple[str, dict[str, str], list[str]]] = {
    "42-school": ("https://api.intra.42.fr/oauth/authorize", {"scope": "public"}, ["state"]),
    "box": ("https://account.box.com/api/oauth2/authorize", {"scope": "openid"}, ["state"]),
    "boxyhq-saml": (
        "https://jackson.example.com/api/oauth/authorize",
        {"scope": "openid", "provider": "saml"},
        ["pkce", "state"],
    ),
    "bungie": ("https://www.bungie.net/en/OAuth/Authorize", {"scope": "openid", "reauth": "true"}, ["state"]),
    "coinbase": (
        "https://www.coinbase.com/oauth/authorize",
        {"scope": "wallet:user:email wallet:user:read"},
        ["state"],
    ),
    "eveonline": ("https://login.eveonline.com/v2/oauth/authorize", {"scope": "publicData"}, ["state"]),
    "faceit": ("https://accounts.faceit.com/accounts", {"scope": "openid", "redirect_popup": "true"}, ["state"]),
    "foursquare": ("https://foursquare.com/oauth2/authenticate", {"scope": "openid"}, ["state"]),
    "freshbooks": ("https://auth.freshbooks.com/service/auth/oauth/authorize", {"scope": "openid"}, ["state"]),
    "hubspot": ("https://app.hubspot.com/oauth/authorize", {"scope": "oauth"}, ["state"]),
    "instagram": ("https://api.instagram.com/oauth/authorize", {"scope": "user_profile"}, ["state"]),
    "mailchimp": ("https://login.mailchimp.com/oauth2/authorize", {"scope": "openid"}, ["state"]),
    "mailru": ("https://oauth.mail.ru/login", {"scope": "userinfo"}, ["state"]),
    "medium": ("https://medium.com/m/oauth/authorize", {"scope": "basicProfile"}, ["state"]),
    "naver": ("https://nid.naver.com/oauth2.0/authorize", {"scope": "openid"}, ["state"]),
    "netlify": ("https://app.netlify.com/authorize", {"scope": "openid"}, ["state"]),
    "osso": ("https://demo.ossoapp.com/oauth/authorize", {"scope": "openid"}, ["state"]),
    "pinterest": ("https://www.pinterest.com/oauth", {"scope": "user_accounts:read"}, ["state"]),
    "pipedrive": ("https://oauth.pipedrive.com/oauth/authorize", {"scope": "openid"}, ["state"]),
    "salesforce": (
        "https://login.salesforce.com/services/oauth2/authorize",
        {"scope": "openid", "display": "page"},
        ["none"],
    ),
    "todoist": ("https://todoist.com/oauth/authorize", {"scope": "data:read"}, ["state"]),
    "trakt": ("https://trakt.tv/oauth/authorize", {"scope": ""}, ["state"]),
    "vk": ("https://oauth.vk.com/authorize", {"scope": "email", "v": "5.131"}, ["state"]),
    "wikimedia": ("https://meta.wikimedia.org/w/rest.php/oauth2/authorize", {"scope": ""}, ["state"]),
    "wordpress": ("https://public-api.wordpress.com/oauth2/authorize", {"scope": "auth"}, ["state"]),
    "workos": ("https://api.workos.com/sso/authorize", {"scope": "openid"}, ["state"]),
    "yandex": ("https://oauth.yandex.ru/authorize", {"scope": "login:info login:email login:avatar"}, ["state"]),
    "zoho": ("https://accounts.zoho.com/oauth/v2/auth", {"scope": "AaaServer.profile.Read"}, ["state"]),
}

# id -> (discovery URL at the issuer used below, params, checks)
OIDC: dict[str, tuple[str, dict[str, str], list[str]]] = {
    "azure-ad-b2c": (
        "https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_signin/v2.0/.well-known/openid-configuration",
        {},
        ["state"],
    ),
    "duende-identityserver6": (
        "https://ids.example.com/.well-known/openid-configuration",
        {"scope": "openid profile email"},
        ["pkce", "state"],
    ),
    "fusionauth": (
        "https://auth.example.com/.well-known/openid-configuration?tenantId=t-1",
        {"scope": "openid offline_access", "tenantId": "t-1"},
        ["pkce", "state"],
    ),
    "identity-server4": (
        "https://ids.example.com/.well-known/openid-configuration",
        {"scope": "openid profile email"},
        ["pkce", "state"],
    ),
    "onelogin": (
        "https://corp.onelogin.com/oidc/2/.well-known/openid-configuration",
        {"scope": "openid profile email"},
        ["state"],
    ),
    "passage": (
        "https://auth.passage.id/v1/apps/app1/.well-known/openid-configuration",
        {"scope": "openid email"},
        ["pkce", "state"],
    ),
    "united-effects": (
        "https://auth.unitedeffects.com/p1/.well-known/openid-configuration",
        {"scope": "openid email profile", "resource": "https://auth.unitedeffects.com/p1"},
        ["pkce", "state"],
    ),
}

# What each needs beyond client credentials.
OPTIONS: dict[str, dict[str, Any]] = {
    "azure-ad-b2c": {"tenant_id": "contoso", "primary_user_flow": "B2C_1_signin"},
    "boxyhq-saml": {"issuer": "https://jackson.example.com"},
    "bungie": {"api_key": "bungie-api-key"},
    "duende-identityserver6": {"issuer": "https://ids.example.com"},
    "fusionauth": {"issuer": "https://auth.example.com", "tenant_id": "t-1"},
    "identity-server4": {"issuer": "https://ids.example.com/"},
    "onelogin": {"issuer": "https://corp.onelogin.com"},
    "osso": {"issuer": "https://demo.ossoapp.com/"},
    "passage": {"issuer": "https://auth.passage.id/v1/apps/app1/"},
    "united-effects": {"issuer": "https://auth.unitedeffects.com/p1"},
}

# id -> (a profile as the provider sends it, what next-auth's profile() makes of it)
PROFILES: dict[str, tuple[Any, dict[str, Any]]] = {
    "42-school": (
        {"id": 7, "usual_full_name": "Ada L", "email": "a@42.fr", "image_url": "https://i/a"},
        {"id": "7", "name": "Ada L", "email": "a@42.fr", "image": "https://i/a"},
    ),
    "azure-ad-b2c": (
        {"sub": "s1", "name": "Ada", "emails": ["a@x.io", "b@x.io"]},
        {"id": "s1", "name": "Ada", "email": "a@x.io", "image": None},
    ),
    "box": (
        {"id": "11", "name": "Ada", "login": "a@box.io", "avatar_url": "https://b/a"},
        {"id": "11", "name": "Ada", "email": "a@box.io", "image": "https://b/a"},
    ),
    "boxyhq-saml": (
        {"id": "u1", "email": "a@x.io", "firstName": "Ada", "lastName": "Lovelace"},
        {"id": "u1", "name": "Ada Lovelace", "email": "a@x.io", "image": None},
    ),
    "bungie": (
        {
            "Response": {
                "bungieNetUser": {"membershipId": "4611", "displayName": "Ada", "profilePicturePath": "img/p.gif"}
            }
        },
        {"id": "4611", "name": "Ada", "email": None, "image": "https://www.bungie.net/img/p.gif"},
    ),
    "coinbase": (
        {"data": {"id": "c1", "name": "Ada", "email": "a@cb.io", "avatar_url": "https://c/a"}},
        {"id": "c1", "name": "Ada", "email": "a@cb.io", "image": "https://c/a"},
    ),
    "duende-identityserver6": (
        {"sub": "d1", "name": "Ada", "email": "a@d.io", "picture": "p"},
        {"id": "d1", "name": "Ada", "email": "a@d.io", "image": None},
    ),
    "eveonline": (
        {"CharacterID": 95465499, "CharacterName": "Ada"},
        {
            "id": "95465499",
            "name": "Ada",
            "email": None,
            "image": "https://image.eveonline.com/Character/95465499_128.jpg",
        },
    ),
    "faceit": (
        {"guid": "g1", "name": "Ada", "email": "a@f.io", "picture": "https://f/a"},
        {"id": "g1", "name": "Ada", "email": "a@f.io", "image": "https://f/a"},
    ),
    "foursquare": (
        {
            "response": {
                "user": {
                    "id": "f1",
                    "firstName": "Ada",
                    "lastName": "L",
                    "contact": {"email": "a@4sq.io"},
                    "photo": {"prefix": "https://fs/img/", "suffix": "/a.jpg"},
                }
            }
        },
        {"id": "f1", "name": "Ada L", "email": "a@4sq.io", "image": "https://fs/img/original/a.jpg"},
    ),
    "freshbooks": (
        {"response": {"id": 9, "first_name": "Ada", "last_name": "L", "email": "a@fb.io"}},
        {"id": 9, "name": "Ada L", "email": "a@fb.io", "image": None},
    ),
    "fusionauth": (
        {"sub": "fa1", "email": "a@fa.io", "preferred_username": "ada", "name": "Ada"},
        {"id": "fa1", "name": "ada", "email": "a@fa.io", "image": None},
    ),
    "hubspot": (
        {"user_id": 123, "user": "a@hs.io", "hub_id": 9},
        {"id": 123, "name": "a@hs.io", "email": "a@hs.io", "image": None},
    ),
    "identity-server4": (
        {"sub": "i1", "name": "Ada", "email": "a@i.io"},
        {"id": "i1", "name": "Ada", "email": "a@i.io", "image": None},
    ),
    "instagram": (
        {"id": "17841", "username": "ada", "account_type": "PERSONAL"},
        {"id": "17841", "name": "ada", "email": None, "image": None},
    ),
    "mailchimp": (
        {"accountname": "Ada Co", "login": {"login_id": 31, "email": "a@mc.io"}},
        {"id": 31, "name": "Ada Co", "email": "a@mc.io", "image": None},
    ),
    "mailru": (
        {"id": "m1", "name": "Ada", "email": "a@mail.ru", "image": "https://m/a"},
        {"id": "m1", "name": "Ada", "email": "a@mail.ru", "image": "https://m/a"},
    ),
    "medium": (
        {"data": {"id": "md1", "name": "Ada", "imageUrl": "https://md/a"}},
        {"id": "md1", "name": "Ada", "email": None, "image": "https://md/a"},
    ),
    "naver": (
        {"response": {"id": "n1", "nickname": "ada", "email": "a@naver.com", "profile_image": "https://n/a"}},
        {"id": "n1", "name": "ada", "email": "a@naver.com", "image": "https://n/a"},
    ),
    "netlify": (
        {"id": "nl1", "full_name": "Ada L", "email": "a@nl.io", "avatar_url": "https://nl/a"},
        {"id": "nl1", "name": "Ada L", "email": "a@nl.io", "image": "https://nl/a"},
    ),
    "onelogin": (
        {"sub": "o1", "nickname": "ada", "email": "a@ol.io", "picture": "https://ol/a", "name": "Ada"},
        {"id": "o1", "name": "ada", "email": "a@ol.io", "image": "https://ol/a"},
    ),
    "osso": (
        {"id": "os1", "name": "Ada", "email": "a@os.io"},
        {"id": "os1", "name": "Ada", "email": "a@os.io", "image": None},
    ),
    "passage": (
        {"sub": "p1", "email": "a@p.io", "name": "Ada"},
        {"id": "p1", "name": None, "email": "a@p.io", "image": None},
    ),
    "pinterest": (
        {"username": "ada", "profile_image": "https://pi/a"},
        {"id": "ada", "name": "ada", "email": None, "image": "https://pi/a"},
    ),
    "pipedrive": (
        {"data": {"id": 77, "name": "Ada", "email": "a@pd.io", "icon_url": "https://pd/a"}},
        {"id": "77", "name": "Ada", "email": "a@pd.io", "image": "https://pd/a"},
    ),
    "salesforce": (
        {"user_id": "005x", "name": "Ada", "email": "a@sf.io", "picture": "https://sf/a"},
        {"id": "005x", "name": None, "email": None, "image": "https://sf/a"},
    ),
    "todoist": (
        {"id": "t1", "email": "a@td.io", "full_name": "Ada L", "avatar_big": "https://td/a"},
        {"id": "t1", "name": "Ada L", "email": "a@td.io", "image": "https://td/a"},
    ),
    "trakt": (
        {"ids": {"slug": "ada"}, "name": "Ada", "images": {"avatar": {"full": "https://tr/a"}}},
        {"id": "ada", "name": "Ada", "email": None, "image": "https://tr/a"},
    ),
    "united-effects": (
        {"sub": "ue1", "email": "a@ue.io", "name": "Ada"},
        {"id": "ue1", "name": None, "email": "a@ue.io", "image": None},
    ),
    "vk": (
        {"response": [{"id": 5, "first_name": "Ada", "last_name": "L", "photo_100": "https://vk/a"}]},
        {"id": 5, "name": "Ada L", "email": None, "image": "https://vk/a"},
    ),
    "wikimedia": (
        {"sub": 12, "username": "Ada", "email": "a@wm.org"},
        {"id": 12, "name": "Ada", "email": "a@wm.org", "image": None},
    ),
    "wordpress": (
        {"ID": 8, "display_name": "Ada", "email": "a@wp.com", "avatar_URL": "https://wp/a"},
        {"id": 8, "name": "Ada", "email": "a@wp.com", "image": "https://wp/a"},
    ),
    "workos": (
        {
            "id": "prof_1",
            "first_name": "Ada",
            "last_name": "L",
            "email": "a@wo.io",
            "raw_attributes": {"picture": "https://wo/a"},
        },
        {"id": "prof_1", "name": "Ada L", "email": "a@wo.io", "image": "https://wo/a"},
    ),
    "yandex": (
        {
            "id": "y1",
            "display_name": "ada",
            "real_name": "Ada L",
            "emails": ["a@ya.ru"],
            "default_avatar_id": "131652443",
            "is_avatar_empty": False,
        },
        {
            "id": "y1",
            "name": "ada",
            "email": "a@ya.ru",
            "image": "https://avatars.yandex.net/get-yapic/131652443/islands-200",
        },
    ),
    "zoho": (
        {"ZUID": 6, "First_Name": "Ada", "Last_Name": "L", "Email": "a@zoho.com"},
        {"id": 6, "name": "Ada L", "email": "a@zoho.com", "image": None},
    ),
}

# Edge cases of the mappings with code or alternatives (next-auth's null/empty branches).
EDGES: list[tuple[str, Any, dict[str, Any]]] = [
    (
        "bungie",
        {"Response": {"bungieNetUser": {"membershipId": "1", "displayName": "A", "profilePicturePath": "/x.png"}}},
        {"image": "https://www.bungie.net/x.png"},
    ),
    (
        "foursquare",
        {"response": {"user": {"id": "f", "firstName": "A", "lastName": "B", "contact": {}}}},
        {"image": None, "email": None},
    ),
    (
        "yandex",
        {
            "id": "y",
            "real_name": "Ada L",
            "default_email": "d@ya.ru",
            "emails": ["e@ya.ru"],
            "default_avatar_id": "1",
            "is_avatar_empty": True,
        },
        {"name": "Ada L", "email": "d@ya.ru", "image": None},
    ),
    ("yandex", {"id": "y", "first_name": "Ada"}, {"name": "Ada", "email": None, "image": None}),
    ("vk", {"response": []}, {"id": None, "name": None, "image": None}),
    ("azure-ad-b2c", {"sub": "s", "emails": []}, {"email": None}),
]

BUILTIN = sorted(pid for pid, data in records().items() if data["module"] == "builtin")


def build(pid: str, **extra: Any) -> OAuthProvider:
    kwargs: dict[str, Any] = {"client_id": "the-client", "client_secret": "the-secret", **OPTIONS.get(pid, {}), **extra}
    return from_id(pid, **kwargs)


def test_the_table_covers_every_data_only_provider() -> None:
    assert sorted({*OAUTH, *OIDC}) == BUILTIN == sorted(PROFILES)
    assert len(BUILTIN) == 35


async def _authorize_url(provider: OAuthProvider) -> str:
    handler = NextAuth(AuthOptions(secret=SECRET, providers=[provider]))

    async def endpoint(request: Request) -> Response:
        result = await handler(request, {"params": {"nextauth": request.path_params["rest"].split("/")}})
        assert isinstance(result, Response)
        return result

    app = Starlette(routes=[Route("/api/auth/{rest:path}", endpoint, methods=["GET", "POST"])])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=ORIGIN) as browser:
        csrf = (await browser.get("/api/auth/csrf")).json()["csrfToken"]
        start = await browser.post(f"/api/auth/signin/{provider.id}", data={"csrfToken": csrf})
    assert start.status_code == 302, start.text
    location: str = start.headers["location"]
    return location


@pytest.mark.parametrize("pid", sorted(OAUTH))
async def test_oauth_records_render_next_auths_authorization_url(pid: str) -> None:
    url, params, checks = OAUTH[pid]
    provider = build(pid)
    assert (provider.id, provider.resolved_checks, provider.uses_id_token) == (pid, checks, False)
    location = await _authorize_url(provider)
    assert location.split("?")[0] == url
    sent = {k: v[-1] for k, v in parse_qs(urlsplit(location).query, keep_blank_values=True).items()}
    expected = {
        "client_id": "the-client",
        "response_type": "code",
        "redirect_uri": f"{ORIGIN}/api/auth/callback/{pid}",
        **params,
    }
    if "state" in checks:
        assert len(sent.pop("state")) >= 32
    if "pkce" in checks:
        assert sent.pop("code_challenge_method") == "S256" and len(sent.pop("code_challenge")) == 43
    assert sent == expected


@pytest.mark.parametrize("pid", sorted(OIDC))
def test_oidc_records_discover_at_next_auths_well_known(pid: str) -> None:
    well_known, params, checks = OIDC[pid]
    provider = build(pid)
    assert provider.well_known == well_known
    assert provider.authorization.params == params
    assert provider.resolved_checks == checks and provider.uses_id_token


@pytest.mark.parametrize("pid", BUILTIN)
async def test_each_profile_maps_as_next_auth_does(pid: str) -> None:
    sample, expected = PROFILES[pid]
    assert await call_positional(build(pid).profile, sample, {"access_token": "at"}) == expected


@pytest.mark.parametrize(("pid", "sample", "expected"), EDGES)
async def test_profile_edge_cases(pid: str, sample: Any, expected: dict[str, Any]) -> None:
    user = await call_positional(build(pid).profile, sample, {})
    assert {k: user[k] for k in expected} == expected


def test_every_factory_is_from_id() -> None:
    """The NextAuth.js-named factories (nextauth.providers.X) and from_id build the same provider."""
    for pid in BUILTIN:
        name = records()[pid]["factory"]
        factory = getattr(P, name)
        assert factory.__name__ == name and name in P.__all__
        if "issuer" in inspect.signature(factory).parameters:
            assert OPTIONS.get(pid, {}).get("issuer") or pid == "azure-ad-b2c", pid
        a, b = factory(client_id="c", client_secret="s", **OPTIONS.get(pid, {})), build(pid, client_id="c")
        assert (a.id, a.authorization.url, a.well_known, a.authorization.params) == (
            b.id,
            b.authorization.url,
            b.well_known,
            b.authorization.params,
        )


def test_from_id_builds_providers_with_modules_by_their_factory() -> None:
    github = from_id("github", client_id="c", client_secret="s")
    assert github.id == "github" and github.userinfo.request is not None  # GitHub's email fallback
    assert from_id("google", client_id="c", client_secret="s", id="google2").id == "google2"


@pytest.mark.parametrize(
    ("pid", "options", "message"),
    [
        ("foursqure", {}, "did you mean 'foursquare'"),
        ("email", {}, "not a built-in OAuth provider"),
        ("oauth", {}, "not a built-in OAuth provider"),
        ("", {}, "no built-in OAuth provider"),
        ("duende-identityserver6", {}, "issuer is required"),
        ("osso", {"issuer": "http://osso.example.com/"}, "https"),
        ("salesforce", {"issuer": "https://x.my.salesforce.com/?q=1"}, "query"),
        ("azure-ad-b2c", {"tenant_id": "contoso/../evil"}, "tenant_id"),
        ("azure-ad-b2c", {"tenant_id": "contoso"}, "primary_user_flow"),
        ("bungie", {}, "api_key is required"),
        ("foursquare", {"api_version": "2023-01-31&x=1"}, "api_version"),
        ("fusionauth", {"issuer": "https://a.example.com", "tenant_id": "t&x=1"}, "tenant_id"),
        ("box", {"client_id": ""}, "client_id is empty"),
    ],
)
def test_bad_options_are_clear_errors(pid: str, options: dict[str, Any], message: str) -> None:
    kwargs: dict[str, Any] = {"client_id": "c", "client_secret": "s", **options}
    with pytest.raises(InvalidProviderError, match=message):
        from_id(pid, **kwargs)


def test_issuer_placed_endpoints_follow_the_issuer() -> None:
    sf = build("salesforce", issuer="https://test.salesforce.com")
    assert [sf.authorization.url, sf.token.url, sf.userinfo.url] == [
        "https://test.salesforce.com/services/oauth2/authorize",
        "https://test.salesforce.com/services/oauth2/token",
        "https://test.salesforce.com/services/oauth2/userinfo",
    ]
    assert sf.issuer == "https://test.salesforce.com"
    assert build("salesforce").issuer is None  # next-auth sets it only when given
    assert build("workos").token.url == "https://api.workos.com/sso/token"
    osso = build("osso", issuer="https://osso.example.com")  # with or without the trailing slash
    assert osso.userinfo.url == "https://osso.example.com/oauth/me"


# ------------------------------------------------------------------------------------------ docs/providers.md
def docs_table() -> str:
    """The table of the data-only providers in docs/providers.md, as the data and the catalog give it."""
    from nextauth_cli.catalog import CATALOG

    lines = [
        "| factory | id | kind | default scope | checks | env variables |",
        "|---|---|---|---|---|---|",
    ]
    for pid in BUILTIN:
        spec, provider = CATALOG[pid], build(pid)
        scope = provider.authorization.params.get("scope")
        shown = f"`{scope}`" if scope else ("(app settings)" if scope == "" else "`openid` (none set)")
        kind = "OIDC" if spec.type == "oidc" else "OAuth 2"
        env = ", ".join(f"`{name}`" for _, name in spec.env_vars())
        checks = ", ".join(provider.resolved_checks)
        lines.append(f"| `{spec.factory}` | `{pid}` | {kind} | {shown} | {checks} | {env} |")
    return "\n".join(lines) + "\n"


def test_the_docs_list_every_data_only_provider() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[3] / "docs" / "providers.md").read_text(encoding="utf-8")
    assert docs_table() in text, "docs/providers.md is out of step: paste docs_table() (this file) in"
