"""Email (magic link) sign-in end to end: the default sign-in page's form, a real SMTP server (aiosmtpd) on
loopback, the link in the message, and the database behind it (spec §6.5, §6.7, §10, §13).

Every test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from e2ekit import (
    SECRET,
    Browser,
    Mailbox,
    MockProvider,
    Server,
    SMTPServer,
    Stack,
    link_in,
    query_of,
    session_cookie,
)
from smtpkit import USER as SMTP_USER

from nextauth.adapters.sqlalchemy import sessions as sessions_table
from nextauth.jwt import decode

pytestmark = pytest.mark.slow

DAY = 24 * 3600


def close_to(a: datetime, b: datetime, seconds: float = 5.0) -> bool:
    return abs((a - b).total_seconds()) <= seconds


def hashed(token: str) -> str:
    return hashlib.sha256(f"{token}{SECRET}".encode()).hexdigest()


async def request_link(browser: Browser, mailbox: Mailbox, email: str, to: str | None = None) -> str:
    sent = await browser.request_email_link(email)
    assert sent.headers["location"] == f"{browser.server.base}/verify-request?provider=email&type=email"
    return link_in((await mailbox.one(to or email)).message)


async def test_magic_link_signs_in_once(stack: Stack, server: Server, smtp: SMTPServer) -> None:
    mailbox = Mailbox(smtp)
    async with Browser(server) as browser:
        before = datetime.now(UTC)
        sent = await browser.request_email_link("kim@example.org", callback_url="/inbox")
        assert sent.status_code == 302
        assert sent.headers["location"] == f"{server.base}/verify-request?provider=email&type=email"
        page = await browser.get(sent.headers["location"])
        assert page.status_code == 200 and "Check your email" in page.text

        mail = await mailbox.one("kim@example.org")
        assert mail.rcpt_tos == ["kim@example.org"] and mail.mail_from == "auth@e2e.example"
        assert mail.login == SMTP_USER  # the credentials of EMAIL_SERVER were used
        assert mail.message["Subject"] == f"Sign in to 127.0.0.1:{server.port}"
        assert mail.message["From"] == "Sign-in <auth@e2e.example>"
        link = link_in(mail.message)
        assert link.startswith(f"{server.base}/callback/email?")
        query = query_of(link)
        assert list(query) == ["callbackUrl", "token", "email"]
        assert query["callbackUrl"] == f"{server.url}/inbox" and query["email"] == "kim@example.org"
        assert re.fullmatch(r"[0-9a-f]{64}", query["token"])
        html_part = mail.message.get_body(preferencelist=("html",))
        assert html_part is not None and f'href="{html.escape(link)}"' in html_part.get_content()

        # The database holds the hash of the token, never the token itself.
        (stored,) = stack.db.tokens("kim@example.org")
        assert stored["token"] == hashed(query["token"])
        assert close_to(stored["expires"], before + timedelta(seconds=DAY))
        assert stack.db.users("kim@example.org") == []

        done = await browser.get(link)
        assert done.status_code == 302 and done.headers["location"] == f"{server.url}/inbox"
        user = stack.db.user("kim@example.org")
        assert user["email_verified"] is not None and close_to(user["email_verified"], datetime.now(UTC))
        cookie = session_cookie(done)
        assert cookie is not None
        row = stack.db.session(cookie.value)
        assert row is not None and row["user_id"] == user["id"]
        assert (await browser.session())["user"] == {"email": "kim@example.org", "name": None, "image": None,
                                                      "id": user["id"]}  # fmt: skip
        assert stack.db.tokens("kim@example.org") == []  # used up

        # The same link again: Verification, and the session stays as it is.
        again = await browser.get(link)
        assert again.status_code == 302 and again.headers["location"] == f"{server.base}/error?error=Verification"
        assert browser.session_token == cookie.value
        error_page = await browser.get(again.headers["location"])
        assert error_page.status_code == 403 and "Unable to sign in" in error_page.text

    async with Browser(server) as other:  # nor does it work in another browser
        replay = await other.get(link)
        assert replay.headers["location"] == f"{server.base}/error?error=Verification"
        assert other.session_token is None

    events = [e for e in server.events() if e.get("email") == "kim@example.org"]
    assert [e["event"] for e in events] == ["create_user", "sign_in"]
    assert events[-1]["provider"] == "email" and events[-1]["is_new_user"] is True


async def test_expired_link(stack: Stack, server: Server, smtp: SMTPServer) -> None:
    mailbox = Mailbox(smtp)
    async with Browser(server) as browser:
        link = await request_link(browser, mailbox, "lee@example.org")
        stack.db.set_token_expires("lee@example.org", datetime.now(UTC) - timedelta(seconds=1))
        refused = await browser.get(link)
        assert refused.headers["location"] == f"{server.base}/error?error=Verification"
        assert browser.session_token is None
    assert stack.db.users("lee@example.org") == []
    assert stack.db.tokens("lee@example.org") == []  # an expired token is consumed all the same


async def test_tampered_links(stack: Stack, server: Server, smtp: SMTPServer) -> None:
    mailbox = Mailbox(smtp)
    async with Browser(server) as browser:
        link = await request_link(browser, mailbox, "mia@example.org")
        token = query_of(link)["token"]
        flipped = token[:-1] + ("0" if token[-1] != "0" else "1")
        for forged in (
            link.replace(token, flipped),  # another token
            link.replace("email=mia%40example.org", "email=eve%40example.org"),  # someone else's address
            link.replace("&email=mia%40example.org", ""),  # no address
        ):
            assert forged != link
            refused = await browser.get(forged)
            assert refused.headers["location"] == f"{server.base}/error?error=Verification", forged
        missing = await browser.get(link.replace(f"&token={token}", ""))
        assert missing.headers["location"] == f"{server.base}/error?error=configuration"
        assert browser.session_token is None
        assert len(stack.db.tokens("mia@example.org")) == 1  # forgeries do not burn the real token

        done = await browser.get(link)
        assert done.headers["location"] == server.url  # no callbackUrl anywhere: the site's origin
        assert (await browser.session())["user"]["email"] == "mia@example.org"
    assert stack.db.users("eve@example.org") == []


async def test_identifier_normalisation(
    stack: Stack, server: Server, smtp: SMTPServer, allowed_server_errors: list[re.Pattern[str]]
) -> None:
    allowed_server_errors.append(re.compile(r"\[SIGNIN_EMAIL_ERROR\].*exactly one '@'"))
    mailbox = Mailbox(smtp)
    async with Browser(server) as browser:
        link = await request_link(browser, mailbox, "  Foo@Example.COM ", to="foo@example.com")
        assert query_of(link)["email"] == "foo@example.com"
        assert [t["identifier"] for t in stack.db.tokens("foo@example.com")] == ["foo@example.com"]
        await browser.get(link)
        assert (await browser.session())["user"]["email"] == "foo@example.com"
    user = stack.db.user("foo@example.com")

    async with Browser(server) as again:  # another spelling of the same address is the same person
        link = await request_link(again, mailbox, "FOO@example.com", to="foo@example.com")
        await again.get(link)
        assert (await again.session())["user"]["id"] == user["id"]
    assert len(stack.db.users("foo@example.com")) == 1
    sign_ins = [e for e in server.events("sign_in") if e["email"] == "foo@example.com"]
    assert [e["is_new_user"] for e in sign_ins] == [True, False]
    assert [e["user_id"] for e in server.events("update_user")].count(user["id"]) == 1

    async with Browser(server) as invalid:
        refused = await invalid.request_email_link("a@b@example.com")
        assert refused.headers["location"] == f"{server.base}/error?error=EmailSignin"
    assert mailbox.messages("a@b@example.com") == [] and len(mailbox.messages()) == 2


async def test_custom_send_verification_request(server: Server, smtp: SMTPServer) -> None:
    mailbox = Mailbox(smtp)
    async with Browser(server) as browser:
        sent = await browser.request_email_link("nina@example.org", provider="magic")
        assert sent.headers["location"] == f"{server.base}/verify-request?provider=magic&type=email"
        (entry,) = [e for e in server.outbox() if e["identifier"] == "nina@example.org"]
        assert entry["provider"] == "magic"
        assert entry["url"].startswith(f"{server.base}/callback/magic?")
        assert query_of(entry["url"])["token"] == entry["token"]
        expires = datetime.fromisoformat(entry["expires"])
        assert expires.tzinfo is not None and close_to(expires, datetime.now(UTC) + timedelta(seconds=DAY))
        assert mailbox.messages() == []  # the custom sender replaced SMTP

        done = await browser.get(entry["url"])
        assert done.status_code == 302
        assert (await browser.session())["user"]["email"] == "nina@example.org"


async def test_log_link_only(server: Server, smtp: SMTPServer) -> None:
    mailbox = Mailbox(smtp)
    async with Browser(server) as browser:
        sent = await browser.request_email_link("omar@example.org", provider="devlink")
        assert sent.headers["location"] == f"{server.base}/verify-request?provider=devlink&type=email"
        logged = re.findall(rf"{re.escape(server.base)}/callback/devlink\?\S*omar%40example\.org", server.log())
        assert len(logged) == 1
        assert "EMAIL_LOG_LINK_ONLY" in server.log()
        assert mailbox.messages() == []

        await browser.get(logged[0])
        assert (await browser.session())["user"]["email"] == "omar@example.org"


async def test_jwt_strategy_with_email(stack: Stack, smtp: SMTPServer) -> None:
    """The adapter stores users and verification tokens; the session is a JWT cookie, never a row."""
    jwt_server = stack.start("jwt", SESSION_STRATEGY="jwt")
    mailbox = Mailbox(smtp)
    sessions_before = stack.db.count(sessions_table)
    async with Browser(jwt_server) as browser:
        link = await request_link(browser, mailbox, "pia@example.org")
        done = await browser.get(link)
        assert done.status_code == 302 and done.headers["location"] == jwt_server.url
        user = stack.db.user("pia@example.org")
        cookie = session_cookie(done)
        assert cookie is not None
        claims = await decode(token=cookie.decoded, secret=SECRET)
        assert claims is not None and claims["sub"] == user["id"] and claims["email"] == "pia@example.org"
        assert stack.db.count(sessions_table) == sessions_before

        body = await browser.session(server=jwt_server)
        assert body["user"]["email"] == "pia@example.org" and body["user"]["id"] == user["id"]

        out = await browser.sign_out(server=jwt_server)
        assert out.status_code == 302
        assert browser.session_token is None
        assert await browser.session(server=jwt_server) == {}
    jwt_server.stop()
    assert jwt_server.errors() == []


async def test_email_sign_in_replaces_the_database_session(
    stack: Stack, server: Server, smtp: SMTPServer, mock_oidc: MockProvider
) -> None:
    async with Browser(server) as victor:  # victor exists and keeps his own session throughout
        await victor.oauth_sign_in(mock_oidc, "victor")
        victor_token = victor.session_token
        assert victor_token is not None
    victor_id = stack.db.user("victor@example.org")["id"]

    mailbox = Mailbox(smtp)
    async with Browser(server) as browser:
        await browser.oauth_sign_in(mock_oidc, "trent")
        trent_token = browser.session_token
        assert trent_token is not None and stack.db.session(trent_token) is not None

        # As an existing, different user: the old session row goes (spec §10).
        link = await request_link(browser, mailbox, "victor@example.org")
        await browser.get(link)
        new_token = browser.session_token
        assert new_token not in (None, trent_token, victor_token)
        assert stack.db.session(trent_token) is None
        assert (await browser.session())["user"]["id"] == victor_id
        assert stack.db.session(victor_token) is not None  # victor's other browser is untouched

        # As a brand-new user: the old row goes too (next-auth would leave it behind, unreachable).
        link = await request_link(browser, mailbox, "ursula@example.org")
        await browser.get(link)
        assert stack.db.session(new_token or "") is None
        assert (await browser.session())["user"]["email"] == "ursula@example.org"
        assert len(stack.db.sessions(user_id=stack.db.user("ursula@example.org")["id"])) == 1


async def test_oauth_with_the_email_of_an_email_user_is_not_linked(
    stack: Stack, server: Server, smtp: SMTPServer, mock_oidc: MockProvider
) -> None:
    """A user made by an email sign-in has no accounts; an OAuth account with the same email is still refused
    (OAuthAccountNotLinked) rather than silently given that user."""
    mailbox = Mailbox(smtp)
    async with Browser(server) as browser:
        await browser.get(await request_link(browser, mailbox, "yvonne@example.org"))
    yvonne = stack.db.user("yvonne@example.org")
    assert yvonne["email_verified"] is not None
    async with Browser(server) as browser:
        refused = await browser.oauth_sign_in(mock_oidc, "yvonne")
        assert refused.headers["location"] == f"{server.base}/error?error=OAuthAccountNotLinked"
        assert browser.session_token is None
    assert stack.db.account("mock", "yvonne") is None
    assert [u["id"] for u in stack.db.users("yvonne@example.org")] == [yvonne["id"]]


async def test_refused_recipient_and_missing_csrf(
    server: Server, smtp: SMTPServer, allowed_server_errors: list[re.Pattern[str]]
) -> None:
    allowed_server_errors.append(re.compile(r"\[SIGNIN_EMAIL_ERROR\].*EmailDeliveryError: .* rejected the recipient"))
    mailbox = Mailbox(smtp)
    smtp.recorder.reject.add("bounce@example.org")
    try:
        async with Browser(server) as browser:
            refused = await browser.request_email_link("bounce@example.org")
            assert refused.headers["location"] == f"{server.base}/error?error=EmailSignin"
            forged = await browser.post("signin/email", data={"email": "quinn@example.org"})  # no csrfToken
            assert forged.headers["location"] == f"{server.base}/signin?csrf=true"
    finally:
        smtp.recorder.reject.discard("bounce@example.org")
    assert mailbox.messages() == []
