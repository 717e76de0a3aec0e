# Generated from nextauth.toml by `nextauth generate`; your edits survive regeneration.
"""Auth options of this project, built from nextauth.toml.

The catch-all route hands ``auth_options`` to NextAuth. Import it in your own server
code too: ``session = await get_server_session(request, auth_options)``. Your own code
(``authorize``, callbacks, events) lives in auth_callbacks.py, which is yours.
"""

from __future__ import annotations

from nextauth import AuthOptions, SessionOptions
from nextauth.adapters.sqlalchemy import SQLAlchemyAdapter
from nextauth.env import optional, require
from nextauth.providers.email import EmailProvider

import auth_callbacks

auth_options = AuthOptions(
    providers=[
        EmailProvider(server=require("EMAIL_SERVER"), from_=require("EMAIL_FROM")),
    ],
    session=SessionOptions(strategy="database"),
    adapter=SQLAlchemyAdapter(optional("DATABASE_URL") or "sqlite:///./nextauth.db"),
    callbacks=auth_callbacks.callbacks,
    events=auth_callbacks.events,
)
