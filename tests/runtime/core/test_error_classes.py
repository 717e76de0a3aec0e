"""The documented error classes are the ones raised, under next-auth's codes (issue 12)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from authkit import BASE, SECRET, Browser, credentials_provider
from oidcmock import MockProvider

import nextauth.errors
from nextauth import AuthOptions
from nextauth._core.email import send_verification_request
from nextauth.providers import EmailProvider


@pytest.mark.slow
async def test_a_profile_without_id_logs_oauth_profile_parse_error(mock_provider: MockProvider) -> None:
    seen: list[tuple[str, Any]] = []

    def error(code: str, metadata: Any) -> None:
        seen.append((code, metadata))

    provider = mock_provider.provider(profile=lambda raw: {"name": raw.get("name")})  # no id
    browser = Browser.of(
        AuthOptions(secret=SECRET, providers=[credentials_provider(), provider], logger={"error": error}), "app"
    )
    csrf = await browser.csrf()
    start = await browser.post("signin/mock", form={"csrfToken": csrf, "callbackUrl": "/after"})
    back = await mock_provider.approve(start.location or "")
    result = await browser.get(back[len(BASE) + 1 :])
    assert result.location == f"{BASE}/signin"  # next-auth: no profile, back to the sign-in page
    (error,) = [meta["error"] for code, meta in seen if code == "OAUTH_PARSE_PROFILE_ERROR"]
    assert isinstance(error, nextauth.errors.OAuthProfileParseError)
    assert error.code == "OAUTH_PARSE_PROFILE_ERROR"


async def test_email_delivery_error_is_public() -> None:
    with pytest.raises(nextauth.errors.EmailDeliveryError) as caught:
        await send_verification_request(
            identifier="two@at@example.com",
            url="http://localhost/x",
            token="t",
            expires=datetime.now(UTC),
            provider=EmailProvider(server="smtp://127.0.0.1:9"),
        )
    assert caught.value.code == "EMAIL_DELIVERY_ERROR"
    assert "EmailDeliveryError" in nextauth.errors.__all__
