# Generated from nextauth.toml by `nextauth generate`; your edits survive regeneration.
"""Auth options of this project, built from nextauth.toml.

The catch-all route hands ``auth_options`` to NextAuth. Import it in your own server
code too: ``session = await get_server_session(request, auth_options)``. Your own code
(``authorize``, callbacks, events) lives in auth_callbacks.py, which is yours.
"""

from __future__ import annotations

from nextauth import AuthOptions, SessionOptions
from nextauth.providers.credentials import CredentialsProvider

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
    ],
    session=SessionOptions(strategy="jwt"),
    callbacks=auth_callbacks.callbacks,
    events=auth_callbacks.events,
)
