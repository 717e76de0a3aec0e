"""Partial adapters: an adapter implements only what its features need, type-checks so under mypy --strict,
works, and a missing method stops ``NextAuth(options)`` naming it (next-auth's MissingAdapterMethodsError)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import pytest
from authkit import BASE, SECRET, Browser

from nextauth import AuthOptions, NextAuth
from nextauth.adapters.memory import MemoryAdapter
from nextauth.errors import (
    ConfigurationError,
    MissingAdapterError,
    MissingAdapterMethodsError,
    MissingAuthorizeError,
    UnsupportedStrategyError,
)
from nextauth.jwt import decode
from nextauth.providers import CredentialsProvider, EmailProvider
from nextauth.providers.github import GitHubProvider

SNIPPET = Path(__file__).parent / "snippets" / "partial_adapter.py"
ROOT = Path(__file__).resolve().parents[2]


def load_snippet() -> ModuleType:
    spec = importlib.util.spec_from_file_location("partial_adapter_snippet", SNIPPET)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def mypy_strict(path: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", str(cache), str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=240,
        check=False,
    )


@pytest.mark.slow  # runs mypy over the runtime's import graph
def test_a_partial_adapter_type_checks_under_mypy_strict(tmp_path: Path) -> None:
    ok = mypy_strict(SNIPPET, tmp_path / "cache")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    # The control: the same adapter with a wrongly typed method is refused, so the pass above means something.
    broken = tmp_path / "broken_adapter.py"
    broken.write_text(
        SNIPPET.read_text().replace(
            "async def get_user_by_email(self, email: str) -> dict[str, Any] | None:",
            "async def get_user_by_email(self, email: int) -> dict[str, Any] | None:",
        )
    )
    refused = mypy_strict(broken, tmp_path / "cache")
    assert refused.returncode == 1 and 'Argument "adapter" to "AuthOptions"' in refused.stdout, refused.stdout


async def test_a_partial_adapter_signs_in_with_email_and_jwt_sessions() -> None:
    snippet = load_snippet()
    adapter = snippet.EmailOnlyAdapter()
    sent: list[str] = []

    def send(url: str) -> None:
        sent.append(url)

    options = AuthOptions(
        secret=SECRET,
        providers=[EmailProvider(send_verification_request=send)],
        adapter=adapter,
        session={"strategy": "jwt"},
    )
    session_token = ""
    for round_ in range(2):  # a new user, then the same user again (update_user and get_user)
        browser = Browser.of(options, "app")
        if round_ == 1:
            browser.jar["next-auth.session-token"] = session_token
        csrf = await browser.csrf()
        await browser.post("signin/email", form={"csrfToken": csrf, "email": "dora@example.com"})
        link = urlsplit(sent.pop())
        assert f"{link.scheme}://{link.netloc}{link.path}".startswith(BASE)
        back = await browser.get(f"callback/email?{link.query}")
        assert back.status == 302 and "error" not in (back.location or ""), back
        session_token = browser.jar["next-auth.session-token"]
        token = await decode(token=session_token, secret=SECRET)
        (user,) = adapter.users.values()
        assert token is not None and token["sub"] == user["id"] and token["email"] == "dora@example.com"
    assert user["email_verified"] is not None


class Nothing:
    """An object with none of the adapter methods."""


def build(**options: Any) -> None:
    NextAuth(AuthOptions(secret=SECRET, **options))


@pytest.mark.parametrize(
    ("options", "features"),
    [
        pytest.param(
            {"providers": [EmailProvider(send_verification_request=print)], "session": {"strategy": "database"}},
            {
                "database sessions": ("create_session", "get_session_and_user", "update_session", "delete_session"),
            },
            id="email+database",
        ),
        pytest.param(
            {"providers": [GitHubProvider(client_id="id", client_secret="secret")], "session": {"strategy": "jwt"}},
            {
                "OAuth sign-in with an adapter": ("get_user_by_account", "link_account"),
            },
            id="oauth+jwt",
        ),
    ],
)
def test_a_missing_method_is_named_at_start_up(options: dict[str, Any], features: dict[str, tuple[str, ...]]) -> None:
    with pytest.raises(MissingAdapterMethodsError) as raised:
        build(adapter=load_snippet().EmailOnlyAdapter(), **options)
    assert raised.value.features == features
    assert raised.value.code == "MISSING_ADAPTER_METHODS_ERROR"
    for feature, methods in features.items():
        assert f"{feature} needs {', '.join(methods)}" in str(raised.value)
    assert ("session={'strategy': 'jwt'} turns them off" in str(raised.value)) == ("database sessions" in features)


def test_every_feature_is_checked_and_everything_missing_is_listed() -> None:
    with pytest.raises(MissingAdapterMethodsError) as raised:
        build(
            providers=[
                EmailProvider(send_verification_request=print),
                GitHubProvider(client_id="i", client_secret="s"),
            ],
            adapter=Nothing(),  # type: ignore[arg-type]  # what the check is for
            session={"strategy": "jwt"},
        )
    assert raised.value.missing == (
        "create_verification_token",
        "use_verification_token",
        "get_user_by_email",
        "create_user",
        "update_user",
        "get_user_by_account",
        "link_account",
        "get_user",
    )
    assert "The adapter Nothing lacks methods" in str(raised.value)


def test_what_needs_no_adapter_methods_starts() -> None:
    credentials = CredentialsProvider(authorize=lambda credentials: None)
    build(providers=[credentials], adapter=Nothing(), session={"strategy": "jwt"})  # type: ignore[arg-type]
    build(providers=[credentials, EmailProvider(send_verification_request=print)], adapter=MemoryAdapter())


def test_next_auths_configuration_errors() -> None:
    credentials = CredentialsProvider(authorize=lambda credentials: None)
    with pytest.raises(MissingAdapterError) as no_adapter:
        build(providers=[EmailProvider(send_verification_request=print)])
    assert no_adapter.value.code == "EMAIL_REQUIRES_ADAPTER_ERROR"
    with pytest.raises(UnsupportedStrategyError) as strategy:
        build(providers=[credentials], adapter=MemoryAdapter(), session={"strategy": "database"})
    assert strategy.value.code == "CALLBACK_CREDENTIALS_JWT_ERROR"
    with pytest.raises(MissingAuthorizeError) as authorize:
        build(providers=[CredentialsProvider(authorize=None)])  # type: ignore[arg-type]
    assert authorize.value.code == "CALLBACK_CREDENTIALS_HANDLER_ERROR"
    with pytest.raises(ConfigurationError, match=r"adapter is the class MemoryAdapter.*MemoryAdapter\(\.\.\.\)"):
        build(providers=[credentials], adapter=MemoryAdapter)  # type: ignore[arg-type]
