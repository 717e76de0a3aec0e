"""Profile mapping: each provider's documented profile payload (or ID token claims) becomes a user."""

from __future__ import annotations

from typing import Any

import pytest
from providerkit import build, factory_names

from nextauth._lib.util import call_positional

TOKENS = {"access_token": "at-123", "token_type": "Bearer"}

# factory, a payload shaped like the provider's documentation shows it, the user it must give
SAMPLES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "AppleProvider",
        {
            "iss": "https://appleid.apple.com",
            "aud": "com.example.web",
            "exp": 1767312000,
            "iat": 1767225600,
            "sub": "001234.5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b.1234",
            "at_hash": "3Wc9gqW3b6jVVCoI2Up2Yw",
            "email": "x7hq2k9d@privaterelay.appleid.com",
            "email_verified": "true",
            "is_private_email": "true",
            "auth_time": 1767225590,
            "nonce_supported": True,
        },
        {
            "id": "001234.5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b.1234",
            "name": None,
            "email": "x7hq2k9d@privaterelay.appleid.com",
            "image": None,
        },
    ),
    (
        "AtlassianProvider",
        {
            "account_type": "atlassian",
            "account_id": "112233aa-bb11-cc22-33dd-445566abcabc",
            "email": "mia@example.com",
            "name": "Mia Krystof",
            "picture": "https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/112233aa/abc",
            "account_status": "active",
            "nickname": "mkrystof",
            "zoneinfo": "Australia/Sydney",
            "locale": "en-US",
            "extended_profile": {"job_title": "Designer"},
            "email_verified": True,
        },
        {
            "id": "112233aa-bb11-cc22-33dd-445566abcabc",
            "name": "Mia Krystof",
            "email": "mia@example.com",
            "image": "https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/112233aa/abc",
        },
    ),
    (
        "Auth0Provider",
        {
            "sub": "auth0|65a1b2c3d4e5f6a7b8c9d0e1",
            "nickname": "jane.doe",
            "name": "jane.doe@example.com",
            "picture": "https://s.gravatar.com/avatar/0123456789abcdef?s=480&r=pg",
            "updated_at": "2026-11-20T10:00:00.000Z",
            "email": "jane.doe@example.com",
            "email_verified": True,
            "iss": "https://dev-abc123.us.auth0.com/",
        },
        {
            "id": "auth0|65a1b2c3d4e5f6a7b8c9d0e1",
            "name": "jane.doe",
            "email": "jane.doe@example.com",
            "image": "https://s.gravatar.com/avatar/0123456789abcdef?s=480&r=pg",
        },
    ),
    (
        "AuthentikProvider",
        {
            "sub": "d7f3e5c0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8",
            "email": "admin@example.com",
            "email_verified": True,
            "name": "",
            "given_name": "",
            "preferred_username": "akadmin",
            "nickname": "akadmin",
            "groups": ["authentik Admins"],
        },
        {
            "id": "d7f3e5c0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8",
            "name": "akadmin",
            "email": "admin@example.com",
            "image": None,
        },
    ),
    (
        "AzureADProvider",
        {
            "aud": "6cb04018-a3f5-46a7-b995-940c78f5aef3",
            "iss": "https://login.microsoftonline.com/9122040d-6c67-4c5b-b112-36a304b66dad/v2.0",
            "iat": 1767225600,
            "nbf": 1767225600,
            "exp": 1767229500,
            "name": "Abe Lincoln",
            "oid": "00000000-0000-0000-66f3-3332eca7ea81",
            "preferred_username": "AbeLi@microsoft.com",
            "email": "AbeLi@microsoft.com",
            "sub": "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
            "tid": "9122040d-6c67-4c5b-b112-36a304b66dad",
            "ver": "2.0",
        },
        {
            "id": "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
            "name": "Abe Lincoln",
            "email": "AbeLi@microsoft.com",
            "image": None,
        },
    ),
    (
        "BattleNetProvider",
        {"sub": "123456789", "battle_tag": "Player#1234", "iss": "https://oauth.battle.net", "aud": "c"},
        {"id": "123456789", "name": "Player#1234", "email": None, "image": None},
    ),
    (
        "BitbucketProvider",
        {
            "display_name": "Jane Doe",
            "links": {
                "self": {"href": "https://api.bitbucket.org/2.0/users/%7Bc7b9a8f1%7D"},
                "avatar": {"href": "https://secure.gravatar.com/avatar/abc?d=initials.png"},
                "html": {"href": "https://bitbucket.org/%7Bc7b9a8f1%7D/"},
            },
            "created_on": "2019-04-11T08:00:00.000000+00:00",
            "type": "user",
            "uuid": "{c7b9a8f1-0000-4e3b-a1b2-c3d4e5f6a7b8}",
            "has_2fa_enabled": None,
            "username": "janedoe",
            "is_staff": False,
            "account_id": "557058:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
            "nickname": "janedoe",
            "account_status": "active",
            "email": "jane@example.com",
        },
        {
            "id": "557058:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
            "name": "Jane Doe",
            "email": "jane@example.com",
            "image": "https://secure.gravatar.com/avatar/abc?d=initials.png",
        },
    ),
    (
        "CognitoProvider",
        {
            "sub": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
            "cognito:groups": ["admin"],
            "email_verified": True,
            "iss": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123",
            "cognito:username": "janedoe",
            "aud": "xxxxxxxxxxxxexample",
            "token_use": "id",
            "auth_time": 1767225600,
            "exp": 1767229200,
            "iat": 1767225600,
            "email": "janedoe@example.com",
        },
        {
            "id": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
            "name": "janedoe",
            "email": "janedoe@example.com",
            "image": None,
        },
    ),
    (
        "DiscordProvider",
        {
            "id": "80351110224678912",
            "username": "nelly",
            "discriminator": "0",
            "global_name": "Nelly",
            "avatar": "8342729096ea3675442027381ff50dfe",
            "verified": True,
            "email": "nelly@discord.com",
            "flags": 64,
            "banner": "06c16474723fe537c283b8efa61a30c8",
            "accent_color": 16711680,
            "premium_type": 1,
            "public_flags": 64,
            "mfa_enabled": False,
            "locale": "en-US",
        },
        {
            "id": "80351110224678912",
            "name": "Nelly",
            "email": "nelly@discord.com",
            "image": "https://cdn.discordapp.com/avatars/80351110224678912/8342729096ea3675442027381ff50dfe.png",
        },
    ),
    (
        "DropboxProvider",
        {
            "account_id": "dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc",
            "name": {
                "given_name": "Franz",
                "surname": "Ferdinand",
                "familiar_name": "Franz",
                "display_name": "Franz Ferdinand (Personal)",
                "abbreviated_name": "FF",
            },
            "email": "franz@dropbox.com",
            "email_verified": True,
            "disabled": False,
            "locale": "en",
            "is_paired": False,
            "account_type": {".tag": "basic"},
            "profile_photo_url": "https://dl-web.dropbox.com/account_photo/get/dbaphid%3AAAH?size=128x128",
            "country": "US",
        },
        {
            "id": "dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc",
            "name": "Franz Ferdinand (Personal)",
            "email": "franz@dropbox.com",
            "image": "https://dl-web.dropbox.com/account_photo/get/dbaphid%3AAAH?size=128x128",
        },
    ),
    (
        "FacebookProvider",
        {
            "id": "10158765432109876",
            "name": "Jane Doe",
            "email": "jane@example.com",
            "picture": {
                "data": {
                    "height": 50,
                    "is_silhouette": False,
                    "url": "https://platform-lookaside.fbsbx.com/platform/profilepic/?asid=10158765432109876",
                    "width": 50,
                }
            },
        },
        {
            "id": "10158765432109876",
            "name": "Jane Doe",
            "email": "jane@example.com",
            "image": "https://platform-lookaside.fbsbx.com/platform/profilepic/?asid=10158765432109876",
        },
    ),
    (
        "GitLabProvider",
        {
            "id": 1,
            "username": "john_smith",
            "email": "john@example.com",
            "name": "John Smith",
            "state": "active",
            "avatar_url": "https://gitlab.com/uploads/-/system/user/avatar/1/avatar.png",
            "web_url": "https://gitlab.com/john_smith",
            "two_factor_enabled": True,
        },
        {
            "id": "1",
            "name": "John Smith",
            "email": "john@example.com",
            "image": "https://gitlab.com/uploads/-/system/user/avatar/1/avatar.png",
        },
    ),
    (
        "HuggingFaceProvider",
        {
            "sub": "62d0f0e1a2b3c4d5e6f7a8b9",
            "name": "Jane Doe",
            "preferred_username": "janedoe",
            "profile": "https://huggingface.co/janedoe",
            "picture": "https://cdn-avatars.huggingface.co/v1/production/uploads/abc.png",
            "email": "jane@example.com",
            "email_verified": True,
        },
        {
            "id": "62d0f0e1a2b3c4d5e6f7a8b9",
            "name": "Jane Doe",
            "email": "jane@example.com",
            "image": "https://cdn-avatars.huggingface.co/v1/production/uploads/abc.png",
        },
    ),
    (
        "KakaoProvider",
        {
            "id": 123456789,
            "connected_at": "2026-04-11T01:45:28Z",
            "kakao_account": {
                "profile_nickname_needs_agreement": False,
                "profile": {
                    "nickname": "홍길동",
                    "thumbnail_image_url": "http://yyy.kakao.com/dn/img_110x110.jpg",
                    "profile_image_url": "http://yyy.kakao.com/dn/img_640x640.jpg",
                    "is_default_image": False,
                },
                "email_needs_agreement": False,
                "is_email_valid": True,
                "is_email_verified": True,
                "email": "sample@sample.com",
            },
        },
        {
            "id": "123456789",
            "name": "홍길동",
            "email": "sample@sample.com",
            "image": "http://yyy.kakao.com/dn/img_640x640.jpg",
        },
    ),
    (
        "KeycloakProvider",
        {
            "exp": 1767229200,
            "iat": 1767225600,
            "iss": "https://keycloak.example.com/realms/myrealm",
            "aud": "the-client-id",
            "sub": "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b",
            "typ": "ID",
            "azp": "the-client-id",
            "email_verified": True,
            "name": "Jane Doe",
            "preferred_username": "jane",
            "given_name": "Jane",
            "family_name": "Doe",
            "email": "jane@example.com",
        },
        {"id": "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b", "name": "Jane Doe", "email": "jane@example.com", "image": None},
    ),
    (
        "LineProvider",
        {
            "iss": "https://access.line.me",
            "sub": "U1234567890abcdef1234567890abcdef",
            "aud": "1234567890",
            "exp": 1767229200,
            "iat": 1767225600,
            "amr": ["pwd"],
            "name": "Taro Line",
            "picture": "https://profile.line-scdn.net/0h1234",
            "email": "taro.line@example.com",
        },
        {
            "id": "U1234567890abcdef1234567890abcdef",
            "name": "Taro Line",
            "email": "taro.line@example.com",
            "image": "https://profile.line-scdn.net/0h1234",
        },
    ),
    (
        "LinkedInProvider",
        {
            "iss": "https://www.linkedin.com/oauth",
            "aud": "the-client-id",
            "iat": 1767225600,
            "exp": 1767229200,
            "sub": "782bbtaQ",
            "name": "John Doe",
            "given_name": "John",
            "family_name": "Doe",
            "picture": "https://media.licdn.com/dms/image/C4D03AQ/profile-displayphoto-shrink_100_100/0/1",
            "email": "doe@email.com",
            "email_verified": True,
            "locale": "en-US",
        },
        {
            "id": "782bbtaQ",
            "name": "John Doe",
            "email": "doe@email.com",
            "image": "https://media.licdn.com/dms/image/C4D03AQ/profile-displayphoto-shrink_100_100/0/1",
        },
    ),
    (
        "OIDCProvider",
        {"sub": "248289761001", "name": "Jane Doe", "email": "janedoe@example.com", "picture": "https://x.test/j.jpg"},
        {"id": "248289761001", "name": "Jane Doe", "email": "janedoe@example.com", "image": "https://x.test/j.jpg"},
    ),
    (
        "OktaProvider",
        {
            "sub": "00uid4BxXw6I6TV4m0g3",
            "name": "John Doe",
            "email": "john.doe@example.com",
            "ver": 1,
            "iss": "https://dev-123456.okta.com/oauth2/default",
            "aud": "the-client-id",
            "preferred_username": "john.doe@example.com",
            "idp": "00ok1u7AsAkrwdZL3z0g3",
        },
        {"id": "00uid4BxXw6I6TV4m0g3", "name": "John Doe", "email": "john.doe@example.com", "image": None},
    ),
    (
        "OsuProvider",
        {
            "avatar_url": "https://a.ppy.sh/2?1519081077.png",
            "country_code": "AU",
            "id": 2,
            "is_active": True,
            "username": "peppy",
            "playmode": "osu",
        },
        {"id": "2", "name": "peppy", "email": None, "image": "https://a.ppy.sh/2?1519081077.png"},
    ),
    (
        "PatreonProvider",
        {
            "data": {
                "attributes": {
                    "email": "platform@patreon.com",
                    "full_name": "Platform Team",
                    "image_url": "https://c8.patreon.com/2/200/12345",
                    "is_email_verified": True,
                },
                "id": "12345",
                "type": "user",
            },
            "links": {"self": "https://www.patreon.com/api/oauth2/v2/user/12345"},
        },
        {
            "id": "12345",
            "name": "Platform Team",
            "email": "platform@patreon.com",
            "image": "https://c8.patreon.com/2/200/12345",
        },
    ),
    (
        "RedditProvider",
        {
            "id": "1w72",
            "name": "spez",
            "icon_img": "https://styles.redditmedia.com/t5_3k30p/styles/profileIcon_abc.png?width=256&amp;height=256",
            "snoovatar_img": "",
            "total_karma": 1000,
            "verified": True,
        },
        {
            "id": "1w72",
            "name": "spez",
            "email": None,
            "image": "https://styles.redditmedia.com/t5_3k30p/styles/profileIcon_abc.png?width=256&height=256",
        },
    ),
    (
        "SlackProvider",
        {
            "iss": "https://slack.com",
            "sub": "U0R7JM",
            "aud": "25259531569.1115258246291",
            "exp": 1626874955,
            "iat": 1626874655,
            "auth_time": 1626874655,
            "nonce": "abcd",
            "https://slack.com/team_id": "T0R7GR",
            "https://slack.com/user_id": "U0R7JM",
            "email": "krane@slack-corp.com",
            "email_verified": True,
            "locale": "en-US",
            "name": "krane",
            "picture": "https://secure.gravatar.com/avatar/bc.png",
            "https://slack.com/user_image_512": "https://secure.gravatar.com/avatar/bc-512.png",
            "https://slack.com/team_name": "kraneflannel",
        },
        {
            "id": "U0R7JM",
            "name": "krane",
            "email": "krane@slack-corp.com",
            "image": "https://secure.gravatar.com/avatar/bc.png",
        },
    ),
    (
        "SpotifyProvider",
        {
            "country": "SE",
            "display_name": "JM Wizzler",
            "email": "email@example.com",
            "explicit_content": {"filter_enabled": False, "filter_locked": False},
            "external_urls": {"spotify": "https://open.spotify.com/user/wizzler"},
            "followers": {"href": None, "total": 3829},
            "href": "https://api.spotify.com/v1/users/wizzler",
            "id": "wizzler",
            "images": [{"height": 300, "url": "https://i.scdn.co/image/ab6775700000ee85", "width": 300}],
            "product": "premium",
            "type": "user",
            "uri": "spotify:user:wizzler",
        },
        {
            "id": "wizzler",
            "name": "JM Wizzler",
            "email": "email@example.com",
            "image": "https://i.scdn.co/image/ab6775700000ee85",
        },
    ),
    (
        "StravaProvider",
        {
            "id": 1234567890987654321,
            "username": "marianne_t",
            "resource_state": 3,
            "firstname": "Marianne",
            "lastname": "Teutenberg",
            "city": "San Francisco",
            "profile_medium": "https://xxxxxx.cloudfront.net/pictures/athletes/123456789/2/medium.jpg",
            "profile": "https://xxxxx.cloudfront.net/pictures/athletes/123456789/2/large.jpg",
        },
        {
            "id": "1234567890987654321",
            "name": "Marianne Teutenberg",
            "email": None,
            "image": "https://xxxxx.cloudfront.net/pictures/athletes/123456789/2/large.jpg",
        },
    ),
    (
        "TwitchProvider",
        {
            "aud": "hof5gwx0su6owfnys0yan9c87zr6t",
            "exp": 1767229200,
            "iat": 1767225600,
            "iss": "https://id.twitch.tv/oauth2",
            "sub": "713936733",
            "email": "scotwht@justin.tv",
            "email_verified": True,
            "picture": "https://static-cdn.jtvnw.net/jtv_user_pictures/8a6381c7-300x300.png",
            "preferred_username": "scotwht",
        },
        {
            "id": "713936733",
            "name": "scotwht",
            "email": "scotwht@justin.tv",
            "image": "https://static-cdn.jtvnw.net/jtv_user_pictures/8a6381c7-300x300.png",
        },
    ),
    (
        "TwitterProvider",
        {
            "data": {
                "id": "2244994945",
                "name": "Developers",
                "username": "XDevelopers",
                "profile_image_url": "https://pbs.twimg.com/profile_images/1683325380441128960/yRsRRjGO_normal.jpg",
            }
        },
        {
            "id": "2244994945",
            "name": "Developers",
            "email": None,
            "image": "https://pbs.twimg.com/profile_images/1683325380441128960/yRsRRjGO_normal.jpg",
        },
    ),
    (
        "ZitadelProvider",
        {
            "sub": "203245372871868417",
            "name": "Road Runner",
            "given_name": "Road",
            "family_name": "Runner",
            "preferred_username": "road.runner@acme.zitadel.cloud",
            "email": "road.runner@acme.ch",
            "email_verified": True,
            "picture": "https://acme.zitadel.cloud/assets/v1/avatar.png",
        },
        {
            "id": "203245372871868417",
            "name": "Road Runner",
            "email": "road.runner@acme.ch",
            "image": "https://acme.zitadel.cloud/assets/v1/avatar.png",
        },
    ),
    (
        "ZoomProvider",
        {
            "id": "KDcuGIm1QgePTO8WbOqwIQ",
            "first_name": "Jill",
            "last_name": "Chill",
            "display_name": "Jill Chill",
            "email": "jchill@example.com",
            "type": 1,
            "pmi": 3542471135,
            "timezone": "Asia/Shanghai",
            "verified": 1,
            "pic_url": "https://example.com/photo.jpg",
            "status": "active",
            "account_id": "q6gBJVO5TzexKYTb_I2rpg",
        },
        {
            "id": "KDcuGIm1QgePTO8WbOqwIQ",
            "name": "Jill Chill",
            "email": "jchill@example.com",
            "image": "https://example.com/photo.jpg",
        },
    ),
]


def test_every_factory_has_a_sample() -> None:
    covered = {name for name, _, _ in SAMPLES} | {"GitHubProvider", "GoogleProvider"}  # the lead's own tests
    assert covered == set(factory_names())


@pytest.mark.parametrize(("name", "payload", "user"), SAMPLES, ids=[s[0] for s in SAMPLES])
async def test_profile(name: str, payload: dict[str, Any], user: dict[str, Any]) -> None:
    result = await call_positional(build(name).profile, payload, TOKENS)
    assert result == user
    assert isinstance(result["id"], str) and result["id"]


# ------------------------------------------------------------------------------------------ fallbacks
async def profile_of(name: str, payload: dict[str, Any], **options: Any) -> dict[str, Any]:
    result: dict[str, Any] = await call_positional(build(name, **options).profile, payload, TOKENS)
    return result


@pytest.mark.parametrize(
    ("user", "index"),
    [
        pytest.param({"id": "80351110224678912", "discriminator": "0"}, (80351110224678912 >> 22) % 6, id="new"),
        pytest.param({"id": "80351110224678912", "discriminator": "1337"}, 1337 % 5, id="legacy"),
    ],
)
async def test_discord_default_avatar(user: dict[str, Any], index: int) -> None:
    result = await profile_of("DiscordProvider", {**user, "username": "nelly", "avatar": None})
    assert result["image"] == f"https://cdn.discordapp.com/embed/avatars/{index}.png"
    assert result["name"] == "nelly"


async def test_discord_animated_avatar_is_a_gif() -> None:
    result = await profile_of(
        "DiscordProvider", {"id": "1", "username": "a", "avatar": "a_1269e74af4df7417b13759eae50c83dc"}
    )
    assert result["image"] == "https://cdn.discordapp.com/avatars/1/a_1269e74af4df7417b13759eae50c83dc.gif"


async def test_apple_name_from_the_first_authorization_user_field() -> None:
    claims = {"sub": "001234.abc.1234", "email": "j@privaterelay.appleid.com"}
    user = {"name": {"firstName": "Jane", "lastName": "Appleseed"}, "email": "j@privaterelay.appleid.com"}
    assert (await profile_of("AppleProvider", {**claims, "user": user}))["name"] == "Jane Appleseed"


async def test_unverified_emails_are_dropped() -> None:
    dropbox = {"account_id": "dbid:x", "name": {"display_name": "F"}, "email": "f@x.test", "email_verified": False}
    assert (await profile_of("DropboxProvider", dropbox))["email"] is None
    kakao = {"id": 1, "kakao_account": {"email": "k@x.test", "is_email_valid": True, "is_email_verified": False}}
    assert (await profile_of("KakaoProvider", kakao))["email"] is None
    atlassian = {"account_id": "a", "email": "a@x.test", "email_verified": False}
    assert (await profile_of("AtlassianProvider", atlassian))["email"] is None


async def test_name_fallbacks() -> None:
    assert (await profile_of("KeycloakProvider", {"sub": "s", "preferred_username": "jane"}))["name"] == "jane"
    assert (await profile_of("GitLabProvider", {"id": 5, "username": "jsmith", "name": ""}))["name"] == "jsmith"
    assert (await profile_of("LinkedInProvider", {"sub": "s", "given_name": "A", "family_name": "B"}))["name"] == "A B"
    assert (await profile_of("ZoomProvider", {"id": "z", "first_name": "Jill", "last_name": "Chill"}))[
        "name"
    ] == "Jill Chill"
    assert (await profile_of("SpotifyProvider", {"id": "wizzler", "display_name": None, "images": []}))["image"] is None
    assert (await profile_of("FacebookProvider", {"id": "1", "name": "N"}))["image"] is None
