"""The browser test project's auth options: a credentials provider with two test users, and the mock OIDC provider.

``alice``/``wonderland`` signs in as Alice; ``big``/``wonderland`` as a user whose token carries a 6000-character
claim, so that its session cookie is split into chunks. The ``jwt`` callback honours ``update()`` (a new ``name``)
and the ``session`` callback shows the token's name and ``sub``, so an update shows in its own response.

The environment (written by the tests' fixture) gives ``NEXTAUTH_URL``, ``NEXTAUTH_SECRET`` and
``MOCK_WELL_KNOWN`` (the discovery URL of the ``oidc-provider-mock`` the tests started).
"""

from __future__ import annotations

import hmac
from typing import Any

from nextauth import AuthOptions, CallbacksOptions, SessionOptions
from nextauth.env import require
from nextauth.options import RateLimitOptions
from nextauth.providers.credentials import CredentialsProvider
from nextauth.providers.oauth import Endpoint, OAuthProvider

PASSWORD = "wonderland"
USERS: dict[str, dict[str, Any]] = {
    "alice": {"id": "1", "name": "Alice", "email": "alice@example.com"},
    "big": {"id": "2", "name": "Big", "email": "big@example.com", "big": True},
}
BLOB_SIZE = 6000


def authorize(credentials: dict[str, Any], request: object) -> dict[str, Any] | None:
    user = USERS.get(str(credentials.get("username", "")))
    password = str(credentials.get("password", ""))
    if user is None or not hmac.compare_digest(password.encode(), PASSWORD.encode()):
        return None
    return dict(user)


def jwt(
    token: dict[str, Any], user: dict[str, Any] | None = None, trigger: str | None = None, session: Any = None
) -> dict[str, Any]:
    # useSession().update({"name": ...}) arrives here as trigger="update", session={"name": ...}
    if trigger == "update" and isinstance(session, dict) and isinstance(session.get("name"), str):
        token["name"] = session["name"]
    return token


def session(session: dict[str, Any], token: dict[str, Any]) -> dict[str, Any]:
    # From the token (not the default user view), so an update shows in update()'s own answer
    session["user"]["name"] = token.get("name")
    session["user"]["id"] = token.get("sub")
    return session


def jwt_with_test_blob(
    token: dict[str, Any], user: dict[str, Any] | None = None, trigger: str | None = None, session: Any = None
) -> dict[str, Any]:
    """The tests' jwt callback: :func:`jwt`, plus a big claim for ``big`` so that its cookie comes in chunks."""
    if user and user.get("big"):
        token["blob"] = "b" * BLOB_SIZE
    return jwt(token, user=user, trigger=trigger, session=session)


auth_options = AuthOptions(
    providers=[
        CredentialsProvider(
            name="Credentials",
            credentials={
                "username": {"label": "Username", "type": "text"},
                "password": {"label": "Password", "type": "password"},
            },
            authorize=authorize,
        ),
        OAuthProvider(
            id="mock",
            name="Mock OIDC",
            client_id="client",
            client_secret="secret",
            well_known=require("MOCK_WELL_KNOWN"),
            id_token=True,
            checks=["pkce", "state"],
            authorization=Endpoint.of({"params": {"scope": "openid email profile"}}),
        ),
    ],
    session=SessionOptions(strategy="jwt"),
    callbacks=CallbacksOptions(jwt=jwt_with_test_blob, session=session),
    # Brute-force limits (test_browser_rate_limit.py): 3 attempts per username; none per client, since every
    # browser test signs in from 127.0.0.1. A right password clears the username's counter.
    rate_limit=RateLimitOptions(credentials_per_identifier=3, credentials_per_client=0),
)
