"""nextauth._lib.loopback: the one loopback rule (issue 12)."""

from __future__ import annotations

import pytest

from nextauth._lib.loopback import is_loopback


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "LocalHost",
        "localhost.",
        "app.localhost",
        "a.b.localhost",
        "127.0.0.1",
        "127.1.2.3",
        "::1",
        "[::1]",
        "::ffff:127.0.0.1",
        "[::ffff:7f00:1]",
    ],
)
def test_loopback(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize(
    "host",
    [
        None,
        "",
        "localhost.example.com",
        "xlocalhost",
        ".localhost",
        "a..localhost",
        "localhost..",
        "127.0.0.1.nip.io",
        "127.1",
        "2130706433",
        "0.0.0.0",
        "::",
        "::2",
        "::ffff:10.0.0.1",
        "128.0.0.1",
        "[::1",
        "example.com",
    ],
)
def test_not_loopback(host: str | None) -> None:
    assert not is_loopback(host)
