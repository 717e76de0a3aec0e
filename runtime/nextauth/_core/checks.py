"""Start-up checks of what the configured features need: next-auth's ``assertConfig`` errors, and the
adapter methods of every feature (next-auth checks only the email provider's).

Called when the options are built, so a configuration that cannot work stops ``NextAuth(options)`` with
the error next-auth would name, and a message that says how to fix it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from nextauth._core.logger import once
from nextauth.adapters import REQUIRED_METHODS
from nextauth.errors import (
    ConfigurationError,
    MissingAdapterError,
    MissingAdapterMethodsError,
    MissingAuthorizeError,
    UnsupportedStrategyError,
)
from nextauth.providers import CredentialsProvider, EmailProvider, OAuthProvider, Provider

log = logging.getLogger("nextauth")

CREDENTIALS_WITH_DATABASE = "CREDENTIALS_WITH_DATABASE_SESSIONS"


def warn_credentials_with_database(providers: Sequence[Provider], strategy: str) -> bool:
    """Log, once per process, that credentials sign-ins create no session beside database sessions.

    next-auth refuses credentials *alone* with database sessions (:func:`check_features` does too), but
    with other providers beside it the configuration starts, and a credentials sign-in then answers like
    a success (a redirect, the CSRF cookie) while ``/api/auth/session`` stays ``{}``: the provider never
    writes a session row. The wire behaviour stays next-auth's; this warning says so at start-up.
    Returns whether the configuration is that one."""
    credentials = [p.id for p in providers if isinstance(p, CredentialsProvider)]
    if not credentials or strategy != "database" or len(credentials) == len(providers):
        return False
    if once(f"warn:{CREDENTIALS_WITH_DATABASE}"):
        log.warning(
            "[nextauth][warn][%s] credentials provider %s with database sessions: a credentials sign-in "
            "redirects as if it worked but creates no session (the provider never writes a session row). "
            "Use session={'strategy': 'jwt'} (the adapter keeps serving the other providers), or remove the "
            "credentials provider.",
            CREDENTIALS_WITH_DATABASE,
            ", ".join(repr(c) for c in credentials),
        )
    return True


def features_of(providers: Sequence[Provider], strategy: str, has_adapter: bool) -> list[str]:
    """The ``REQUIRED_METHODS`` features this configuration uses."""
    if not has_adapter:
        return []
    emails = any(isinstance(p, EmailProvider) for p in providers)
    oauth = any(isinstance(p, OAuthProvider) for p in providers)
    features: list[str] = []
    if strategy == "database":
        features.append("database sessions")
    if emails:
        features.append("email sign-in")
    if oauth:
        features.append("OAuth sign-in with an adapter")
    if strategy == "jwt" and (emails or oauth):
        # The callback handler reads the signed-in user (the JWT's `sub`) before linking or confirming.
        features.append("JWT sessions with an adapter")
    return features


def missing_methods(adapter: object, features: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Per feature, the methods ``adapter`` lacks (a feature with none missing is left out)."""
    missing: dict[str, tuple[str, ...]] = {}
    for feature in features:
        absent = tuple(m for m in REQUIRED_METHODS[feature] if not callable(getattr(adapter, m, None)))
        if absent:
            missing[feature] = absent
    return missing


def check_features(providers: Sequence[Provider], strategy: str, adapter: object | None) -> None:
    """Raise the error next-auth raises (or would, had it checked) for a configuration that cannot work."""
    if adapter is not None and isinstance(adapter, type):
        raise ConfigurationError(
            f"adapter is the class {adapter.__name__}, not an adapter: create one, e.g. adapter={adapter.__name__}(...)"
        )
    if strategy == "database" and adapter is None:
        raise ConfigurationError(
            "session.strategy is 'database' but no adapter is set: add adapter=SQLAlchemyAdapter(DATABASE_URL) "
            "or use session={'strategy': 'jwt'}"
        )
    credentials = [p for p in providers if isinstance(p, CredentialsProvider)]
    if credentials and strategy == "database" and len(credentials) == len(providers):
        raise UnsupportedStrategyError(
            "Signing in with credentials only works with JWT sessions: the credentials provider never creates "
            "a database session. Use session={'strategy': 'jwt'} (you can keep the adapter for other providers)."
        )
    for provider in credentials:
        if not callable(provider.authorize):
            raise MissingAuthorizeError(f"credentials provider {provider.id!r} needs an `authorize` function")
    if any(isinstance(p, EmailProvider) for p in providers) and adapter is None:
        raise MissingAdapterError(
            "The email provider needs an adapter to store verification tokens and users: add "
            "adapter=SQLAlchemyAdapter('sqlite:///./nextauth.db') (run `nextauth db init` once)."
        )
    missing = missing_methods(adapter, features_of(providers, strategy, adapter is not None))
    if missing:
        needs = "; ".join(f"{feature} needs {', '.join(methods)}" for feature, methods in missing.items())
        hint = ""
        if "database sessions" in missing:
            hint = " (database sessions are the default with an adapter: session={'strategy': 'jwt'} turns them off)"
        raise MissingAdapterMethodsError(
            f"The adapter {type(adapter).__name__} lacks methods this configuration calls: {needs}. "
            "Add them (each an `async def` taking and returning dicts; see the adapters guide) or leave the "
            f"feature out{hint}.",
            features=missing,
        )
