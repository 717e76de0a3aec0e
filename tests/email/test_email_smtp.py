"""The default sender against a real SMTP server (aiosmtpd on loopback): content, auth, TLS, refusals, timeouts."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from smtpkit import PASSWORD, USER, SMTPServer, TLSFiles, free_port, non_loopback_address, smtp_server

from nextauth import ThemeOptions
from nextauth._core.email import EmailDeliveryError, send_verification_request
from nextauth.providers import EmailProvider

URL = (
    "http://localhost:3000/api/auth/callback/email?callbackUrl=http%3A%2F%2Flocalhost%3A3000%2F&token="
    "3f1c0e2b7a9d4e6f8a1b2c3d4e5f60718293a4b5c6d7e8f90123456789abcdef&email=dora%40example.com"
)


def provider_for(server: str | dict[str, Any], **options: Any) -> EmailProvider:
    return EmailProvider(server=server, from_="My App <no-reply@example.com>", **options)


async def send(provider: EmailProvider, identifier: str = "dora@example.com", **overrides: Any) -> None:
    kwargs: dict[str, Any] = {
        "identifier": identifier,
        "url": URL,
        "expires": datetime.now(UTC) + timedelta(days=1),
        "provider": provider,
        "theme": ThemeOptions(brand_color="#ff5a1f", button_text="#ffffff"),
        "token": "3f1c0e2b",
    }
    kwargs.update(overrides)
    await send_verification_request(**kwargs)


async def test_the_sign_in_email_arrives_with_its_link(smtp: SMTPServer) -> None:
    await send(provider_for(f"smtp://{smtp.host}:{smtp.port}"))
    [got] = smtp.received
    assert got.mail_from == "no-reply@example.com"
    assert got.rcpt_tos == ["dora@example.com"]
    message = got.message
    assert message["From"] == "My App <no-reply@example.com>"
    assert message["To"] == "dora@example.com"
    assert message["Subject"] == "Sign in to localhost:3000"
    assert message["Message-ID"].endswith("@example.com>")
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    assert text.get_content().replace("\r\n", "\n") == f"Sign in to localhost:3000\n{URL}\n\n"
    page = html.get_content()
    escaped = URL.replace("&", "&amp;")
    assert f'<a href="{escaped}" target="_blank"' in page
    assert "#ff5a1f" in page and "color: #ffffff" in page
    assert "localhost:3000" in page
    assert "expires in 24 hours" in page


async def test_html_part_escapes_what_it_interpolates(smtp: SMTPServer) -> None:
    hostile = 'http://evil.example"><script>alert(1)</script>/api/auth/callback/email?token=t&email=a%40b.co'
    theme = ThemeOptions(brand_color='red;"><img src=x onerror=alert(1)>', logo="javascript:alert(1)")
    await send(provider_for(f"smtp://{smtp.host}:{smtp.port}"), url=hostile, theme=theme)
    html = smtp.received[0].message.get_body(("html",))
    assert html is not None
    page = html.get_content()
    assert "<script>" not in page and "<img src=x" not in page and "javascript:" not in page
    assert "&lt;script&gt;" in page


async def test_login_over_loopback(smtp: SMTPServer) -> None:
    await send(provider_for(f"smtp://{USER}:{PASSWORD}@{smtp.host}:{smtp.port}"))
    assert smtp.received[0].login == USER


async def test_a_wrong_password_is_reported_without_the_password(smtp: SMTPServer) -> None:
    with pytest.raises(EmailDeliveryError, match="refused the login of 'mailer': 535") as caught:
        await send(provider_for(f"smtp://{USER}:wrong-Pa55@{smtp.host}:{smtp.port}"))
    assert "wrong-Pa55" not in str(caught.value)
    assert smtp.received == []


async def test_a_rejected_recipient_raises(smtp: SMTPServer) -> None:
    smtp.recorder.reject.add("nobody@example.com")
    with pytest.raises(EmailDeliveryError, match="rejected the recipient: 550"):
        await send(provider_for(f"smtp://{smtp.host}:{smtp.port}"), identifier="nobody@example.com")
    assert smtp.received == []


async def test_starttls_is_used_when_offered(tls_files: TLSFiles) -> None:
    # The server refuses AUTH before TLS (auth_require_tls=True): a delivered message proves the upgrade.
    with smtp_server(tls_context=tls_files.server_context(), auth_require_tls=True, require_starttls=True) as server:
        config = {"host": server.host, "port": server.port, "user": USER, "password": PASSWORD,
                  "ssl_context": tls_files.client_context()}  # fmt: skip
        await send(provider_for(config))
        [got] = server.received
        assert got.tls and got.login == USER


async def test_starttls_verifies_the_certificate(tls_files: TLSFiles) -> None:
    with smtp_server(tls_context=tls_files.server_context()) as server:
        with pytest.raises(EmailDeliveryError, match=r"TLS with smtp://127\.0\.0\.1:.* failed: .*certificate"):
            await send(provider_for(f"smtp://{server.host}:{server.port}"))  # the system store lacks our CA
        assert server.received == []


async def test_starttls_required_but_not_offered(smtp: SMTPServer) -> None:
    with pytest.raises(EmailDeliveryError, match="does not offer STARTTLS"):
        await send(provider_for(f"smtp://{smtp.host}:{smtp.port}?starttls=required"))


async def test_implicit_tls(tls_files: TLSFiles) -> None:
    with smtp_server(ssl_context=tls_files.server_context()) as server:
        config = {"host": server.host, "port": server.port, "secure": True, "ssl_context": tls_files.client_context()}
        await send(provider_for(config))
        assert server.received[0].tls


async def test_no_password_in_clear_to_a_remote_server() -> None:
    address = non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address")
    with smtp_server(host=address) as server:
        with pytest.raises(EmailDeliveryError, match=r"refusing to send the SMTP password .* unencrypted"):
            await send(provider_for(f"smtp://{USER}:{PASSWORD}@{address}:{server.port}"))
        assert server.received == []
        await send(provider_for(f"smtp://{USER}:{PASSWORD}@{address}:{server.port}?allow_insecure_auth=true"))
        assert server.received[0].login == USER


async def test_internationalised_addresses(smtp: SMTPServer) -> None:
    provider = provider_for(f"smtp://{smtp.host}:{smtp.port}")
    await send(provider, identifier="dora@b\u00fccher.de")
    await send(provider, identifier="jos\u00e9@example.com")
    assert smtp.received[0].rcpt_tos == ["dora@xn--bcher-kva.de"]
    assert smtp.received[1].rcpt_tos == ["jos\u00e9@example.com"]


async def test_an_injected_address_from_a_custom_normaliser_is_refused_before_connecting(smtp: SMTPServer) -> None:
    with pytest.raises(EmailDeliveryError, match="refusing to send"):
        await send(provider_for(f"smtp://{smtp.host}:{smtp.port}"), identifier="a@b.com\r\nBcc: all@example.com")
    assert smtp.received == []


async def test_log_link_only_logs_and_sends_nothing(smtp: SMTPServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="nextauth")
    await send(provider_for(f"smtp://{smtp.host}:{smtp.port}", log_link_only=True))
    assert smtp.received == []
    [record] = [r for r in caplog.records if r.name == "nextauth"]
    assert record.levelno == logging.WARNING
    assert "DEVELOPMENT ONLY" in record.getMessage() and URL in record.getMessage()


async def test_a_server_that_never_answers_times_out(silent_server: tuple[str, int]) -> None:
    host, port = silent_server
    with pytest.raises(EmailDeliveryError, match=r"did not answer within 0.3 s"):
        await send(provider_for(f"smtp://{host}:{port}?timeout=0.3"))


async def test_waiting_for_the_server_does_not_block_the_event_loop(silent_server: tuple[str, int]) -> None:
    host, port = silent_server
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    task = asyncio.create_task(ticker())
    with pytest.raises(EmailDeliveryError):
        await send(provider_for(f"smtp://{host}:{port}?timeout=0.5"))
    task.cancel()
    assert ticks >= 10  # the loop kept running while the SMTP client waited (a blocked loop gives 0)


async def test_nothing_listening(smtp: SMTPServer) -> None:

    with pytest.raises(EmailDeliveryError, match=r"could not talk to smtp://127\.0\.0\.1:.*ConnectionRefusedError"):
        await send(provider_for(f"smtp://127.0.0.1:{free_port()}"))
