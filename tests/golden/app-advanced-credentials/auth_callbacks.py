"""Your auth code: the credentials check, callbacks and events.

`nextauth init` created this file once and `nextauth generate` never rewrites it: it is
yours. auth_options.py (generated from nextauth.toml) imports these names; keep
them. Do not import auth_options here (it imports this module).
"""

from __future__ import annotations

import hmac
import os

from nextauth import CallbacksOptions, EventsOptions


def authorize(
    credentials: dict[str, object], request: object
) -> dict[str, object] | None:
    """Check the credentials sign-in form: a user (a dict with an id) or None.

    REPLACE THIS before production. It accepts exactly one demo user, whose name and
    password nextauth generated into .env.local (AUTH_DEMO_USERNAME and
    AUTH_DEMO_PASSWORD), so that a new project signs in out of the box. Look your
    users up in your own store instead and verify a password hash (argon2, bcrypt...).
    """
    expected_name = os.environ.get("AUTH_DEMO_USERNAME", "")
    expected_password = os.environ.get("AUTH_DEMO_PASSWORD", "")
    if not expected_name or not expected_password:
        return None  # no demo user configured: nobody signs in
    name = str(credentials.get("username", ""))
    password = str(credentials.get("password", ""))
    # compare_digest takes as long whatever matches: no timing side channel.
    name_ok = hmac.compare_digest(name.encode(), expected_name.encode())
    password_ok = hmac.compare_digest(password.encode(), expected_password.encode())
    if name_ok and password_ok:
        return {"id": "demo", "name": name, "email": f"{name}@example.com"}
    return None


# Callbacks (sign_in, redirect, jwt, session): plain or async functions that take the
# keyword arguments they name. For example, to put the user id in the session:
#
#     def session(session: dict[str, Any], token: dict[str, Any]) -> dict[str, Any]:
#         session["user"]["id"] = token["sub"]
#         return session
#
# and then: callbacks = CallbacksOptions(session=session)
# Keep tokens out of the JWT: the session cookie must stay under 4 KB.
callbacks = CallbacksOptions()

# Events (sign_in, sign_out, create_user, update_user, link_account, session):
# fire-and-forget hooks, e.g. events = EventsOptions(sign_in=audit_sign_in)
events = EventsOptions()
