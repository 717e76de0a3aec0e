"""The kit's auth options (options.md): credentials only, alice / wonderland is Alice."""

from __future__ import annotations

import hmac

from nextauth import AuthOptions, SessionOptions
from nextauth.providers.credentials import CredentialsProvider


def authorize(credentials: dict[str, object], request: object) -> dict[str, object] | None:
    name_ok = hmac.compare_digest(str(credentials.get("username", "")).encode(), b"alice")
    password_ok = hmac.compare_digest(str(credentials.get("password", "")).encode(), b"wonderland")
    if name_ok and password_ok:
        return {"id": "1", "name": "Alice", "email": "alice@example.com"}
    return None


auth_options = AuthOptions(
    providers=[
        CredentialsProvider(
            name="Credentials",
            credentials={
                "username": {"label": "Username", "type": "text"},
                "password": {"label": "Password", "type": "password"},
            },
            authorize=authorize,
        )
    ],
    session=SessionOptions(strategy="jwt"),
)
