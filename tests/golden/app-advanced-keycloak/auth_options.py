# Generated from nextauth.toml by `nextauth generate`; your edits survive regeneration.
"""Auth options of this project, built from nextauth.toml.

The catch-all route hands ``auth_options`` to NextAuth. Import it in your own server
code too: ``session = await get_server_session(request, auth_options)``. Your own code
(``authorize``, callbacks, events) lives in auth_callbacks.py, which is yours.
"""

from __future__ import annotations

from nextauth import AuthOptions, SessionOptions
from nextauth.env import require
from nextauth.providers.keycloak import KeycloakProvider

import auth_callbacks

auth_options = AuthOptions(
    providers=[
        KeycloakProvider(
            client_id=require("KEYCLOAK_ID"),
            client_secret=require("KEYCLOAK_SECRET"),
            issuer=require("KEYCLOAK_ISSUER"),
        ),
    ],
    session=SessionOptions(strategy="jwt"),
    callbacks=auth_callbacks.callbacks,
    events=auth_callbacks.events,
)
