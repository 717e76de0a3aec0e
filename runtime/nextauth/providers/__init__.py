"""Providers: ``CredentialsProvider``, ``EmailProvider``, the generic ``OAuthProvider`` and built-ins.

Each built-in lives in its own module (``nextauth.providers.google.GoogleProvider``) and is also
importable from here.
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
    "AzureADProvider",
    "BattleNetProvider",
    "BitbucketProvider",
    "CognitoProvider",
    "CredentialsProvider",
    "DiscordProvider",
    "DropboxProvider",
    "EmailProvider",
    "Endpoint",
    "FacebookProvider",
    "GitHubProvider",
    "GitLabProvider",
    "GoogleProvider",
    "HuggingFaceProvider",
    "KakaoProvider",
    "KeycloakProvider",
    "LineProvider",
    "LinkedInProvider",
    "MicrosoftEntraIDProvider",
    "OAuthProvider",
    "OIDCProvider",
    "OktaProvider",
    "OsuProvider",
    "PatreonProvider",
    "Provider",
    "ProviderStyle",
    "RedditProvider",
    "SlackProvider",
    "SpotifyProvider",
    "StravaProvider",
    "TwitchProvider",
    "TwitterProvider",
    "ZitadelProvider",
    "ZoomProvider",
]
