"""Providers: ``CredentialsProvider``, ``EmailProvider``, the generic ``OAuthProvider`` and built-ins.

Built-ins with code of their own live in their own module (``nextauth.providers.google.GoogleProvider``);
the others are data only, built by :mod:`nextauth.providers.builtin` (``from_id("foursquare", ...)`` or
``FoursquareProvider(...)``). Every factory is also importable from here.
"""

from __future__ import annotations

from nextauth.providers._base import Provider
from nextauth.providers.apple import AppleProvider
from nextauth.providers.atlassian import AtlassianProvider
from nextauth.providers.auth0 import Auth0Provider
from nextauth.providers.authentik import AuthentikProvider
from nextauth.providers.azure_ad import AzureADProvider, MicrosoftEntraIDProvider
from nextauth.providers.battlenet import BattleNetProvider
from nextauth.providers.bitbucket import BitbucketProvider
from nextauth.providers.builtin import (
    AzureADB2CProvider,
    BoxProvider,
    BoxyHQSAMLProvider,
    BungieProvider,
    CoinbaseProvider,
    DuendeIdentityServer6Provider,
    EVEOnlineProvider,
    FACEITProvider,
    FortyTwoSchoolProvider,
    FoursquareProvider,
    FreshbooksProvider,
    FusionAuthProvider,
    HubSpotProvider,
    IdentityServer4Provider,
    InstagramProvider,
    MailchimpProvider,
    MailRuProvider,
    MediumProvider,
    NaverProvider,
    NetlifyProvider,
    OneLoginProvider,
    OssoProvider,
    PassageProvider,
    PinterestProvider,
    PipedriveProvider,
    SalesforceProvider,
    TodoistProvider,
    TraktProvider,
    UnitedEffectsProvider,
    VKProvider,
    WikimediaProvider,
    WordPressProvider,
    WorkOSProvider,
    YandexProvider,
    ZohoProvider,
    from_id,
)
from nextauth.providers.cognito import CognitoProvider
from nextauth.providers.credentials import CredentialsProvider
from nextauth.providers.discord import DiscordProvider
from nextauth.providers.dropbox import DropboxProvider
from nextauth.providers.email import EmailProvider
from nextauth.providers.facebook import FacebookProvider
from nextauth.providers.github import GitHubProvider
from nextauth.providers.gitlab import GitLabProvider
from nextauth.providers.google import GoogleProvider
from nextauth.providers.huggingface import HuggingFaceProvider
from nextauth.providers.kakao import KakaoProvider
from nextauth.providers.keycloak import KeycloakProvider
from nextauth.providers.line import LineProvider
from nextauth.providers.linkedin import LinkedInProvider
from nextauth.providers.oauth import Endpoint, OAuthProvider, ProviderStyle
from nextauth.providers.oidc import OIDCProvider
from nextauth.providers.okta import OktaProvider
from nextauth.providers.osu import OsuProvider
from nextauth.providers.patreon import PatreonProvider
from nextauth.providers.reddit import RedditProvider
from nextauth.providers.slack import SlackProvider
from nextauth.providers.spotify import SpotifyProvider
from nextauth.providers.strava import StravaProvider
from nextauth.providers.twitch import TwitchProvider
from nextauth.providers.twitter import TwitterProvider
from nextauth.providers.zitadel import ZitadelProvider
from nextauth.providers.zoom import ZoomProvider

__all__ = [
    "AppleProvider",
    "AtlassianProvider",
    "Auth0Provider",
    "AuthentikProvider",
    "AzureADB2CProvider",
    "AzureADProvider",
    "BattleNetProvider",
    "BitbucketProvider",
    "BoxProvider",
    "BoxyHQSAMLProvider",
    "BungieProvider",
    "CognitoProvider",
    "CoinbaseProvider",
    "CredentialsProvider",
    "DiscordProvider",
    "DropboxProvider",
    "DuendeIdentityServer6Provider",
    "EVEOnlineProvider",
    "EmailProvider",
    "Endpoint",
    "FACEITProvider",
    "FacebookProvider",
    "FortyTwoSchoolProvider",
    "FoursquareProvider",
    "FreshbooksProvider",
    "FusionAuthProvider",
    "GitHubProvider",
    "GitLabProvider",
    "GoogleProvider",
    "HubSpotProvider",
    "HuggingFaceProvider",
    "IdentityServer4Provider",
    "InstagramProvider",
    "KakaoProvider",
    "KeycloakProvider",
    "LineProvider",
    "LinkedInProvider",
    "MailRuProvider",
    "MailchimpProvider",
    "MediumProvider",
    "MicrosoftEntraIDProvider",
    "NaverProvider",
    "NetlifyProvider",
    "OAuthProvider",
    "OIDCProvider",
    "OktaProvider",
    "OneLoginProvider",
    "OssoProvider",
    "OsuProvider",
    "PassageProvider",
    "PatreonProvider",
    "PinterestProvider",
    "PipedriveProvider",
    "Provider",
    "ProviderStyle",
    "RedditProvider",
    "SalesforceProvider",
    "SlackProvider",
    "SpotifyProvider",
    "StravaProvider",
    "TodoistProvider",
    "TraktProvider",
    "TwitchProvider",
    "TwitterProvider",
    "UnitedEffectsProvider",
    "VKProvider",
    "WikimediaProvider",
    "WordPressProvider",
    "WorkOSProvider",
    "YandexProvider",
    "ZitadelProvider",
    "ZohoProvider",
    "ZoomProvider",
    "from_id",
]
