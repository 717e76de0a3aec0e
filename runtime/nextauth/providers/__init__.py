"""Providers: ``CredentialsProvider``, ``EmailProvider``, the generic ``OAuthProvider`` and built-ins.

Each built-in lives in its own module (``nextauth.providers.google.GoogleProvider``) and is also
importable from here.
"""

from __future__ import annotations

from nextauth.providers._base import Provider
from nextauth.providers.credentials import CredentialsProvider
from nextauth.providers.email import EmailProvider
from nextauth.providers.github import GitHubProvider
from nextauth.providers.google import GoogleProvider
from nextauth.providers.oauth import Endpoint, OAuthProvider, ProviderStyle

__all__ = [
    "CredentialsProvider",
    "EmailProvider",
    "Endpoint",
    "GitHubProvider",
    "GoogleProvider",
    "OAuthProvider",
    "Provider",
    "ProviderStyle",
]
