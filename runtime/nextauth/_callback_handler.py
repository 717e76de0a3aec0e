"""Who signs in: next-auth's ``callbackHandler`` (account linking) for OAuth and email sign-ins.

With no adapter the profile is the user. With an adapter:
* an account already linked to the signed-in user is a no-op; linked to nobody signed in, it signs that
  user in; linked to *another* signed-in user, it is refused (``OAuthAccountNotLinked``);
* an unknown account is linked to the signed-in user; with nobody signed in, an existing user with the
  same email refuses it (``OAuthAccountNotLinked``) unless the provider sets
  ``allow_dangerous_email_account_linking``; otherwise a new user is created and linked.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import anyio

from nextauth._init import Internal
from nextauth._util import call_user, utcnow
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
            decoded = await internal.decode(session_token)
        except JWTError:
            return None, None  # an unreadable session counts as signed out
        if decoded and decoded.get("sub"):
            return await adapter.call("get_user", str(decoded["sub"])), decoded
        return None, decoded
    found = await adapter.call("get_session_and_user", session_token)
    if found:
        db_session, user = found
        return user, db_session
    return None, None


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
            if user is not None and user.get("id") != by_email.get("id") and not internal.use_jwt and session_token:
                await adapter.call("delete_session", session_token)
            user = await adapter.call("update_user", {"id": by_email["id"], "email_verified": utcnow()})
            await internal.emit("update_user", user=user)
            is_new = False
        else:
            new_user = {k: v for k, v in profile.items() if k != "id"}
            new_user["email_verified"] = utcnow()
            try:
                user = await _create_user(internal, new_user)
                await internal.emit("create_user", user=user)
                is_new = True
            except AdapterError:
                # The same link opened twice at once: the other request created the user.
                raced = await adapter.call("get_user_by_email", profile.get("email"))
                if not raced:
                    raise
                user, is_new = raced, False
        assert user is not None
        return Outcome(user, await _new_session(internal, user["id"]), is_new)

    by_account = await adapter.call("get_user_by_account", account["provider"], account["provider_account_id"])
    if by_account:
        if user is not None:
            if by_account.get("id") == user.get("id"):
                return Outcome(user, session if not internal.use_jwt else None, False)
            raise AccountNotLinkedError("The account is already associated with another user")
        return Outcome(by_account, await _new_session(internal, by_account["id"]), False)

    if user is not None:
        await _link(internal, account, user)
        await internal.emit("link_account", user=user, account=account, profile=profile)
        return Outcome(user, session if not internal.use_jwt else None, False)

    by_email = await adapter.call("get_user_by_email", profile["email"]) if profile.get("email") else None
    if by_email:
        provider = internal.provider
        if isinstance(provider, OAuthProvider) and provider.allow_dangerous_email_account_linking:
            user = by_email
        else:
            raise AccountNotLinkedError("Another account already exists with the same e-mail address")
    else:
        new_user = {k: v for k, v in profile.items() if k != "id"}
        new_user["email_verified"] = None
        try:
            user = await _create_user(internal, new_user)
        except AdapterError:
            # A double-clicked first sign-in: the other request created (and maybe linked) the user.
            for delay in (0.0, 0.05, 0.1, 0.2):  # the winner may not have linked the account yet
                await anyio.sleep(delay)
                raced = await adapter.call("get_user_by_account", account["provider"], account["provider_account_id"])
                if raced:
                    return Outcome(raced, await _new_session(internal, raced["id"]), False)
            raise
        await internal.emit("create_user", user=user)
    await _link(internal, account, user)
    await internal.emit("link_account", user=user, account=account, profile=profile)
    return Outcome(user, await _new_session(internal, user["id"]), True)


async def _create_user(internal: Internal, new_user: dict[str, Any]) -> dict[str, Any]:
    assert internal.adapter is not None
    created: dict[str, Any] = await internal.adapter.call("create_user", new_user)
    return created


async def _link(internal: Internal, account: dict[str, Any], user: dict[str, Any]) -> None:
    assert internal.adapter is not None
    record = {**account, "user_id": user["id"]}
    try:
        await internal.adapter.call("link_account", record)
    except AdapterError:
        # Two concurrent first sign-ins with the same account: the loser finds the winner's link.
        linked = await internal.adapter.call("get_user_by_account", account["provider"], account["provider_account_id"])
        if not linked or linked.get("id") != user.get("id"):
            raise
