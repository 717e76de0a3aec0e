"""The built-in pages served by the Python server, used in chromium as a person would, with screenshots.

Each page is saved to ``tests/artifacts/browser/<name>.png`` at the size of next-auth's reference screenshots
(``tests/browser/reference/*.png``, vendored from ``../shared/spec/next-auth-pages``; 1000×760, light scheme)
for a side-by-side look.
"""

from __future__ import annotations

import re

import pytest
from browserkit import ARTIFACTS, Client, ProjectServer
from playwright.sync_api import BrowserContext, Page

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def screenshot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def visible_text(page: Page, selector: str) -> list[str]:
    return [" ".join(t.split()) for t in page.locator(selector).all_inner_texts()]


def session_cookie_names(context: BrowserContext) -> set[str]:
    return {c["name"] for c in context.cookies() if c["name"].startswith("next-auth.session-token")}


def test_sign_in_page_credentials_form(page: Page, context: BrowserContext, server: ProjectServer) -> None:
    response = page.goto(f"{server.base}/signin")
    assert response is not None and response.status == 200
    screenshot(page, "signin")
    assert visible_text(page, "label") == ["Username", "Password"]
    assert visible_text(page, "button") == ["Sign in with Credentials", "Sign in with Mock OIDC"]
    assert page.locator(".error").count() == 0

    # A wrong password: POST /callback/credentials → /error?error=CredentialsSignin → /signin?error=CredentialsSignin
    page.fill("#input-username-for-credentials-provider", "alice")
    page.fill("#input-password-for-credentials-provider", "nope")
    page.click("button:has-text('Sign in with Credentials')")
    page.wait_for_url(f"{server.base}/signin?error=CredentialsSignin")
    assert visible_text(page, ".error") == ["Sign in failed. Check the details you provided are correct."]
    screenshot(page, "signin-error")
    assert session_cookie_names(context) == set()

    # The right one: to the callbackUrl (the origin, from the callback-url cookie), signed in.
    page.fill("#input-username-for-credentials-provider", "alice")
    page.fill("#input-password-for-credentials-provider", "wonderland")
    page.click("button:has-text('Sign in with Credentials')")
    page.wait_for_url(f"{server.url}/")
    client = Client(page)
    assert client.wait_until_settled() == "authenticated"
    assert client.session()["user"]["name"] == "Alice"


def test_sign_in_page_oauth_button(page: Page, context: BrowserContext, server: ProjectServer) -> None:
    page.goto(f"{server.base}/signin?callbackUrl=%2F%3Ffrom%3Dsignin")
    page.click("button:has-text('Sign in with Mock OIDC')")
    page.wait_for_url(re.compile(r"^http://127\.0\.0\.1:\d+/oauth2/authorize\?"))
    page.fill("input[name=sub]", "bob")
    page.click("button:has-text('Authorize')")
    page.wait_for_url(f"{server.url}/?from=signin")
    client = Client(page)
    assert client.wait_until_settled() == "authenticated"
    assert client.session()["user"]["email"] == "bob@example.com"


def test_oauth_denied_at_the_provider_lands_on_the_sign_in_page(page: Page, server: ProjectServer) -> None:
    page.goto(f"{server.base}/signin")
    page.click("button:has-text('Sign in with Mock OIDC')")
    page.wait_for_url(re.compile(r"^http://127\.0\.0\.1:\d+/oauth2/authorize\?"))
    page.click("button:has-text('Deny')")
    # ?error=access_denied at the callback is next-auth's "Callback" error, shown on the sign-in page.
    page.wait_for_url(f"{server.base}/signin?error=Callback")
    assert visible_text(page, ".error") == ["Try signing in with a different account."]


def test_sign_out_page(page: Page, context: BrowserContext, server: ProjectServer) -> None:
    Client(page).open().sign_in("alice", "wonderland")
    assert session_cookie_names(context) == {"next-auth.session-token"}
    response = page.goto(f"{server.base}/signout")
    assert response is not None and response.status == 200
    screenshot(page, "signout")
    assert visible_text(page, "h1") == ["Signout"]
    assert visible_text(page, "p") == ["Are you sure you want to sign out?"]
    page.click("#submitButton")
    page.wait_for_url(f"{server.url}/")
    assert Client(page).wait_until_settled() == "unauthenticated"
    assert session_cookie_names(context) == set()


def test_error_page(page: Page, server: ProjectServer) -> None:
    response = page.goto(f"{server.base}/error?error=AccessDenied")
    assert response is not None and response.status == 403
    screenshot(page, "error")
    assert visible_text(page, "h1") == ["Access Denied"]
    assert visible_text(page, "p") == ["You do not have permission to sign in.", "Sign in"]
    page.click("a:has-text('Sign in')")
    page.wait_for_url(f"{server.base}/signin")


def test_verify_request_page(page: Page, server: ProjectServer) -> None:
    response = page.goto(f"{server.base}/verify-request?provider=email&type=email")
    assert response is not None and response.status == 200
    screenshot(page, "verify-request")
    assert visible_text(page, "h1") == ["Check your email"]
    assert visible_text(page, "p") == [
        "A sign in link has been sent to your email address.",
        f"127.0.0.1:{server.port}",
    ]
    assert page.locator("a").get_attribute("href") == server.url
