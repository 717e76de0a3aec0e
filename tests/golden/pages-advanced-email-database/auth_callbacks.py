"""Your auth code: callbacks and events.

`nextauth init` created this file once and `nextauth generate` never rewrites it: it is
yours. auth_options.py (generated from nextauth.toml) imports these names; keep
them. Do not import auth_options here (it imports this module).
"""

from __future__ import annotations

from nextauth import CallbacksOptions, EventsOptions

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
