"""The adapter contract: how the runtime stores users, accounts, sessions and verification tokens.

An adapter is any object with (some of) these ``async`` methods; the runtime calls only those its
configuration needs, and ``NextAuth(options)`` refuses to start when one of those is missing, naming it
(:class:`~nextauth.errors.MissingAdapterMethodsError`). What each feature needs (``REQUIRED_METHODS``):

    database sessions     create_session, get_session_and_user, update_session, delete_session
    email sign-in         create_verification_token, use_verification_token, get_user_by_email,
                          create_user, update_user
    OAuth with an adapter get_user_by_account, get_user_by_email, create_user, link_account
    JWT sessions + either get_user (who is signed in, when an account is linked or an email confirmed)

``delete_user`` and ``unlink_account`` are never called by the runtime (they are for your own code).
``get_accounts_by_user(user_id)`` and ``update_account(account)`` (:class:`TokenRefreshAdapter`) are optional:
with ``AuthOptions.refresh_tokens`` and database sessions the runtime reads a user's accounts and stores the
refreshed tokens through them (an adapter without them keeps the tokens as first linked).
``create_user_and_link_account(user, account)`` is optional: when an adapter has it, a first OAuth sign-in
stores the user and the account in one call (both or neither) instead of ``create_user`` + ``link_account``.
The small protocols below (:class:`EmailAdapter`, :class:`DatabaseSessionAdapter`, :class:`OAuthAdapter`,
:class:`UserAdapter`) type an adapter that implements only some features; :class:`Adapter` is all of it.

Records are plain dicts with snake_case keys; times are timezone-aware ``datetime`` objects in UTC.

    user                {id, name, email, email_verified, image}
    account             {user_id, type, provider, provider_account_id, refresh_token, access_token,
                         expires_at, token_type, scope, id_token, session_state}
    session             {session_token, user_id, expires}
    verification_token  {identifier, token, expires}      (``token`` is already hashed)

``nextauth.adapters.sqlalchemy.SQLAlchemyAdapter`` implements all of it on SQLAlchemy 2,
``nextauth.adapters.memory.MemoryAdapter`` in process memory (development and tests).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, TypedDict, runtime_checkable

__all__ = [
    "REQUIRED_METHODS",
    "Adapter",
    "AdapterAccount",
    "AdapterSession",
    "AdapterUser",
    "AnyAdapter",
    "DatabaseSessionAdapter",
    "EmailAdapter",
    "OAuthAdapter",
    "TokenRefreshAdapter",
    "UserAdapter",
    "VerificationToken",
]


class AdapterUser(TypedDict, total=False):
    id: str
    name: str | None
    email: str | None
    email_verified: datetime | None
    image: str | None


class AdapterAccount(TypedDict, total=False):
    user_id: str
    type: str
    provider: str
    provider_account_id: str
    refresh_token: str | None
    access_token: str | None
    expires_at: int | None
    token_type: str | None
    scope: str | None
    id_token: str | None
    session_state: str | None


class AdapterSession(TypedDict):
    session_token: str
    user_id: str
    expires: datetime


class VerificationToken(TypedDict):
    identifier: str
    token: str
    expires: datetime


@runtime_checkable
class EmailAdapter(Protocol):
    """What next-auth itself asserts for the email provider: storing and using verification tokens."""

    async def create_verification_token(self, token: dict[str, Any]) -> dict[str, Any] | None: ...
    async def use_verification_token(self, identifier: str, token: str) -> dict[str, Any] | None: ...
    async def get_user_by_email(self, email: str) -> dict[str, Any] | None: ...


@runtime_checkable
class UserAdapter(Protocol):
    """Users: created at the first sign-in, updated when an email is confirmed, read back by id."""

    async def create_user(self, user: dict[str, Any]) -> dict[str, Any]: ...
    async def get_user(self, id: str) -> dict[str, Any] | None: ...  # next-auth's name
    async def get_user_by_email(self, email: str) -> dict[str, Any] | None: ...
    async def update_user(self, user: dict[str, Any]) -> dict[str, Any]: ...


@runtime_checkable
class OAuthAdapter(Protocol):
    """OAuth accounts linked to users."""

    async def get_user_by_account(self, provider: str, provider_account_id: str) -> dict[str, Any] | None: ...
    async def get_user_by_email(self, email: str) -> dict[str, Any] | None: ...
    async def create_user(self, user: dict[str, Any]) -> dict[str, Any]: ...
    async def link_account(self, account: dict[str, Any]) -> dict[str, Any] | None: ...


@runtime_checkable
class DatabaseSessionAdapter(Protocol):
    """Sessions stored in the database (``session={"strategy": "database"}``)."""

    async def create_session(self, session: dict[str, Any]) -> dict[str, Any]: ...
    async def get_session_and_user(self, session_token: str) -> tuple[dict[str, Any], dict[str, Any]] | None: ...
    async def update_session(self, session: dict[str, Any]) -> dict[str, Any] | None: ...
    async def delete_session(self, session_token: str) -> dict[str, Any] | None: ...


@runtime_checkable
class TokenRefreshAdapter(Protocol):
    """Optional: what access-token refresh needs with database sessions (``AuthOptions.refresh_tokens``).
    ``update_account`` updates the row named by ``provider`` + ``provider_account_id`` with the other fields."""

    async def get_accounts_by_user(self, user_id: str) -> list[dict[str, Any]]: ...
    async def update_account(self, account: dict[str, Any]) -> dict[str, Any] | None: ...


@runtime_checkable
class Adapter(EmailAdapter, UserAdapter, OAuthAdapter, DatabaseSessionAdapter, Protocol):
    """The full contract (spec section 10): all 14 methods. Every method is a coroutine."""

    async def delete_user(self, user_id: str) -> None: ...
    async def unlink_account(self, provider: str, provider_account_id: str) -> None: ...


AnyAdapter = Adapter | EmailAdapter | UserAdapter | OAuthAdapter | DatabaseSessionAdapter
"""What ``AuthOptions.adapter`` accepts: an adapter implementing at least one feature's methods. The rest
is checked when the options are built, against what the configuration uses."""

REQUIRED_METHODS: dict[str, tuple[str, ...]] = {
    "database sessions": ("create_session", "get_session_and_user", "update_session", "delete_session"),
    "email sign-in": (
        "create_verification_token",
        "use_verification_token",
        "get_user_by_email",
        "create_user",
        "update_user",
    ),
    "OAuth sign-in with an adapter": ("get_user_by_account", "get_user_by_email", "create_user", "link_account"),
    "JWT sessions with an adapter": ("get_user",),
}
"""The adapter methods each feature calls; ``NextAuth(options)`` checks those of the features configured."""
