"""An adapter that keeps everything in process memory: for development, demos and tests.

    from nextauth.adapters.memory import MemoryAdapter

    auth_options = AuthOptions(providers=[...], adapter=MemoryAdapter())

It implements the whole contract (:mod:`nextauth.adapters`) with the SQLAlchemy adapter's behaviour —
the same records, the same constraints (one user per email, one user per ``(provider,
provider_account_id)``, unique session tokens, sessions and accounts only for existing users), the same
single-use verification tokens — and passes the same adapter test suite. Nothing survives a restart and
nothing is shared between processes: run one worker (``nextauth dev`` does).

``users``, ``accounts``, ``sessions`` and ``verification_tokens`` are plain dicts a test may read or seed.
With ``record_calls=True`` the name of every method called is appended to ``calls``.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from nextauth._lib.util import snake_case
from nextauth.adapters._checks import required

if TYPE_CHECKING:
    from nextauth.adapters import Adapter

__all__ = ["MemoryAdapter", "MemoryIntegrityError"]

USER_FIELDS = ("id", "name", "email", "email_verified", "image")
ACCOUNT_FIELDS = (
    "user_id",
    "type",
    "provider",
    "provider_account_id",
    "refresh_token",
    "access_token",
    "expires_at",
    "token_type",
    "scope",
    "id_token",
    "session_state",
)
SESSION_FIELDS = ("session_token", "user_id", "expires")
TOKEN_FIELDS = ("identifier", "token", "expires")


class MemoryIntegrityError(ValueError):
    """A write that would break a constraint. ``kind`` is ``unique`` or ``foreign_key`` (as the SQLAlchemy
    adapter's ``IntegrityViolationError``); the message never contains the conflicting value."""

    def __init__(self, message: str, *, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def _utc(value: Any, method: str) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"{method}: expected a datetime, got {type(value).__name__}")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _known(data: Mapping[str, Any], fields: Iterable[str], *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The known fields of ``data`` (camelCase keys such as ``emailVerified`` count as their snake_case twin);
    anything else, e.g. a provider's extra token fields, is dropped, as a table without the column would."""
    allowed = frozenset(fields) - frozenset(skip)
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = snake_case(str(key))
        if name in allowed:
            out[name] = value
    return out


class MemoryAdapter:
    """next-auth's adapter contract in dicts. Every method is a coroutine and returns copies."""

    def __init__(self, *, record_calls: bool = False) -> None:
        self.users: dict[str, dict[str, Any]] = {}
        self.accounts: dict[tuple[str, str], dict[str, Any]] = {}
        self.sessions: dict[str, dict[str, Any]] = {}
        self.verification_tokens: dict[tuple[str, str], dict[str, Any]] = {}
        self.calls: list[str] = []
        self._record = record_calls
        # The methods never await while holding state, so on one event loop each is atomic already; the
        # lock covers callers on several threads (sync frameworks, thread pools).
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"MemoryAdapter(users={len(self.users)}, sessions={len(self.sessions)})"

    def _called(self, method: str) -> None:
        if self._record:
            self.calls.append(method)

    # -- users ---------------------------------------------------------------------------------------
    async def create_user(self, user: dict[str, Any]) -> dict[str, Any]:
        self._called("create_user")
        values = _known(user, USER_FIELDS)
        record: dict[str, Any] = {name: values.get(name) for name in USER_FIELDS}
        record["id"] = str(values.get("id") or uuid.uuid4())
        if record["email_verified"] is not None:
            record["email_verified"] = _utc(record["email_verified"], "create_user")
        with self._lock:
            if record["id"] in self.users:
                raise MemoryIntegrityError("create_user: unique constraint violated (id)", kind="unique")
            email = record["email"]
            if email is not None and any(u["email"] == email for u in self.users.values()):
                raise MemoryIntegrityError("create_user: unique constraint violated (email)", kind="unique")
            self.users[record["id"]] = record
            return dict(record)

    async def get_user(self, id: str) -> dict[str, Any] | None:  # the protocol's name
        self._called("get_user")
        found = self.users.get(str(id))
        return dict(found) if found is not None else None

    async def get_user_by_email(self, email: str) -> dict[str, Any] | None:
        self._called("get_user_by_email")
        if not email:
            return None
        return next((dict(u) for u in list(self.users.values()) if u["email"] == email), None)

    async def get_user_by_account(self, provider: str, provider_account_id: str) -> dict[str, Any] | None:
        self._called("get_user_by_account")
        account = self.accounts.get((provider, str(provider_account_id)))
        if account is None:
            return None
        found = self.users.get(account["user_id"])
        return dict(found) if found is not None else None

    async def update_user(self, user: dict[str, Any]) -> dict[str, Any]:
        self._called("update_user")
        required("update_user", user, "id")
        values = _known(user, USER_FIELDS, skip=("id",))
        if values.get("email_verified") is not None:
            values["email_verified"] = _utc(values["email_verified"], "update_user")
        with self._lock:
            stored = self.users.get(str(user["id"]))
            if stored is None:
                raise LookupError("update_user: no user with this id")
            email = values.get("email")
            if email is not None and any(u["email"] == email and uid != stored["id"] for uid, u in self.users.items()):
                raise MemoryIntegrityError("update_user: unique constraint violated (email)", kind="unique")
            stored.update(values)
            return dict(stored)

    async def delete_user(self, user_id: str) -> None:
        self._called("delete_user")
        user_id = str(user_id)
        with self._lock:
            self.users.pop(user_id, None)
            for key in [k for k, a in self.accounts.items() if a["user_id"] == user_id]:
                del self.accounts[key]
            for token in [t for t, s in self.sessions.items() if s["user_id"] == user_id]:
                del self.sessions[token]

    # -- accounts ------------------------------------------------------------------------------------
    async def link_account(self, account: dict[str, Any]) -> dict[str, Any] | None:
        self._called("link_account")
        values = _known(account, ACCOUNT_FIELDS)
        required("link_account", values, "user_id", "type", "provider", "provider_account_id")
        record: dict[str, Any] = {name: values.get(name) for name in ACCOUNT_FIELDS}
        record["user_id"] = str(record["user_id"])
        record["provider_account_id"] = str(record["provider_account_id"])
        if record["expires_at"] is not None:
            record["expires_at"] = int(record["expires_at"])
        key = (str(record["provider"]), record["provider_account_id"])
        with self._lock:
            if record["user_id"] not in self.users:
                raise MemoryIntegrityError("link_account: foreign key constraint violated", kind="foreign_key")
            existing = self.accounts.get(key)
            if existing is not None:
                # A double-submitted sign-in: the same link again is the existing link; another user's is refused.
                if existing["user_id"] == record["user_id"]:
                    return dict(existing)
                raise MemoryIntegrityError("link_account: unique constraint violated", kind="unique")
            self.accounts[key] = record
            return dict(record)

    async def create_user_and_link_account(self, user: dict[str, Any], account: dict[str, Any]) -> dict[str, Any]:
        """``create_user`` and ``link_account`` at once: both records are stored, or neither (the runtime uses
        it for a first OAuth sign-in when the adapter has it). ``account`` needs no ``user_id``."""
        self._called("create_user_and_link_account")
        values = _known(user, USER_FIELDS)
        new_user: dict[str, Any] = {name: values.get(name) for name in USER_FIELDS}
        new_user["id"] = str(values.get("id") or uuid.uuid4())
        if new_user["email_verified"] is not None:
            new_user["email_verified"] = _utc(new_user["email_verified"], "create_user_and_link_account")
        linked = _known({**account, "user_id": new_user["id"]}, ACCOUNT_FIELDS)
        required("create_user_and_link_account", linked, "type", "provider", "provider_account_id")
        record: dict[str, Any] = {name: linked.get(name) for name in ACCOUNT_FIELDS}
        record["provider_account_id"] = str(record["provider_account_id"])
        if record["expires_at"] is not None:
            record["expires_at"] = int(record["expires_at"])
        key = (str(record["provider"]), record["provider_account_id"])
        with self._lock:
            email = new_user["email"]
            taken = new_user["id"] in self.users or (
                email is not None and any(u["email"] == email for u in self.users.values())
            )
            if taken or key in self.accounts:
                raise MemoryIntegrityError("create_user_and_link_account: unique constraint violated", kind="unique")
            self.users[new_user["id"]] = new_user
            self.accounts[key] = record
            return dict(new_user)

    async def get_accounts_by_user(self, user_id: str) -> list[dict[str, Any]]:
        """The user's linked accounts (optional: access-token refresh with database sessions)."""
        self._called("get_accounts_by_user")
        with self._lock:
            return [dict(a) for a in self.accounts.values() if a["user_id"] == str(user_id)]

    async def update_account(self, account: dict[str, Any]) -> dict[str, Any] | None:
        """Update the account named by ``provider`` + ``provider_account_id`` (optional: token refresh)."""
        self._called("update_account")
        required("update_account", account, "provider", "provider_account_id")
        values = _known(account, ACCOUNT_FIELDS, skip=("provider", "provider_account_id", "user_id"))
        if values.get("expires_at") is not None:
            values["expires_at"] = int(values["expires_at"])
        key = (str(account["provider"]), str(account["provider_account_id"]))
        with self._lock:
            existing = self.accounts.get(key)
            if existing is None:
                return None
            existing.update(values)
            return dict(existing)

    async def unlink_account(self, provider: str, provider_account_id: str) -> None:
        self._called("unlink_account")
        with self._lock:
            self.accounts.pop((provider, str(provider_account_id)), None)

    # -- sessions ------------------------------------------------------------------------------------
    async def create_session(self, session: dict[str, Any]) -> dict[str, Any]:
        self._called("create_session")
        values = _known(session, SESSION_FIELDS)
        required("create_session", values, "session_token", "user_id", "expires")
        record: dict[str, Any] = {
            "session_token": str(values["session_token"]),
            "user_id": str(values["user_id"]),
            "expires": _utc(values["expires"], "create_session"),
        }
        with self._lock:
            if record["user_id"] not in self.users:
                raise MemoryIntegrityError("create_session: foreign key constraint violated", kind="foreign_key")
            if record["session_token"] in self.sessions:
                raise MemoryIntegrityError("create_session: unique constraint violated", kind="unique") from None
            self.sessions[record["session_token"]] = record
            return dict(record)

    async def get_session_and_user(self, session_token: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        self._called("get_session_and_user")
        with self._lock:
            session = self.sessions.get(session_token)
            user = self.users.get(session["user_id"]) if session is not None else None
            if session is None or user is None:
                return None
            return dict(session), dict(user)

    async def update_session(self, session: dict[str, Any]) -> dict[str, Any] | None:
        self._called("update_session")
        required("update_session", session, "session_token")
        values = _known(session, SESSION_FIELDS, skip=("session_token",))
        if "expires" in values:
            values["expires"] = _utc(values["expires"], "update_session")
        if "user_id" in values:
            values["user_id"] = str(values["user_id"])
        with self._lock:
            stored = self.sessions.get(str(session["session_token"]))
            if stored is None:
                return None
            stored.update(values)
            return dict(stored)

    async def delete_session(self, session_token: str) -> dict[str, Any] | None:
        self._called("delete_session")
        with self._lock:
            gone = self.sessions.pop(session_token, None)
        return dict(gone) if gone is not None else None

    # -- verification tokens ---------------------------------------------------------------------------
    async def create_verification_token(self, token: dict[str, Any]) -> dict[str, Any] | None:
        self._called("create_verification_token")
        values = _known(token, TOKEN_FIELDS)
        required("create_verification_token", values, "identifier", "token", "expires")
        record: dict[str, Any] = {
            "identifier": str(values["identifier"]),
            "token": str(values["token"]),
            "expires": _utc(values["expires"], "create_verification_token"),
        }
        key = (record["identifier"], record["token"])
        with self._lock:
            if key in self.verification_tokens:
                raise MemoryIntegrityError("create_verification_token: unique constraint violated", kind="unique")
            self.verification_tokens[key] = record
        return dict(record)

    async def use_verification_token(self, identifier: str, token: str) -> dict[str, Any] | None:
        """Remove and return the token (expired or not: the core judges); a second use gets ``None``."""
        self._called("use_verification_token")
        with self._lock:
            gone = self.verification_tokens.pop((identifier, token), None)
        return dict(gone) if gone is not None else None

    # -- maintenance ---------------------------------------------------------------------------------
    async def delete_expired(self, now: datetime | None = None) -> dict[str, int]:
        """Remove expired sessions and verification tokens; returns how many of each."""
        cutoff = now or datetime.now(UTC)
        with self._lock:
            sessions = [t for t, s in self.sessions.items() if s["expires"] < cutoff]
            tokens = [k for k, v in self.verification_tokens.items() if v["expires"] < cutoff]
            for t in sessions:
                del self.sessions[t]
            for k in tokens:
                del self.verification_tokens[k]
        return {"sessions": len(sessions), "verification_tokens": len(tokens)}


if TYPE_CHECKING:
    _conforms: type[Adapter] = MemoryAdapter
