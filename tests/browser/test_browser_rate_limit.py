"""The real next-auth/react client meets the brute-force limit (issue 17): ``signIn()`` reports it as an error."""

from __future__ import annotations

import uuid

import pytest
from browserkit import Client

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_sign_in_past_the_limit_is_reported_as_an_error(client: Client) -> None:
    client.open()
    username = f"guesser-{uuid.uuid4().hex[:8]}"  # a fresh counter, whatever ran before on this server
    for _ in range(3):
        assert client.sign_in(username, "guess")["error"] == "CredentialsSignin"
    # The fourth: next-auth/react reads {url: .../signin?error=TooManyRequests} from the 429 and reports it.
    assert client.sign_in(username, "guess") == {"error": "TooManyRequests", "status": 429, "ok": False, "url": None}
    assert client.status() == "unauthenticated"
