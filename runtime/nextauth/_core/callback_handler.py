"""Who signs in: next-auth's ``callbackHandler`` (account linking) for OAuth and email sign-ins.

With no adapter the profile is the user. With an adapter:
* an account already linked to the signed-in user is a no-op; linked to nobody signed in, it signs that
  user in; linked to *another* signed-in user, it is refused (``OAuthAccountNotLinked``);
* an unknown account is linked to the signed-in user; with nobody signed in, an existing user with the
  same email refuses it (``OAuthAccountNotLinked``) unless the provider sets
  ``allow_dangerous_email_account_linking``; otherwise a new user is created and linked.

A database session past its expiry counts as no session. The same first sign-in running in two browsers at
once (a double click, two tabs) signs both in as one user: the request that loses the race to create the
user or link the account finds the winner's rows instead of failing.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Any

from nextauth._core.init import Internal
from nextauth._lib.util import as_utc, call_user, utcnow
from nextauth.errors import AccountNotLinkedError, AdapterError, JWTError
from nextauth.providers import OAuthProvider


class Outcome:
    __slots__ = ("is_new_user", "session", "user")

    def __init__(self, user: dict[str, Any], session: dict[str, Any] | None, is_new_user: bool | None) -> None:
        self.user = user
        self.session = session
        self.is_new_user = is_new_user


async def _new_session(internal: Internal, user_id: str) -> dict[str, Any] | None:
    if internal.use_jwt:
        return None
    assert internal.adapter is not None
    token = str(await call_user(internal.prepared.generate_session_token))
    expires = utcnow() + timedelta(seconds=internal.prepared.session_max_age)
    result: dict[str, Any] = await internal.adapter.call(
        "create_session", {"session_token": token, "user_id": user_id, "expires": expires}
    )
    return result


async def _current_user(internal: Internal, session_token: str | None) -> tuple[dict[str, Any] | None, Any]:
    adapter = internal.adapter
    assert adapter is not None
    if not session_token:
        return None, None
    if internal.use_jwt:
        try:
            decoded = await internal.jwt.decode(session_token)
        except JWTError:
            return None, None  # an unreadable session counts as signed out
        if decoded and decoded.get("sub"):
            return await adapter.call("get_user", str(decoded["sub"])), decoded
        return None, decoded
    found = await adapter.call("get_session_and_user", session_token)
    if not found:
        return None, None
    db_session, user = found
    if as_utc(db_session.get("expires")) < utcnow():
        # An expired row is no session (GET /session says so too): its user must not get accounts linked.
        await adapter.call("delete_session", session_token)
        return None, None
    return user, db_session


async def callback_handler(
    internal: Internal, *, session_token: str | None, profile: dict[str, Any], account: dict[str, Any]
) -> Outcome:
    if not account.get("provider_account_id") or not account.get("type"):
        raise ValueError("Missing or invalid provider account")
    if account["type"] not in ("email", "oauth"):
        raise ValueError("Provider not supported")
    adapter = internal.adapter
    if adapter is None:
        return Outcome(profile, None, None)

    user, session = await _current_user(internal, session_token)

    if account["type"] == "email":
        by_email = await adapter.call("get_user_by_email", profile.get("email"))
        if by_email:
            user = await adapter.call("update_user", {"id": by_email["id"], "email_verified": utcnow()})
            await internal.events.emit("update_user", user=user)
            is_new = False
        else:
            new_user = {k: v for k, v in profile.items() if k != "id"}
            new_user["email_verified"] = utcnow()
            try:
                user = await _create_user(internal, new_user)
                await internal.events.emit("create_user", user=user)
                is_new = True
            except AdapterError as exc:
                # The same link opened twice at once: the other request created the user.
                raced = await adapter.call("get_user_by_email", profile.get("email"))
                if not raced:
                    await internal.logger.error("adapter_error_create_user", exc.__cause__)
                    raise
                user, is_new = raced, False
        assert user is not None
        if session is not None and not internal.use_jwt and session_token:
            # The browser's session cookie is about to be replaced by a new session. next-auth deletes the old
            # row only when it belonged to another existing user; any old row would live on, unreachable.
            await adapter.call("delete_session", session_token)
        return Outcome(user, await _new_session(internal, user["id"]), is_new)

    by_account = await adapter.call("get_user_by_account", account["provider"], account["provider_account_id"])
    if by_account:
        if user is not None:
            if by_account.get("id") == user.get("id"):
                return Outcome(user, session if not internal.use_jwt else None, False)
            raise AccountNotLinkedError("The account is already associated with another user")
        return Outcome(by_account, await _new_session(internal, by_account["id"]), False)

    if user is not None:
        owner = await _link(internal, account, user)
        if owner.get("id") != user.get("id"):  # linked to someone else by a concurrent request
            raise AccountNotLinkedError("The account is already associated with another user")
        await internal.events.emit("link_account", user=user, account=account, profile=profile)
        return Outcome(user, session if not internal.use_jwt else None, False)

    by_email = await adapter.call("get_user_by_email", profile["email"]) if profile.get("email") else None
    if by_email:
        if not _dangerous_linking(internal):
            # The same first sign-in in another browser may have committed its user (and with it, in the same
            # transaction, this account) since the lookup by account above: then this is that user.
            linked = await _linked_user(internal, account)
            if linked is not None:
                return Outcome(linked, await _new_session(internal, linked["id"]), False)
            raise AccountNotLinkedError("Another account already exists with the same e-mail address")
        user = by_email
    else:
        new_user = {k: v for k, v in profile.items() if k != "id"}
        new_user["email_verified"] = None
        if adapter.has("create_user_and_link_account"):
            return await _create_linked_user(internal, new_user, account, profile)
        return await _create_then_link(internal, new_user, account, profile)
    owner = await _link(internal, account, user)
    if owner.get("id") != user.get("id"):  # a concurrent request linked the account to someone else
        return Outcome(owner, await _new_session(internal, owner["id"]), False)
    await internal.events.emit("link_account", user=user, account=account, profile=profile)
    return Outcome(user, await _new_session(internal, user["id"]), True)


def _dangerous_linking(internal: Internal) -> bool:
    provider = internal.provider
    return isinstance(provider, OAuthProvider) and provider.allow_dangerous_email_account_linking


async def _linked_user(internal: Internal, account: dict[str, Any]) -> dict[str, Any] | None:
    """The user ``account`` is linked to now (one read, no waiting)."""
    assert internal.adapter is not None
    linked: dict[str, Any] | None = await internal.adapter.call(
        "get_user_by_account", account["provider"], account["provider_account_id"]
    )
    return linked


async def _create_linked_user(
    internal: Internal, new_user: dict[str, Any], account: dict[str, Any], profile: dict[str, Any]
) -> Outcome:
    """A first sign-in with an adapter that writes the user and the account in one transaction.

    Two first sign-ins of one account at once (a double click, two tabs) both get here; the database's
    unique constraints (users' email, accounts' provider + providerAccountId) let one transaction commit
    and refuse the other, which wrote nothing. The committed transaction made both rows, so the loser
    finds the winner's user by the account at once and signs in as them.
    """
    assert internal.adapter is not None
    try:
        user: dict[str, Any] = await internal.adapter.call(
            "create_user_and_link_account", new_user, dict(account), recoverable=True
        )
    except AdapterError as exc:
        linked = await _linked_user(internal, account)
        if linked is not None:
            return Outcome(linked, await _new_session(internal, linked["id"]), False)
        by_email = await internal.adapter.call("get_user_by_email", profile["email"]) if profile.get("email") else None
        if by_email is None:  # not a lost race: the database failed
            await internal.logger.error("adapter_error_create_user", exc.__cause__)
            raise AdapterError("create_user", exc.__cause__ or exc) from None
        # Someone else holds the email (a user made in between by another provider): as if found above.
        if not _dangerous_linking(internal):
            raise AccountNotLinkedError("Another account already exists with the same e-mail address") from None
        owner = await _link(internal, account, by_email)
        await internal.events.emit("link_account", user=by_email, account=account, profile=profile)
        return Outcome(owner, await _new_session(internal, owner["id"]), True)
    await internal.events.emit("create_user", user=user)
    await internal.events.emit("link_account", user=user, account=account, profile=profile)
    return Outcome(user, await _new_session(internal, user["id"]), True)


async def _create_then_link(
    internal: Internal, new_user: dict[str, Any], account: dict[str, Any], profile: dict[str, Any]
) -> Outcome:
    """A first sign-in with an adapter that has only ``create_user`` and ``link_account`` (next-auth's way).

    A concurrent first sign-in of the same account is resolved by what the database shows at once: the
    account already linked signs in as its user; an email taken by a user without this account is
    ``OAuthAccountNotLinked`` (the other request may not have linked it yet: without a transaction
    nobody can tell, and waiting would only guess).
    """
    adapter = internal.adapter
    assert adapter is not None
    try:
        user = await _create_user(internal, new_user)
    except AdapterError as exc:
        linked = await _linked_user(internal, account)
        if linked is not None:
            return Outcome(linked, await _new_session(internal, linked["id"]), False)
        by_email = await adapter.call("get_user_by_email", profile["email"]) if profile.get("email") else None
        if by_email is None:
            await internal.logger.error("adapter_error_create_user", exc.__cause__)
            raise
        if not _dangerous_linking(internal):
            raise AccountNotLinkedError("Another account already exists with the same e-mail address") from None
        owner = await _link(internal, account, by_email)
        await internal.events.emit("link_account", user=by_email, account=account, profile=profile)
        return Outcome(owner, await _new_session(internal, owner["id"]), True)
    await internal.events.emit("create_user", user=user)
    owner = await _link(internal, account, user)
    if owner.get("id") != user.get("id"):
        # A concurrent first sign-in of the same account (a provider without emails, so both requests created a
        # user) linked it first: the account decides who this is, and the user made here is removed (a
        # failure is logged by the adapter proxy; an unused row is harmless).
        if adapter.has("delete_user"):
            with contextlib.suppress(AdapterError):
                await adapter.call("delete_user", user["id"])
        return Outcome(owner, await _new_session(internal, owner["id"]), False)
    await internal.events.emit("link_account", user=user, account=account, profile=profile)
    return Outcome(user, await _new_session(internal, user["id"]), True)


async def _create_user(internal: Internal, new_user: dict[str, Any]) -> dict[str, Any]:
    assert internal.adapter is not None
    created: dict[str, Any] = await internal.adapter.call("create_user", new_user, recoverable=True)
    return created


async def _link(internal: Internal, account: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    """Link ``account`` to ``user``; the user it is linked to (another one if a concurrent request won)."""
    assert internal.adapter is not None
    record = {**account, "user_id": user["id"]}
    try:
        await internal.adapter.call("link_account", record, recoverable=True)
    except AdapterError as exc:
        linked: dict[str, Any] | None = await internal.adapter.call(
            "get_user_by_account", account["provider"], account["provider_account_id"]
        )
        if not linked:
            await internal.logger.error("adapter_error_link_account", exc.__cause__)
            raise
        return linked
    return user
