"""Each factory's configuration: endpoints or discovery, scope, checks, ID token, client auth; and overrides."""

from __future__ import annotations

from typing import Any

import pytest
from providerkit import build

from nextauth.providers.facebook import GRAPH_API_VERSION

BASIC, POST = "client_secret_basic", "client_secret_post"
G = f"https://graph.facebook.com/{GRAPH_API_VERSION}"

# name, id, display name, discovery URL, (authorize, token, userinfo) URLs, scope, checks, id token, client auth
OAUTH2 = [
    (
        "AtlassianProvider",
        "atlassian",
        "Atlassian",
        (
            "https://auth.atlassian.com/authorize",
            "https://auth.atlassian.com/oauth/token",
            "https://api.atlassian.com/me",
        ),
        "read:me",
        ["state"],
        POST,
    ),
    (
        "BitbucketProvider",
        "bitbucket",
        "Bitbucket",
        (
            "https://bitbucket.org/site/oauth2/authorize",
            "https://bitbucket.org/site/oauth2/access_token",
            "https://api.bitbucket.org/2.0/user",
        ),
        "account email",
        ["state"],
        BASIC,
    ),
    (
        "DiscordProvider",
        "discord",
        "Discord",
        (
            "https://discord.com/api/oauth2/authorize",
            "https://discord.com/api/oauth2/token",
            "https://discord.com/api/users/@me",
        ),
        "identify email",
        ["state"],
        BASIC,
    ),
    (
        "DropboxProvider",
        "dropbox",
        "Dropbox",
        (
            "https://www.dropbox.com/oauth2/authorize",
            "https://api.dropboxapi.com/oauth2/token",
            "https://api.dropboxapi.com/2/users/get_current_account",
        ),
        "account_info.read",
        ["pkce", "state"],
        BASIC,
    ),
    (
        "FacebookProvider",
        "facebook",
        "Facebook",
        (f"https://www.facebook.com/{GRAPH_API_VERSION}/dialog/oauth", f"{G}/oauth/access_token", f"{G}/me"),
        "email",
        ["state"],
        POST,
    ),
    (
        "GitHubProvider",
        "github",
        "GitHub",
        (
            "https://github.com/login/oauth/authorize",
            "https://github.com/login/oauth/access_token",
            "https://api.github.com/user",
        ),
        "read:user user:email",
        ["state"],
        BASIC,
    ),
    (
        "GitLabProvider",
        "gitlab",
        "GitLab",
        ("https://gitlab.com/oauth/authorize", "https://gitlab.com/oauth/token", "https://gitlab.com/api/v4/user"),
        "read_user",
        ["pkce", "state"],
        BASIC,
    ),
    (
        "KakaoProvider",
        "kakao",
        "Kakao",
        (
            "https://kauth.kakao.com/oauth/authorize",
            "https://kauth.kakao.com/oauth/token",
            "https://kapi.kakao.com/v2/user/me",
        ),
        "",
        ["state"],
        POST,
    ),
    (
        "OsuProvider",
        "osu",
        "osu!",
        ("https://osu.ppy.sh/oauth/authorize", "https://osu.ppy.sh/oauth/token", "https://osu.ppy.sh/api/v2/me"),
        "identify",
        ["state"],
        BASIC,
    ),
    (
        "PatreonProvider",
        "patreon",
        "Patreon",
        (
            "https://www.patreon.com/oauth2/authorize",
            "https://www.patreon.com/api/oauth2/token",
            "https://www.patreon.com/api/oauth2/v2/identity",
        ),
        "identity identity[email]",
        ["state"],
        POST,
    ),
    (
        "RedditProvider",
        "reddit",
        "Reddit",
        (
            "https://www.reddit.com/api/v1/authorize",
            "https://www.reddit.com/api/v1/access_token",
            "https://oauth.reddit.com/api/v1/me",
        ),
        "identity",
        ["state"],
        BASIC,
    ),
    (
        "SpotifyProvider",
        "spotify",
        "Spotify",
        (
            "https://accounts.spotify.com/authorize",
            "https://accounts.spotify.com/api/token",
            "https://api.spotify.com/v1/me",
        ),
        "user-read-email",
        ["state"],
        BASIC,
    ),
    (
        "StravaProvider",
        "strava",
        "Strava",
        (
            "https://www.strava.com/oauth/authorize",
            "https://www.strava.com/oauth/token",
            "https://www.strava.com/api/v3/athlete",
        ),
        "read",
        ["state"],
        POST,
    ),
    (
        "TwitterProvider",
        "twitter",
        "Twitter",
        (
            "https://twitter.com/i/oauth2/authorize",
            "https://api.twitter.com/2/oauth2/token",
            "https://api.twitter.com/2/users/me",
        ),
        "users.read tweet.read offline.access",
        ["pkce", "state"],
        BASIC,
    ),
    (
        "ZoomProvider",
        "zoom",
        "Zoom",
        ("https://zoom.us/oauth/authorize", "https://zoom.us/oauth/token", "https://api.zoom.us/v2/users/me"),
        "",
        ["state"],
        BASIC,
    ),
]

WK = "/.well-known/openid-configuration"
OIDC = [
    ("AppleProvider", "apple", "Apple", f"https://appleid.apple.com{WK}", "name email", ["pkce"], POST),
    (
        "Auth0Provider",
        "auth0",
        "Auth0",
        f"https://dev-abc123.us.auth0.com{WK}",
        "openid email profile",
        ["pkce", "state"],
        BASIC,
    ),
    (
        "AuthentikProvider",
        "authentik",
        "authentik",
        f"https://authentik.example.com/application/o/my-app{WK}",
        "openid email profile",
        ["pkce", "state"],
        BASIC,
    ),
    (
        "AzureADProvider",
        "azure-ad",
        "Microsoft Entra ID",
        f"https://login.microsoftonline.com/common/v2.0{WK}?appid=the-client-id",
        "openid profile email",
        ["pkce", "state"],
        BASIC,
    ),
    ("BattleNetProvider", "battlenet", "Battle.net", f"https://oauth.battle.net{WK}", "openid", ["state"], BASIC),
    (
        "CognitoProvider",
        "cognito",
        "Cognito",
        f"https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123{WK}",
        "openid",
        ["pkce", "state"],
        BASIC,
    ),
    (
        "GoogleProvider",
        "google",
        "Google",
        f"https://accounts.google.com{WK}",
        "openid email profile",
        ["pkce", "state"],
        BASIC,
    ),
    (
        "HuggingFaceProvider",
        "huggingface",
        "Hugging Face",
        f"https://huggingface.co{WK}",
        "openid profile email",
        ["pkce", "state"],
        BASIC,
    ),
    (
        "KeycloakProvider",
        "keycloak",
        "Keycloak",
        f"https://keycloak.example.com/realms/myrealm{WK}",
        "openid email profile",
        ["pkce", "state"],
        BASIC,
    ),
    ("LineProvider", "line", "LINE", f"https://access.line.me{WK}", "openid profile", ["state"], POST),
    (
        "LinkedInProvider",
        "linkedin",
        "LinkedIn",
        f"https://www.linkedin.com/oauth{WK}",
        "openid profile email",
        ["state"],
        POST,
    ),
    (
        "OIDCProvider",
        "oidc",
        "OpenID Connect",
        f"https://id.example.com{WK}",
        "openid email profile",
        ["pkce", "state"],
        BASIC,
    ),
    (
        "OktaProvider",
        "okta",
        "Okta",
        f"https://dev-123456.okta.com/oauth2/default{WK}",
        "openid email profile",
        ["pkce", "state"],
        BASIC,
    ),
    ("SlackProvider", "slack", "Slack", f"https://slack.com{WK}", "openid profile email", ["nonce", "state"], BASIC),
    (
        "TwitchProvider",
        "twitch",
        "Twitch",
        f"https://id.twitch.tv/oauth2{WK}",
        "openid user:read:email",
        ["state"],
        POST,
    ),
    (
        "ZitadelProvider",
        "zitadel",
        "ZITADEL",
        f"https://my-instance-abc123.zitadel.cloud{WK}",
        "openid email profile",
        ["pkce", "state"],
        BASIC,
    ),
]


def test_the_tables_cover_every_factory() -> None:
    from providerkit import factory_names

    assert sorted(row[0] for row in OAUTH2 + OIDC) == factory_names()


@pytest.mark.parametrize(
    ("name", "pid", "display", "urls", "scope", "checks", "auth"), OAUTH2, ids=[r[1] for r in OAUTH2]
)
def test_oauth2_provider(
    name: str, pid: str, display: str, urls: tuple[str, str, str], scope: str, checks: list[str], auth: str
) -> None:
    provider = build(name)
    assert (provider.id, provider.name, provider.type) == (pid, display, "oauth")
    assert provider.well_known is None
    assert (provider.authorization.url, provider.token.url, provider.userinfo.url) == urls
    assert provider.authorization.params["scope"] == scope
    assert provider.resolved_checks == checks
    assert provider.uses_id_token is False
    assert provider.client.get("token_endpoint_auth_method", BASIC) == auth


@pytest.mark.parametrize(
    ("name", "pid", "display", "well_known", "scope", "checks", "auth"), OIDC, ids=[r[1] for r in OIDC]
)
def test_oidc_provider(
    name: str, pid: str, display: str, well_known: str, scope: str, checks: list[str], auth: str
) -> None:
    provider = build(name)
    assert (provider.id, provider.name) == (pid, display)
    assert provider.well_known == well_known
    assert provider.authorization.url is None and provider.token.url is None  # from discovery
    assert provider.authorization.params["scope"] == scope
    assert provider.resolved_checks == checks
    assert provider.uses_id_token is True
    assert provider.client.get("token_endpoint_auth_method", BASIC) == auth


# ------------------------------------------------------------------------------------------ per-provider extras
def test_provider_specific_authorization_params() -> None:
    assert build("AppleProvider").authorization.params == {"scope": "name email", "response_mode": "form_post"}
    assert build("AtlassianProvider").authorization.params == {
        "audience": "api.atlassian.com",
        "prompt": "consent",
        "scope": "read:me",
    }
    assert build("DropboxProvider").authorization.params["token_access_type"] == "offline"
    assert build("StravaProvider").authorization.params["approval_prompt"] == "auto"
    claims = build("TwitchProvider").authorization.params["claims"]
    assert claims == '{"id_token":{"email":null,"picture":null,"preferred_username":null}}'


def test_userinfo_query_params() -> None:
    assert build("FacebookProvider").userinfo.params == {"fields": "id,name,email,picture"}
    assert build("TwitterProvider").userinfo.params == {"user.fields": "profile_image_url"}
    assert build("PatreonProvider").userinfo.params == {"fields[user]": "email,full_name,image_url,is_email_verified"}


def test_twitter_sends_client_id_in_the_token_body() -> None:
    assert build("TwitterProvider").token.params == {"client_id": "the-client-id"}


def test_line_expects_hs256_id_tokens() -> None:
    assert build("LineProvider").client["id_token_signed_response_alg"] == "HS256"


def test_issuer_is_kept_on_issuer_based_providers() -> None:
    assert build("Auth0Provider").issuer == "https://dev-abc123.us.auth0.com"
    assert build("AuthentikProvider").issuer == "https://authentik.example.com/application/o/my-app/"
    assert build("BattleNetProvider").issuer == "https://oauth.battle.net"
    china = build("BattleNetProvider", issuer="https://oauth.battlenet.com.cn")
    assert china.well_known == f"https://oauth.battlenet.com.cn{WK}"


# ------------------------------------------------------------------------------------------ Azure AD / Entra ID
def test_azure_tenant_and_client_id_in_the_discovery_url() -> None:
    provider = build("AzureADProvider", tenant_id="contoso.onmicrosoft.com", client_id="a b&c")
    assert provider.well_known == (
        f"https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0{WK}?appid=a%20b%26c"
    )
    guid = "9188040d-6c67-4c5b-b112-36a304b66dad"
    assert f"/{guid}/v2.0/" in (build("AzureADProvider", tenant_id=guid).well_known or "")


def test_azure_photo_is_opt_in_and_adds_user_read() -> None:
    plain = build("AzureADProvider")
    assert plain.authorization.params["scope"] == "openid profile email"
    with_photo = build("AzureADProvider", profile_photo_size=96)
    assert with_photo.authorization.params["scope"] == "openid profile email User.Read"
    assert with_photo.profile is not plain.profile


@pytest.mark.parametrize("tenant", ["", "common/../x", "a b", "https://login.microsoftonline.com/x"])
def test_azure_rejects_a_bad_tenant(tenant: str) -> None:
    from nextauth.errors import InvalidProviderError

    with pytest.raises(InvalidProviderError, match=r"tenant_id .* is not a tenant: use 'common'"):
        build("AzureADProvider", tenant_id=tenant)


def test_azure_rejects_an_unknown_photo_size() -> None:
    from nextauth.errors import InvalidProviderError

    with pytest.raises(InvalidProviderError, match=r"profile_photo_size must be one of 48, 64, .*648.*got 50"):
        build("AzureADProvider", profile_photo_size=50)


# ------------------------------------------------------------------------------------------ GitLab self-hosted
def test_gitlab_self_hosted_base_url() -> None:
    provider = build("GitLabProvider", base_url="https://code.example.com/gitlab/")
    assert provider.authorization.url == "https://code.example.com/gitlab/oauth/authorize"
    assert provider.token.url == "https://code.example.com/gitlab/oauth/token"
    assert provider.userinfo.url == "https://code.example.com/gitlab/api/v4/user"


def test_gitlab_base_url_must_be_https() -> None:
    from nextauth.errors import InvalidProviderError

    with pytest.raises(InvalidProviderError, match=r"provider 'gitlab': base_url uses http://"):
        build("GitLabProvider", base_url="http://gitlab.example.com")
    assert build("GitLabProvider", base_url="http://localhost:8929").token.url == "http://localhost:8929/oauth/token"


# ------------------------------------------------------------------------------------------ Twitter versions
def test_twitter_versions() -> None:
    from nextauth.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match=r"version='3' is not supported: use '2.0'.*or '1.0A'"):
        build("TwitterProvider", version="3")
    assert build("TwitterProvider", version="2.0").id == "twitter"
    assert not build("TwitterProvider").is_oauth1
    legacy = build("TwitterProvider", version="1.0A")  # next-auth's TwitterLegacy (OAuth 1.0a)
    assert legacy.is_oauth1 and (legacy.id, legacy.name) == ("twitter", "Twitter (Legacy)")
    assert legacy.request_token_url == "https://api.twitter.com/oauth/request_token"
    assert legacy.token.url == "https://api.twitter.com/oauth/access_token"
    assert legacy.authorization.url == "https://api.twitter.com/oauth/authenticate"
    assert legacy.userinfo.url == "https://api.twitter.com/1.1/account/verify_credentials.json"
    assert legacy.userinfo.params == {"include_email": "true"}
    picture = "https://pbs.twimg.com/profile_images/1/abc_normal.png"
    assert legacy.profile({"id_str": "12", "name": "N", "email": "n@x.io", "profile_image_url_https": picture}) == {
        "id": "12",
        "name": "N",
        "email": "n@x.io",
        "image": "https://pbs.twimg.com/profile_images/1/abc.png",
    }


# ------------------------------------------------------------------------------------------ deep merge of options
def test_params_merge_and_checks_are_replaced() -> None:
    provider = build(
        "GoogleProvider",
        authorization={"params": {"prompt": "consent", "access_type": "offline"}},
        checks=["state"],
    )
    assert provider.authorization.params == {
        "scope": "openid email profile",
        "prompt": "consent",
        "access_type": "offline",
    }
    assert provider.resolved_checks == ["state"]


@pytest.mark.parametrize("name", ["DiscordProvider", "KeycloakProvider", "AzureADProvider", "AppleProvider"])
def test_scope_override_keeps_other_params(name: str) -> None:
    base = build(name).authorization.params
    provider = build(name, authorization={"params": {"scope": "openid"}})
    assert provider.authorization.params == {**base, "scope": "openid"}
    assert provider.authorization.url == build(name).authorization.url


def test_endpoint_url_override_as_a_string_with_query() -> None:
    provider = build("DiscordProvider", authorization="https://discord.com/oauth2/authorize?prompt=none")
    assert provider.authorization.url == "https://discord.com/oauth2/authorize"
    assert provider.authorization.params == {"scope": "identify email", "prompt": "none"}


def test_client_options_merge() -> None:
    provider = build("FacebookProvider", client={"id_token_signed_response_alg": "RS256"})
    assert provider.client == {
        "token_endpoint_auth_method": "client_secret_post",
        "id_token_signed_response_alg": "RS256",
    }
    assert build("DiscordProvider", client={"token_endpoint_auth_method": "client_secret_post"}).client == {
        "token_endpoint_auth_method": "client_secret_post"
    }


def test_profile_and_style_overrides() -> None:
    def profile(p: dict[str, Any]) -> dict[str, Any]:
        return {"id": p["id"], "role": "user"}

    provider = build("DiscordProvider", profile=profile, style={"bg": "#000"})
    assert provider.profile is profile
    assert provider.style is not None and (provider.style.bg, provider.style.logo) == ("#000", "/discord.svg")


def test_camel_case_options_are_accepted() -> None:
    provider = build("OktaProvider", allowDangerousEmailAccountLinking=True, idToken=False)
    assert provider.allow_dangerous_email_account_linking is True and provider.uses_id_token is False


def test_unknown_option_names_the_closest_one() -> None:
    from nextauth.errors import InvalidProviderError

    with pytest.raises(
        InvalidProviderError, match=r"unknown option\(s\): authorisation \(did you mean authorization\?\)"
    ):
        build("SpotifyProvider", authorisation={"params": {}})
