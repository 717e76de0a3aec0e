"""Email identifiers and tokens (spec §13, §18): next-auth 4.24.15's normaliser, token generation and hashing."""

from __future__ import annotations

import re

import pytest

from nextauth._core.email import generate_token, hash_token, normalize_identifier


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        pytest.param("  Foo@Example.COM ", "foo@example.com", id="spec-trim-and-lowercase"),
        pytest.param("dora@example.com", "dora@example.com", id="plain"),
        pytest.param("\uff46\uff4f\uff4f\uff20\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0e\uff43\uff4f\uff4d",
                     "foo@example.com", id="nfkc-fullwidth"),
        pytest.param("a@b.com,c.org", "a@b.com", id="domain-cut-at-comma"),
        pytest.param("first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk", id="plus-and-subdomains"),
        pytest.param("Jos\u00e9@B\u00fccher.DE", "jos\u00e9@b\u00fccher.de", id="unicode-lowercased"),
        pytest.param("Jose\u0301@example.com", "jos\u00e9@example.com", id="nfkc-composes"),
        pytest.param("\ufeffa@b.co\t\n", "a@b.co", id="bom-and-whitespace-trimmed"),
    ],
)  # fmt: skip
def test_normalize_identifier(given: str, expected: str) -> None:
    assert normalize_identifier(given) == expected


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        pytest.param("a@b@c.com", "exactly one '@'", id="spec-two-ats"),
        pytest.param("foo.example.com", "exactly one '@'", id="no-at"),
        pytest.param('"a"@b.com', "quotes", id="quoted"),
        pytest.param("@b.com", "name before", id="empty-local"),
        pytest.param("a@", "name before", id="empty-domain"),
        pytest.param("a@,b.com", "name before", id="empty-domain-after-cut"),
        pytest.param("a@localhost", "must contain a '.'", id="dotless-domain"),
        pytest.param("a@b.com,evil@x.com", "exactly one '@'", id="second-address"),
        pytest.param("", "No email address", id="empty"),
        pytest.param("a b@c.com", "invisible", id="inner-space"),
        pytest.param("a@b.com\r\nBcc: x.com", "invisible", id="header-injection"),
        pytest.param("a\u200b@b.com", "invisible", id="zero-width-space"),
    ],
)
def test_normalize_identifier_refuses(given: str, reason: str) -> None:
    with pytest.raises(ValueError, match=re.escape(reason)) as caught:
        normalize_identifier(given)
    if given.strip():
        assert given.strip() not in str(caught.value)  # the message explains, it does not echo


def test_normalize_identifier_refuses_non_strings() -> None:
    with pytest.raises(ValueError, match="No email address"):
        normalize_identifier(None)  # type: ignore[arg-type]


def test_hash_token_vector() -> None:
    assert hash_token("tok123", "test-secret-123") == "eb4a3bada48bb1ff57baf7a9798f827ab0858c93b7ccf8457660866e9fbfbbf2"


def test_generate_token_is_32_random_bytes_in_hex() -> None:
    tokens = {generate_token() for _ in range(64)}
    assert len(tokens) == 64
    assert all(re.fullmatch(r"[0-9a-f]{64}", t) for t in tokens)
