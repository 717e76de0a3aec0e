"""Access-token refresh without a provider (issue 17): which providers it applies to, when a token is due, what a
refresh keeps, and the single flight's sharing of one outcome (success or failure) between concurrent callers."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from nextauth import AuthOptions
from nextauth._core.refresh import RefreshError, SingleFlight, enabled_for, is_due, updated_fields
from nextauth.options import RefreshTokensOptions
from nextauth.providers import CredentialsProvider, OAuthProvider


def oauth(pid: str, **extra: Any) -> OAuthProvider:
    return OAuthProvider(id=pid, name=pid, token="https://id.example/token", **extra)


def test_which_providers_are_refreshed() -> None:
    a, b, c = oauth("a"), oauth("b", refresh_tokens=False), oauth("c", refresh_tokens=True)
    creds = CredentialsProvider(authorize=lambda c, r: None)
    everyone = AuthOptions(providers=[a, b, c, creds], refresh_tokens=True)
    assert [enabled_for(everyone, p) for p in (a, b, c, creds)] == [True, False, True, False]
    only_a = AuthOptions(providers=[a, b, c], refresh_tokens={"providers": ["a"]})
    assert [enabled_for(only_a, p) for p in (a, b, c)] == [True, False, True]
    off = AuthOptions(providers=[a, c], refresh_tokens=RefreshTokensOptions(enabled=False))
    assert [enabled_for(off, p) for p in (a, c)] == [False, True]  # a provider's own True still wins
    assert [enabled_for(AuthOptions(providers=[a]), p) for p in (a,)] == [False]  # off by default


@pytest.mark.parametrize(
    ("record", "now", "due"),
    [
        ({"expires_at": 1000, "refresh_token": "r"}, 939, False),
        ({"expires_at": 1000, "refresh_token": "r"}, 940, True),  # within the 60 s skew
        ({"expires_at": 1000, "refresh_token": ""}, 5000, False),  # nothing to refresh with
        ({"expires_at": None, "refresh_token": "r"}, 5000, False),  # no expiry known
        ({"expires_at": True, "refresh_token": "r"}, 5000, False),
    ],
)
def test_when_a_token_is_due(record: dict[str, Any], now: float, due: bool) -> None:
    assert is_due(record, now, 60) is due


def test_what_a_refresh_keeps() -> None:
    rotated = updated_fields({"access_token": "a2", "expires_in": 300, "refresh_token": "r2"}, "r1", 1000.5)
    assert rotated == {"access_token": "a2", "expires_at": 1300, "refresh_token": "r2"}
    kept = updated_fields({"access_token": "a2", "expires_in": 300}, "r1", 1000)
    assert kept["refresh_token"] == "r1"


async def test_one_flight_shares_its_outcome() -> None:
    flights, calls = SingleFlight(), []
    gate = asyncio.Event()

    async def work() -> dict[str, Any]:
        calls.append(1)
        await gate.wait()
        return {"access_token": "new"}

    waiting = [asyncio.create_task(flights.run("k", work)) for _ in range(10)]
    await asyncio.sleep(0)
    gate.set()
    assert [await t for t in waiting] == [{"access_token": "new"}] * 10
    assert await flights.run("k", work) == {"access_token": "new"}  # a late caller reuses the result
    assert len(calls) == 1

    async def failing() -> dict[str, Any]:
        calls.append(2)
        raise RefreshError("invalid_grant")

    results = await asyncio.gather(*(flights.run("bad", failing) for _ in range(5)), return_exceptions=True)
    assert all(isinstance(r, RefreshError) for r in results)
    with pytest.raises(RefreshError):
        await flights.run("bad", failing)  # remembered: not retried at once
    assert calls.count(2) == 1
