"""docs/callbacks-and-events.md: the examples run (in order, as one program) and do what the page says; the
deliberate difference it documents (a space in a redirect is percent-encoded) holds in both layouts."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

from authkit import ORIGIN, SECRET, Browser, Layout, credentials_provider

from nextauth import AuthOptions, NextAuth

TEXT = (Path(__file__).resolve().parents[3] / "docs" / "callbacks-and-events.md").read_text(encoding="utf-8")
BLOCKS = [textwrap.dedent(block) for block in re.findall(r"```python\n(.*?)```", TEXT, flags=re.S)]


def program() -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "docs_example"}
    for index, block in enumerate(BLOCKS):
        exec(compile(block, f"callbacks-and-events.md[{index}]", "exec"), namespace)
    return namespace


def test_the_examples_run_and_build_options() -> None:
    namespace = program()
    options = namespace["auth_options"]
    assert isinstance(options, AuthOptions)
    NextAuth(options)
    assert options.events.link_account is namespace["on_link_account"]


def test_the_redirect_example_keeps_same_origin_urls_only() -> None:
    redirect = program()["redirect"]
    assert redirect("/after", ORIGIN) == f"{ORIGIN}/after"
    assert redirect(f"{ORIGIN}/x", ORIGIN) == f"{ORIGIN}/x"
    assert redirect("https://evil.example/x", ORIGIN) == ORIGIN


async def test_the_session_example_works_with_both_strategies(layout: Layout) -> None:
    session = program()["session"]
    options = AuthOptions(secret=SECRET, providers=[credentials_provider()], callbacks={"session": session})
    browser = Browser.of(options, layout)
    await browser.sign_in_with_credentials(username="alice", password="wonderland")
    assert (await browser.get("session")).json()["user"]["id"] == "1"
    assert session({"user": {}}, user={"id": "u9"}) == {"user": {"id": "u9"}}


async def test_a_space_in_a_redirect_location_is_percent_encoded(layout: Layout) -> None:
    """next-auth sends ``Location: http://localhost:3000/after all``; a URI has no raw space."""

    def redirect(url: str, base_url: str) -> str:
        return f"{base_url}/after all"

    def sign_in(**_: Any) -> str:
        return f"{ORIGIN}/denied here"

    options = AuthOptions(
        secret=SECRET, providers=[credentials_provider()], callbacks={"redirect": redirect, "sign_in": sign_in}
    )
    browser = Browser.of(options, layout)
    csrf = await browser.csrf()
    result = await browser.post(
        "callback/credentials", form={"username": "alice", "password": "wonderland", "csrfToken": csrf}
    )
    assert result.status == 302
    assert result.location == f"{ORIGIN}/denied%20here"
