"""The ``database`` session strategy over HTTP, against a real server and a real database (spec §6.3, §6.6, §6.9, §10).

Every test runs on SQLite and on PostgreSQL, through ``python -m nextauth.server`` and the mock OpenID provider.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from e2ekit import SESSION_COOKIE, Browser, MockProvider, Server, Stack, session_cookie, set_cookies

from nextauth._lib.util import iso_ms

pytestmark = pytest.mark.slow

MAX_AGE = 3600  # the main server's session.max_age
UPDATE_AGE = 60  # and update_age


def close_to(a: datetime, b: datetime, seconds: float = 5.0) -> bool:
    return abs((a - b).total_seconds()) <= seconds


async def test_oauth_sign_in_creates_user_account_and_session(
    stack: Stack, server: Server, mock_oidc: MockProvider
) -> None:
    async with Browser(server) as browser:
        before = datetime.now(UTC)
        done = await browser.oauth_sign_in(mock_oidc, "alice", callback_url="/welcome-back")
        assert done.status_code == 302 and done.headers["location"] == f"{server.url}/welcome-back"

        user = stack.db.user("alice@example.org")
        assert user["name"] == "Alice" and user["image"] == "http://127.0.0.1/alice.png"
        assert user["email_verified"] is None  # OAuth never verifies an email (next-auth)
        (account,) = stack.db.accounts(user_id=user["id"])
        assert (account["provider"], account["provider_account_id"], account["type"]) == ("mock", "alice", "oauth")
        assert account["access_token"] and account["id_token"] and account["token_type"].lower() == "bearer"
        assert isinstance(account["expires_at"], int) and account["expires_at"] > before.timestamp()
        (row,) = stack.db.sessions(user_id=user["id"])

        # The cookie is the raw session token: one cookie, no chunks, Expires = the row's expiry.
        cookie = session_cookie(done)
        assert cookie is not None and cookie.name == SESSION_COOKIE
        assert cookie.value == row["session_token"] and str(uuid.UUID(cookie.value)) == cookie.value
        assert cookie.http_only and cookie.same_site == "Lax" and cookie.path == "/" and not cookie.secure
        assert cookie.max_age is None and cookie.expires is not None
        assert cookie.expires == row["expires"].replace(microsecond=0)
        assert close_to(row["expires"], before + timedelta(seconds=MAX_AGE))
        assert not any(c.name.startswith(f"{SESSION_COOKIE}.") for c in set_cookies(done))

        body = await browser.session()
        assert body == {
            "user": {
                "name": "Alice",
                "email": "alice@example.org",
                "image": "http://127.0.0.1/alice.png",
                "id": user["id"],
            },
            "expires": iso_ms(row["expires"]),
        }

    events = [e for e in server.events() if e.get("email") == "alice@example.org"]
    assert [e["event"] for e in events] == ["create_user", "link_account", "sign_in"]
    assert events[-1]["is_new_user"] is True and events[-1]["user_id"] == user["id"]

    # The same person in another browser: the same user and account, a second session.
    async with Browser(server) as other:
        again = await other.oauth_sign_in(mock_oidc, "alice")
        assert again.headers["location"] == f"{server.url}/done"
        assert (await other.session())["user"]["id"] == user["id"]
    assert len(stack.db.users("alice@example.org")) == 1 and len(stack.db.accounts(user_id=user["id"])) == 1
    assert len(stack.db.sessions(user_id=user["id"])) == 2
    assert server.events("sign_in")[-1]["is_new_user"] is False


async def test_update_age_throttles_writes_and_expiry_ends_the_session(
    stack: Stack, server: Server, mock_oidc: MockProvider
) -> None:
    async with Browser(server) as browser:
        await browser.oauth_sign_in(mock_oidc, "frank")
        token = browser.session_token
        assert token is not None
        created = stack.db.session(token)
        assert created is not None

        # Fresh: read without a write; the cookie is re-sent with a rolling Expires all the same.
        response = await browser.get("session")
        assert response.json()["expires"] == iso_ms(created["expires"])
        assert stack.db.session(token) == created
        cookie = session_cookie(response)
        assert cookie is not None and cookie.value == token and cookie.expires is not None
        assert close_to(cookie.expires, datetime.now(UTC) + timedelta(seconds=MAX_AGE))

        # Last extended more than update_age ago: this read extends the row to now + max_age.
        stale = created["expires"] - timedelta(seconds=UPDATE_AGE + 5)
        stack.db.set_session_expires(token, stale)
        response = await browser.get("session")
        assert response.json()["expires"] == iso_ms(stale)  # the body shows the stored (pre-update) value
        extended = stack.db.session(token)
        assert extended is not None
        assert close_to(extended["expires"], datetime.now(UTC) + timedelta(seconds=MAX_AGE))

        # Just extended: the next read does not write again.
        response = await browser.get("session")
        assert response.json()["expires"] == iso_ms(extended["expires"])
        assert stack.db.session(token) == extended

        # Expired: {} , the cookie is cleared and the row deleted.
        stack.db.set_session_expires(token, datetime.now(UTC) - timedelta(seconds=1))
        response = await browser.get("session")
        assert response.status_code == 200 and response.json() == {}
        cookie = session_cookie(response)
        assert cookie is not None and cookie.is_deletion
        assert stack.db.session(token) is None
        assert browser.session_token is None


async def test_short_max_age_and_update_age_in_real_time(stack: Stack, mock_oidc: MockProvider) -> None:
    """max_age 3 s, update_age 1 s, and the clock really moves: no write within update_age, a write after it,
    and a session nobody touches for max_age is over. (Not less than 3 s: cookie expiry dates have whole seconds,
    so the browser may drop a cookie up to a second early.)"""
    short = stack.start("short", SESSION_MAX_AGE="3", SESSION_UPDATE_AGE="1")
    async with Browser(short) as browser:
        await browser.oauth_sign_in(mock_oidc, "grace")
        token = browser.session_token
        assert token is not None
        first = stack.db.session(token)
        assert first is not None
        assert (await browser.session())["user"]["email"] == "grace@example.org"
        assert stack.db.session(token) == first  # within update_age: no write

        await asyncio.sleep(1.1)
        assert (await browser.session())["user"]["email"] == "grace@example.org"
        second = stack.db.session(token)
        assert second is not None and second["expires"] >= first["expires"] + timedelta(seconds=1)

        await asyncio.sleep((second["expires"] - datetime.now(UTC)).total_seconds() + 0.3)
        # The browser dropped the cookie at its Expires; a copy of it (another device's clock, a thief) is
        # what still reaches the server, and the server must refuse it on its own.
        assert browser.session_token is None
        browser.set_session_token(token)
        response = await browser.get("session")
        assert response.json() == {}
        cookie = session_cookie(response)
        assert cookie is not None and cookie.is_deletion
        assert stack.db.session(token) is None
    short.stop()
    assert short.errors() == []


async def test_session_update_reaches_the_session_callback(
    stack: Stack, server: Server, mock_oidc: MockProvider
) -> None:
    async with Browser(server) as browser:
        await browser.oauth_sign_in(mock_oidc, "heidi")
        csrf = await browser.csrf()
        response = await browser.post("session", json={"csrfToken": csrf, "data": {"name": "Heidi Renamed"}})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/json")
        assert "cache-control" not in response.headers  # POST answers without the no-cache headers
        body = response.json()
        assert body["trigger"] == "update" and body["user"]["name"] == "Heidi Renamed"
        assert body["user"]["email"] == "heidi@example.org"

        # A plain read has no trigger and no new_session.
        body = await browser.session()
        assert "trigger" not in body and body["user"]["name"] == "Heidi"

        # Without the CSRF token: 400 {} and nothing happens.
        refused = await browser.post("session", json={"data": {"name": "Forged"}})
        assert refused.status_code == 400 and refused.json() == {}

    async with Browser(server) as anonymous:
        csrf = await anonymous.csrf()
        response = await anonymous.post("session", json={"csrfToken": csrf, "data": {"name": "Nobody"}})
        assert response.status_code == 200 and response.json() == {}


async def test_sign_out_deletes_the_row(stack: Stack, server: Server, mock_oidc: MockProvider) -> None:
    async with Browser(server) as browser:
        await browser.oauth_sign_in(mock_oidc, "ivan")
        token = browser.session_token
        assert token is not None and stack.db.session(token) is not None
        user_id = stack.db.user("ivan@example.org")["id"]

        out = await browser.sign_out(callback_url="/goodbye")
        assert out.status_code == 302 and out.headers["location"] == f"{server.url}/goodbye"
        cookie = session_cookie(out)
        assert cookie is not None and cookie.is_deletion
        assert stack.db.session(token) is None
        assert await browser.session() == {}
    assert server.events("sign_out")[-1]["session_user_id"] == user_id

    # A copy of the old cookie is worth nothing any more: the row is gone.
    async with Browser(server) as thief:
        thief.set_session_token(token)
        assert await thief.session() == {}


async def test_second_provider_links_to_the_signed_in_user(
    stack: Stack, server: Server, mock_oidc: MockProvider
) -> None:
    async with Browser(server) as browser:
        await browser.oauth_sign_in(mock_oidc, "carol")
        token = browser.session_token
        carol = stack.db.user("carol@example.org")

        linked = await browser.oauth_sign_in(mock_oidc, "carol-work", provider="mock2", callback_url="/linked")
        assert linked.headers["location"] == f"{server.url}/linked"
        account = stack.db.account("mock2", "carol-work")
        assert account is not None and account["user_id"] == carol["id"]
        assert stack.db.users("carol@work.example") == []  # no second user for the other email
        assert browser.session_token == token  # the same session goes on
        assert len(stack.db.sessions(user_id=carol["id"])) == 1
        assert (await browser.session())["user"]["email"] == "carol@example.org"
        link_event = [e for e in server.events("link_account") if e["provider_account_id"] == "carol-work"]
        assert link_event == [
            {
                "event": "link_account",
                "user_id": carol["id"],
                "email": "carol@example.org",
                "provider": "mock2",
                "provider_account_id": "carol-work",
            }
        ]

        # Signing in again with an account linked to this very user changes nothing.
        again = await browser.oauth_sign_in(mock_oidc, "carol-work", provider="mock2")
        assert again.headers["location"] == f"{server.url}/done"
        assert browser.session_token == token and len(stack.db.sessions(user_id=carol["id"])) == 1

    # Signed out, the second account signs in as the same person.
    async with Browser(server) as fresh:
        await fresh.oauth_sign_in(mock_oidc, "carol-work", provider="mock2")
        assert (await fresh.session())["user"]["id"] == carol["id"]


async def test_same_email_from_another_provider_is_not_linked(
    stack: Stack, server: Server, mock_oidc: MockProvider
) -> None:
    async with Browser(server) as first:
        await first.oauth_sign_in(mock_oidc, "dave")
    dave = stack.db.user("dave@example.org")
    sessions_before = len(stack.db.sessions())

    async with Browser(server) as browser:
        refused = await browser.oauth_sign_in(mock_oidc, "dave-alt", provider="mock2")
        assert refused.status_code == 302
        assert refused.headers["location"] == f"{server.base}/error?error=OAuthAccountNotLinked"
        assert browser.session_token is None
        page = await browser.get(refused.headers["location"])
        assert page.headers["location"] == f"{server.base}/signin?error=OAuthAccountNotLinked"
        assert "sign in with the same account you used originally" in (await browser.get(page.headers["location"])).text

    assert stack.db.account("mock2", "dave-alt") is None
    assert [u["id"] for u in stack.db.users("dave@example.org")] == [dave["id"]]
    assert len(stack.db.sessions()) == sessions_before


async def test_dangerous_email_linking_links_and_reports_a_new_user(
    stack: Stack, server: Server, mock_oidc: MockProvider
) -> None:
    async with Browser(server) as first:
        await first.oauth_sign_in(mock_oidc, "erin")
    erin = stack.db.user("erin@example.org")

    async with Browser(server) as browser:
        done = await browser.oauth_sign_in(mock_oidc, "erin-danger", provider="mock-danger", callback_url="/in")
        assert done.headers["location"] == f"{server.url}/in"
        assert (await browser.session())["user"]["id"] == erin["id"]
    account = stack.db.account("mock-danger", "erin-danger")
    assert account is not None and account["user_id"] == erin["id"]
    assert [u["id"] for u in stack.db.users("erin@example.org")] == [erin["id"]]
    sign_in = [e for e in server.events("sign_in") if e["provider"] == "mock-danger"]
    # next-auth reports is_new_user=True here although the user existed (spec §10): kept for compatibility.
    assert sign_in == [
        {
            "event": "sign_in",
            "user_id": erin["id"],
            "email": "erin@example.org",
            "provider": "mock-danger",
            "provider_account_id": "erin-danger",
            "is_new_user": True,
        }
    ]
    assert not [e for e in server.events("create_user") if e["email"] == "erin@example.org"][1:]


async def test_account_of_another_user_is_refused_while_signed_in(
    stack: Stack, server: Server, mock_oidc: MockProvider
) -> None:
    async with Browser(server) as judy:
        await judy.oauth_sign_in(mock_oidc, "judy")
    async with Browser(server) as browser:
        await browser.oauth_sign_in(mock_oidc, "mallory")
        token = browser.session_token
        refused = await browser.oauth_sign_in(mock_oidc, "judy")
        assert refused.headers["location"] == f"{server.base}/error?error=OAuthAccountNotLinked"
        assert browser.session_token == token
        assert (await browser.session())["user"]["email"] == "mallory@example.org"
    judy_id = stack.db.user("judy@example.org")["id"]
    account = stack.db.account("mock", "judy")
    assert account is not None and account["user_id"] == judy_id


async def test_an_expired_session_does_not_link_accounts(stack: Stack, server: Server, mock_oidc: MockProvider) -> None:
    """A session row past its expiry is no session: a new account must not be linked to its user."""
    async with Browser(server) as browser:
        await browser.oauth_sign_in(mock_oidc, "olivia")
        token = browser.session_token
        assert token is not None
        olivia = stack.db.user("olivia@example.org")
        stack.db.set_session_expires(token, datetime.now(UTC) - timedelta(minutes=5))

        done = await browser.oauth_sign_in(mock_oidc, "peggy", provider="mock2")
        assert done.headers["location"] == f"{server.url}/done"
        account = stack.db.account("mock2", "peggy")
        assert account is not None and account["user_id"] != olivia["id"]
        assert account["user_id"] == stack.db.user("peggy@example.org")["id"]
        assert (await browser.session())["user"]["email"] == "peggy@example.org"
        assert stack.db.session(token) is None  # the expired row was cleaned up


@pytest.mark.parametrize("token", [str(uuid.uuid4()), "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..x.y.z", "' OR 1=1 --"])
async def test_unknown_session_tokens_are_no_session(server: Server, token: str) -> None:
    async with Browser(server) as browser:
        browser.set_session_token(token)
        response = await browser.get("session")
        assert response.status_code == 200 and response.json() == {}
        cookie = session_cookie(response)
        assert cookie is not None and cookie.is_deletion
