"""EmailProvider configuration: SMTP settings (URL and dict), environment defaults, errors, reprs."""

from __future__ import annotations

import ssl

import pytest

from nextauth._core.email import smtp_settings
from nextauth._lib.email_smtp import SMTPSettings
from nextauth.errors import ConfigurationError
from nextauth.providers import EmailProvider


@pytest.mark.parametrize(
    ("server", "expected"),
    [
        pytest.param(
            "smtp://me:pw@smtp.example.com:587",
            SMTPSettings(host="smtp.example.com", port=587, user="me", password="pw"),
            id="submission",
        ),
        pytest.param("smtp://smtp.example.com", SMTPSettings(host="smtp.example.com", port=587), id="default-port"),
        pytest.param(
            "smtps://me:pw@smtp.example.com",
            SMTPSettings(host="smtp.example.com", port=465, user="me", password="pw", secure=True),
            id="implicit-tls",
        ),
        pytest.param(
            "smtp://smtp.example.com:465", SMTPSettings(host="smtp.example.com", port=465, secure=True), id="port-465"
        ),
        pytest.param(
            "smtp://me%40example.com:p%40ss%3Aword@mail.example.com:2525?starttls=required&timeout=3.5",
            SMTPSettings(
                host="mail.example.com", port=2525, user="me@example.com", password="p@ss:word",
                starttls="required", timeout=3.5,
            ),
            id="percent-decoding-and-options",
        ),
        pytest.param(
            "smtp://relay.internal:25?starttls=never&allow_insecure_auth=true",
            SMTPSettings(host="relay.internal", port=25, starttls="never", allow_insecure_auth=True),
            id="no-tls",
        ),
        pytest.param(
            {"host": "localhost", "port": 25, "auth": {"user": "", "pass": ""}},
            SMTPSettings(host="localhost", port=25),
            id="next-auth-default-dict",
        ),
        pytest.param(
            {"host": "smtp.example.com", "port": 465, "user": "me", "password": "pw"},
            SMTPSettings(host="smtp.example.com", port=465, user="me", password="pw", secure=True),
            id="dict-465",
        ),
        pytest.param(
            {"host": "smtp.example.com", "secure": False, "requireTLS": True, "auth": {"user": "u", "pass": "p"}},
            SMTPSettings(host="smtp.example.com", port=587, user="u", password="p", starttls="required"),
            id="dict-nodemailer-style",
        ),
    ],
)  # fmt: skip
def test_smtp_settings(server: str | dict[str, object], expected: SMTPSettings) -> None:
    assert smtp_settings(server) == expected


@pytest.mark.parametrize(
    ("server", "message"),
    [
        ("http://smtp.example.com", "must start with smtp:// or smtps://"),
        ("smtp://", "has no host"),
        ("smtp://smtp.example.com:99999", "invalid port"),
        ("smtp://smtp.example.com?tls.rejectUnauthorized=false", "unknown SMTP URL option 'tls.rejectUnauthorized'"),
        ("smtp://smtp.example.com?starttls=maybe", "starttls must be auto, required or never"),
        ("smtp://smtp.example.com?timeout=0", "timeout must be between"),
        ({"port": 25}, "needs a 'host'"),
        ({"host": "h", "pool": True}, "unknown SMTP server option(s) pool"),
        ({"host": "h", "ssl_context": "yes"}, "must be an ssl.SSLContext"),
    ],
)
def test_smtp_settings_errors_say_what_is_wrong(server: str | dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=f"^.*{message.replace('(', '.').replace(')', '.')}"):
        smtp_settings(server)


def test_settings_never_show_the_password() -> None:
    settings = smtp_settings("smtps://me:hunter2@smtp.example.com")
    assert "hunter2" not in repr(settings)
    assert settings.describe() == "smtps://me@smtp.example.com:465"


def test_provider_defaults() -> None:
    provider = EmailProvider()
    assert provider.server == {"host": "localhost", "port": 25}
    assert provider.from_ == "NextAuth <no-reply@example.com>"
    assert provider.max_age == 86400


def test_provider_reads_the_environment_only_for_missing_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMAIL_SERVER", "smtp://env:hunter2@smtp.example.com:587")
    monkeypatch.setenv("EMAIL_FROM", "Env App <env@example.com>")
    from_env = EmailProvider()
    assert from_env.server == "smtp://env:hunter2@smtp.example.com:587"
    assert from_env.from_ == "Env App <env@example.com>"
    assert "hunter2" not in repr(from_env)
    explicit = EmailProvider(server={"host": "mx.example.org", "port": 25}, from_="Me <me@example.org>")
    assert explicit.server == {"host": "mx.example.org", "port": 25}
    assert explicit.from_ == "Me <me@example.org>"


def test_provider_repr_hides_server_credentials_and_secret() -> None:
    provider = EmailProvider(server={"host": "h.example", "password": "hunter2"}, secret="provider-secret")
    assert "hunter2" not in repr(provider) and "provider-secret" not in repr(provider)


def test_a_malformed_server_stops_startup_without_revealing_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMAIL_SERVER", "smtp://me:hunter2@smtp.example.com?pool=true")
    with pytest.raises(ConfigurationError, match="EMAIL_SERVER is invalid: unknown SMTP URL option 'pool'") as caught:
        EmailProvider()
    assert "hunter2" not in str(caught.value)
    monkeypatch.delenv("EMAIL_SERVER")
    with pytest.raises(ConfigurationError, match=r"from_ .EMAIL_FROM. must be an email address"):
        EmailProvider(from_="no-reply")


def test_a_custom_sender_skips_the_smtp_checks() -> None:
    async def send(**_: object) -> None: ...

    provider = EmailProvider(server="not a url", send_verification_request=send)
    assert provider.server == "not a url"


@pytest.mark.parametrize("max_age", [0, -5, True, "86400"])
def test_max_age_must_be_positive_seconds(max_age: object) -> None:
    with pytest.raises(ConfigurationError, match="max_age must be a positive number of seconds"):
        EmailProvider(max_age=max_age)  # type: ignore[arg-type]


def test_dict_server_takes_an_ssl_context() -> None:
    context = ssl.create_default_context()
    assert smtp_settings({"host": "h", "ssl_context": context}).ssl_context is context
