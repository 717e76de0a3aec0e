# Generated from nextauth.toml by `nextauth generate`; your edits survive regeneration.
"""Auth options of this project, built from nextauth.toml.

The catch-all route hands ``auth_options`` to NextAuth. Import it in your own server
code too: ``session = await get_server_session(request, auth_options)``. Your own code
(``authorize``, callbacks, events) lives in auth_callbacks.py, which is yours.
"""

from __future__ import annotations

from nextauth import AuthOptions, SessionOptions
from nextauth.env import require
from nextauth.providers.credentials import CredentialsProvider
from nextauth.providers.oauth import Endpoint, OAuthProvider

import auth_callbacks

auth_options = AuthOptions(
    providers=[
        CredentialsProvider(
            name="Credentials",
            credentials={
                "username": {"label": "Username", "type": "text"},
                "password": {"label": "Password", "type": "password"},
            },
            authorize=auth_callbacks.authorize,
        ),
        OAuthProvider(
            id="mock",
            name="Mock OIDC",
            client_id=require("MOCK_CLIENT_ID"),
            client_secret=require("MOCK_CLIENT_SECRET"),
            well_known="http://127.0.0.1:9400/.well-known/openid-configuration",
            id_token=True,
            checks=["pkce", "state"],
            authorization=Endpoint.of({"params": {"scope": "openid email profile"}}),
        ),
    ],
    session=SessionOptions(strategy="jwt"),
    callbacks=auth_callbacks.callbacks,
    events=auth_callbacks.events,
)
