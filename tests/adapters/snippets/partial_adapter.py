"""A partial adapter: only what JWT sessions + email sign-in need. Type-checked with ``mypy --strict`` by
tests/adapters/test_partial_adapters.py, and used there for a real sign-in."""

from __future__ import annotations

import uuid
from typing import Any

from nextauth import AuthOptions
from nextauth.providers import EmailProvider


class EmailOnlyAdapter:
    """Users and verification tokens in dicts; no accounts, no database sessions."""

    def __init__(self) -> None:
        self.users: dict[str, dict[str, Any]] = {}
        self.tokens: dict[tuple[str, str], dict[str, Any]] = {}

    async def create_user(self, user: dict[str, Any]) -> dict[str, Any]:
        record = {**user, "id": str(uuid.uuid4())}
        self.users[record["id"]] = record
        return dict(record)

    async def get_user(self, id: str) -> dict[str, Any] | None:
        found = self.users.get(id)
        return dict(found) if found else None

    async def get_user_by_email(self, email: str) -> dict[str, Any] | None:
        return next((dict(u) for u in self.users.values() if u.get("email") == email), None)

    async def update_user(self, user: dict[str, Any]) -> dict[str, Any]:
        self.users[user["id"]].update(user)
        return dict(self.users[user["id"]])

    async def create_verification_token(self, token: dict[str, Any]) -> dict[str, Any] | None:
        self.tokens[(token["identifier"], token["token"])] = dict(token)
        return token

    async def use_verification_token(self, identifier: str, token: str) -> dict[str, Any] | None:
        return self.tokens.pop((identifier, token), None)


def send(url: str) -> None:
    print(url)


auth_options = AuthOptions(
    providers=[EmailProvider(send_verification_request=send)],
    adapter=EmailOnlyAdapter(),
    session={"strategy": "jwt"},
)
