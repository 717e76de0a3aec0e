"""docs/adapters.md: every Python example runs; the worked adapter type-checks under mypy --strict and signs a
user in by email (twice) with JWT sessions, and refuses database sessions at start-up by name."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from authkit import SECRET, Browser

from nextauth import AuthOptions, NextAuth
from nextauth.errors import MissingAdapterMethodsError
from nextauth.jwt import decode
from nextauth.providers import EmailProvider

ROOT = Path(__file__).resolve().parents[2]
TEXT = (ROOT / "docs" / "adapters.md").read_text(encoding="utf-8")
BLOCKS = [textwrap.dedent(block) for block in re.findall(r"```python\n(.*?)```", TEXT, flags=re.S)]
WORKED = next(block for block in BLOCKS if "class SQLiteEmailAdapter" in block)


def run(code: str, where: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "docs_example"}
    exec(compile(code, where, "exec"), namespace)
    return namespace


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_examples_run(index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the worked example creates auth.db in the working directory
    namespace = run(BLOCKS[index], f"adapters.md[{index}]")
    options = namespace["auth_options"]
    assert isinstance(options, AuthOptions)
    NextAuth(options)  # passes the start-up checks


def in_tmp(tmp_path: Path) -> str:
    """The worked example with its database file in ``tmp_path`` (it builds its options on import)."""
    return WORKED.replace('"auth.db"', repr(str(tmp_path / "auth.db")))


async def test_the_worked_example_signs_in_by_email(tmp_path: Path) -> None:
    adapter = run(in_tmp(tmp_path), "adapters.md")["auth_options"].adapter
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
    for round_ in range(2):  # the first sign-in creates the user; the second confirms the address again
        browser = Browser.of(options, "pages")
        if round_:
            browser.jar["next-auth.session-token"] = session_token
        csrf = await browser.csrf()
        await browser.post("signin/email", form={"csrfToken": csrf, "email": "dora@example.com"})
        back = await browser.get(f"callback/email?{urlsplit(sent.pop()).query}")
        assert back.status == 302 and "error" not in (back.location or ""), back
        session_token = browser.jar["next-auth.session-token"]
        token = await decode(token=session_token, secret=SECRET)
        user = await adapter.get_user_by_email("dora@example.com")
        assert token is not None and user is not None and token["sub"] == user["id"]
        assert user["email_verified"] is not None and user["email_verified"].tzinfo is not None
    # A link is single use.
    assert await adapter.use_verification_token("dora@example.com", "anything") is None


def test_the_worked_example_refuses_database_sessions_by_name(tmp_path: Path) -> None:
    adapter = run(in_tmp(tmp_path), "adapters.md")["auth_options"].adapter
    with pytest.raises(MissingAdapterMethodsError) as raised:
        NextAuth(AuthOptions(secret=SECRET, providers=[EmailProvider()], adapter=adapter))
    assert raised.value.missing == ("create_session", "get_session_and_user", "update_session", "delete_session")


@pytest.mark.slow  # runs mypy over the runtime's import graph
def test_the_worked_example_type_checks_under_mypy_strict(tmp_path: Path) -> None:
    source = tmp_path / "sqlite_email_adapter.py"
    source.write_text(WORKED)
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), str(source)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=240,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
