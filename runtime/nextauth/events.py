"""What callbacks and events receive, typed, and the conversion to next-auth's JSON spelling.

Each callback and event is called with keyword arguments: exactly the keys next-auth 4.24.15 passes in that
situation, spelled in snake_case (``isNewUser`` -> ``is_new_user``). The TypedDicts below list them; a key
marked "only ..." is absent otherwise (a callback that names it as a parameter gets ``None``, as a
JavaScript callback destructures ``undefined``). Type a handler with them::

    from typing import Unpack

    from nextauth.events import SignInEvent


    async def on_sign_in(**event: Unpack[SignInEvent]) -> None:
        if event.get("is_new_user"):
            ...

Records (``user``, ``account``, ``session``) are dicts with snake_case keys and ``datetime`` values. To hand
them to JavaScript code that expects next-auth's own objects, :func:`to_next_auth` renames the keys next-auth
spells in camelCase and writes dates as JavaScript's ``toISOString()`` does; :func:`from_next_auth` reverses it.
"""

# No `from __future__ import annotations`: Python 3.11 reads Required[...] in a TypedDict only when evaluated.
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal, Required, TypedDict

from nextauth._lib.util import as_utc, iso_ms

__all__ = [
    "NEXT_AUTH_NAMES",
    "CreateUserEvent",
    "JWTCallbackArgs",
    "JWTTrigger",
    "LinkAccountEvent",
    "RedirectCallbackArgs",
    "SessionCallbackArgs",
    "SessionEvent",
    "SignInCallbackArgs",
    "SignInEvent",
    "SignOutEvent",
    "UpdateUserEvent",
    "from_next_auth",
    "to_next_auth",
]

Record = dict[str, Any]
JWTTrigger = Literal["signIn", "signUp", "update"]


# -- callbacks -------------------------------------------------------------------------------------------
class SignInCallbackArgs(TypedDict, total=False):
    """``callbacks.sign_in``. Return ``True``, ``False`` (AccessDenied) or a URL to redirect to."""

    user: Required[Record]
    """OAuth: the user linked to this account, else the profile() output; email: the user with this address,
    else ``{id: email, email, email_verified: None}``; credentials: what ``authorize`` returned."""
    account: Required[Record]
    """``{provider, type, provider_account_id, ...}``; OAuth adds the token fields (``access_token``, ...)."""
    profile: Record
    """Only OAuth: the provider's raw profile (the ID token's claims or the userinfo response)."""
    email: dict[str, bool]
    """Only when an email link is requested (POST /signin/email): ``{"verification_request": True}``."""
    credentials: dict[str, Any]
    """Only credentials: the POSTed form."""


class RedirectCallbackArgs(TypedDict):
    """``callbacks.redirect``. Return the URL to go to."""

    url: str
    base_url: str
    """The site's origin (``nextauth.env.origin()``)."""


class JWTCallbackArgs(TypedDict, total=False):
    """``callbacks.jwt``, with JWT sessions. Return the token to store (``None`` signs out)."""

    token: Required[Record]
    user: Record
    """Only at sign-in: the signed-in user."""
    account: Record
    """Only at sign-in."""
    profile: Record
    """Only at an OAuth sign-in: the provider's raw profile."""
    is_new_user: bool | None
    """Only at sign-in (``None`` for OAuth without an adapter, ``False`` for credentials)."""
    trigger: JWTTrigger
    """``"signIn"``/``"signUp"`` at sign-in, ``"update"`` on ``useSession().update()``; absent on a plain read."""
    session: Any
    """Only on session reads: the data of an update (``None`` on a plain read)."""


class SessionCallbackArgs(TypedDict, total=False):
    """``callbacks.session``. Return what ``/api/auth/session`` answers."""

    session: Required[Record]
    """``{"user": {"name", "email", "image"}, "expires": ISO string}``."""
    token: Record
    """Only with JWT sessions: the token the jwt callback returned."""
    user: Record
    """Only with database sessions: the user record."""
    new_session: Any
    """Only with database sessions: the data of an update (``None`` on a plain read)."""
    trigger: Literal["update"]
    """Only with database sessions, on an update."""


# -- events ----------------------------------------------------------------------------------------------
class SignInEvent(TypedDict, total=False):
    """``events.sign_in``, after a successful sign-in."""

    user: Required[Record]
    account: Required[Record]
    """Email: ``{provider_account_id: email, type: "email", provider}``."""
    profile: Record
    """Only OAuth: the profile() *output* (the normalised user), not the raw profile."""
    is_new_user: bool | None
    """OAuth and email, not credentials."""


class SignOutEvent(TypedDict, total=False):
    """``events.sign_out``: ``token`` with JWT sessions, ``session`` (the deleted row) with database sessions."""

    token: Record | None
    session: Record | None


class CreateUserEvent(TypedDict):
    """``events.create_user``: a user was created at a first sign-in (OAuth or email, with an adapter)."""

    user: Record


class UpdateUserEvent(TypedDict):
    """``events.update_user``: an email sign-in confirmed an existing user's address (``email_verified``)."""

    user: Record


class LinkAccountEvent(TypedDict):
    """``events.link_account``: an OAuth account was linked to ``user``."""

    user: Record
    account: Record
    """Without ``user_id``, as next-auth passes it."""
    profile: Record
    """The profile() output."""


class SessionEvent(TypedDict, total=False):
    """``events.session``: a session was read or updated."""

    session: Required[Any]
    """What the session callback returned."""
    token: Record
    """Only with JWT sessions."""


# -- next-auth's spelling ---------------------------------------------------------------------------------
NEXT_AUTH_NAMES: dict[str, str] = {
    "provider_account_id": "providerAccountId",
    "user_id": "userId",
    "email_verified": "emailVerified",
    "session_token": "sessionToken",
    "is_new_user": "isNewUser",
    "base_url": "baseUrl",
    "new_session": "newSession",
    "verification_request": "verificationRequest",
}
"""The keys whose spelling differs: snake_case here, camelCase in next-auth. Everything else is spelled alike,
including the OAuth token fields next-auth keeps in snake_case (``access_token``, ``expires_at``, ...)."""

_PYTHON_NAMES = {js: py for py, js in NEXT_AUTH_NAMES.items()}
_DATE_KEYS = frozenset({"expires", "email_verified"})


def to_next_auth(value: Any) -> Any:
    """``value`` (a record, a payload, or lists/dicts of them) as next-auth has it in JSON: the keys of
    :data:`NEXT_AUTH_NAMES` renamed, ``datetime`` values as ``"2026-05-04T12:30:15.123Z"`` (JavaScript's
    ``toISOString()``, UTC with milliseconds), tuples as lists. Other keys and values are left as they are;
    the result can be given to ``json.dumps``."""
    if isinstance(value, Mapping):
        return {NEXT_AUTH_NAMES.get(str(k), str(k)): to_next_auth(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_next_auth(v) for v in value]
    if isinstance(value, datetime):
        return iso_ms(as_utc(value))
    return value


def from_next_auth(value: Any) -> Any:
    """The reverse of :func:`to_next_auth`: next-auth's keys in snake_case, and the ISO strings of ``expires``
    and ``emailVerified`` as timezone-aware ``datetime`` objects."""
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            name = _PYTHON_NAMES.get(str(key), str(key))
            if name in _DATE_KEYS and isinstance(item, str):
                out[name] = as_utc(item)
            else:
                out[name] = from_next_auth(item)
        return out
    if isinstance(value, list):
        return [from_next_auth(v) for v in value]
    return value
