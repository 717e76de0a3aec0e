"""The adapter contract: how the runtime stores users, accounts, sessions and verification tokens.

An adapter is any object with (some of) these ``async`` methods; the runtime calls only those its
configuration needs (database sessions need the user/session methods, the email provider needs the
verification-token methods and ``get_user_by_email``). Records are plain dicts with snake_case keys;
times are timezone-aware ``datetime`` objects in UTC.

    user                {id, name, email, email_verified, image}
    account             {user_id, type, provider, provider_account_id, refresh_token, access_token,
                         expires_at, token_type, scope, id_token, session_state}
    session             {session_token, user_id, expires}
    verification_token  {identifier, token, expires}      (``token`` is already hashed)

``nextauth.adapters.sqlalchemy.SQLAlchemyAdapter`` implements all of it on SQLAlchemy 2.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, TypedDict, runtime_checkable

__all__ = [
    "Adapter",
    "AdapterAccount",
    "AdapterSession",
    "AdapterUser",
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
class Adapter(Protocol):
    """The full contract (spec section 10). Every method is a coroutine."""

    async def create_user(self, user: dict[str, Any]) -> dict[str, Any]: ...
    async def get_user(self, id: str) -> dict[str, Any] | None: ...  # next-auth's name
    async def get_user_by_email(self, email: str) -> dict[str, Any] | None: ...
    async def get_user_by_account(self, provider: str, provider_account_id: str) -> dict[str, Any] | None: ...
    async def update_user(self, user: dict[str, Any]) -> dict[str, Any]: ...
    async def delete_user(self, user_id: str) -> None: ...
    async def link_account(self, account: dict[str, Any]) -> dict[str, Any] | None: ...
    async def unlink_account(self, provider: str, provider_account_id: str) -> None: ...
    async def create_session(self, session: dict[str, Any]) -> dict[str, Any]: ...
    async def get_session_and_user(self, session_token: str) -> tuple[dict[str, Any], dict[str, Any]] | None: ...
    async def update_session(self, session: dict[str, Any]) -> dict[str, Any] | None: ...
    async def delete_session(self, session_token: str) -> dict[str, Any] | None: ...
    async def create_verification_token(self, token: dict[str, Any]) -> dict[str, Any] | None: ...
    async def use_verification_token(self, identifier: str, token: str) -> dict[str, Any] | None: ...
