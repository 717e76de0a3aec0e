"""NEXTAUTH_SECRET is read one way by the handler and with_auth (one helper: nextauth._lib.secrets)."""

from __future__ import annotations

import pytest

from nextauth._core.init import Prepared
from nextauth._lib.secrets import env_secrets
from nextauth.middleware import WithAuthOptions
from nextauth.middleware._with_auth import _secrets
from nextauth.options import AuthOptions


@pytest.mark.parametrize(
    ("nextauth_secret", "auth_secret", "expected"),
    [
        pytest.param("new, old ,", None, ["new", "old"], id="rotation-list"),
        pytest.param("", "fallback", ["fallback"], id="empty-means-unset"),
        pytest.param(None, "a,b", ["a", "b"], id="auth-secret"),
        pytest.param(" , ", None, [], id="only-blanks"),
    ],
)
def test_every_reader_agrees(
    monkeypatch: pytest.MonkeyPatch, nextauth_secret: str | None, auth_secret: str | None, expected: list[str]
) -> None:
    for name, value in (("NEXTAUTH_SECRET", nextauth_secret), ("AUTH_SECRET", auth_secret)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert env_secrets() == expected
    assert Prepared(AuthOptions(providers=[])).secrets(pages_path=False) == expected
    assert _secrets(WithAuthOptions()) == expected  # with_auth once ignored AUTH_SECRET when NEXTAUTH_SECRET=""
