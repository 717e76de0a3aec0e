"""50 sign-ins at once against one server, on SQLite and on PostgreSQL: OAuth (the mock OpenID provider) and
credentials mixed, distinct people and the same person in several browsers at the same moment. Nothing may fail,
and the database must end up with exactly one user and one account per person and one session per browser."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass

import httpx
import pytest
from e2ekit import SECRET, Browser, MockProvider, Server, Stack, mock_users, session_cookie

from nextauth.adapters.sqlalchemy import accounts, sessions, users
from nextauth.jwt import decode

pytestmark = pytest.mark.slow

NEW = [f"conc{i:02d}" for i in range(14)]  # first sign-in, one browser each
TWINS = [f"conc{i:02d}" for i in range(14, 19)]  # first sign-in, two browsers at the same moment
GHOSTS = ["ghost0", "ghost1"]  # the same, with a profile without email (nothing unique but the account)
RETURNING = ["conc21", "conc22"]  # signed in before, two browsers at the same moment
CREDENTIALS = [f"user{i:02d}" for i in range(8)] + [f"twin{i}" for i in range(5)] * 2


@dataclass
class Attempt:
    kind: str  # "oauth" or "credentials"
    who: str
    browser: Browser
    callback_url: str
    response: httpx.Response | None = None


async def run(attempt: Attempt, mock: MockProvider) -> None:
    if attempt.kind == "oauth":
        attempt.response = await attempt.browser.oauth_sign_in(mock, attempt.who, callback_url=attempt.callback_url)
    else:
        attempt.response = await attempt.browser.credentials_sign_in(attempt.who, callback_url=attempt.callback_url)


async def test_fifty_concurrent_sign_ins(stack: Stack, server: Server, mock_oidc: MockProvider) -> None:
    db = stack.db
    mock_names = {u["sub"]: u["name"] for u in mock_users()}
    for who in RETURNING:
        async with Browser(server) as earlier:
            await earlier.oauth_sign_in(mock_oidc, who)
    counts_before = {t.name: db.count(t) for t in (users, accounts, sessions)}

    people = [("oauth", w) for w in NEW + (TWINS + GHOSTS + RETURNING) * 2]
    people += [("credentials", w) for w in CREDENTIALS]
    assert len(people) == 50
    attempts = [Attempt(kind, who, Browser(server), f"/done/{i}") for i, (kind, who) in enumerate(people)]
    try:
        await asyncio.gather(*(run(a, mock_oidc) for a in attempts))

        for a in attempts:  # every sign-in reached its own callbackUrl with a session cookie
            assert a.response is not None
            assert (a.response.status_code, a.response.headers.get("location")) == (302, server.url + a.callback_url), (
                a.kind,
                a.who,
                a.response.headers.get("location"),
            )
            assert session_cookie(a.response) is not None

        oauth = [a for a in attempts if a.kind == "oauth"]
        bodies = await asyncio.gather(*(a.browser.session() for a in oauth))
        for a, body in zip(oauth, bodies, strict=True):
            assert body["user"]["name"] == mock_names[a.who]
        tokens = [a.browser.session_token for a in oauth]
        assert len(set(tokens)) == len(tokens)

        for a in attempts:  # credentials sign-ins always get a JWT (next-auth never stores them)
            if a.kind == "credentials":
                claims = await decode(token=a.browser.session_token or "", secret=SECRET)
                assert claims is not None and claims["sub"] == f"cred:{a.who}"
    finally:
        await asyncio.gather(*(a.browser.client.aclose() for a in attempts))

    # Exactly one user and one account per person, one session per OAuth browser, nothing for credentials.
    browsers_per_person = Counter(a.who for a in attempts if a.kind == "oauth")
    for who, browsers in browsers_per_person.items():
        (user,) = [u for u in db.users() if u["name"] == mock_names[who]]
        (account,) = db.accounts(user_id=user["id"])
        assert (account["provider"], account["provider_account_id"]) == ("mock", who)
        earlier = 1 if who in RETURNING else 0
        assert len(db.sessions(user_id=user["id"])) == browsers + earlier, who
    assert [u for u in db.users() if (u["email"] or "").endswith("@cred.example")] == []
    new_people = len(NEW) + len(TWINS) + len(GHOSTS)
    assert {t.name: db.count(t) - counts_before[t.name] for t in (users, accounts, sessions)} == {
        "users": new_people,
        "accounts": new_people,
        "sessions": len(oauth),
    }
    new_user_events = [e for e in server.events("sign_in") if e["provider"] == "mock" and e["is_new_user"]]
    first_sign_ins = Counter(e["provider_account_id"] for e in new_user_events)
    assert {who: first_sign_ins[who] for who in browsers_per_person} == dict.fromkeys(browsers_per_person, 1)
