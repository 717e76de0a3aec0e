"""The test harness's provider verifies PKCE and the nonce, which ``oidc-provider-mock`` does not.

Every test that signs in against the mock goes through :class:`oidcmock.VerifyingProxy`; these tests show that a
token request without the right ``code_verifier`` is refused there (so a runtime that forgot PKCE would fail the
suite), and that the runtime's real flows pass it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "runtime" / "core"))  # oidcmock, authkit
from authkit import BASE, ORIGIN, SECRET, Browser, credentials_provider, query_of
from oidcmock import MockProvider, running_mock, s256
from security_figures import record

from nextauth import AuthOptions
from nextauth._core.oauth import callback as callback_module

pytestmark = pytest.mark.slow

REDIRECT = f"{BASE}/callback/mock"


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockProvider]:
    with running_mock(tmp_path_factory.mktemp("oidc-mock") / "mock.log") as provider:
        yield provider


@pytest.fixture(autouse=True)
def fresh_discovery_cache() -> Iterator[None]:
    from nextauth._core.oauth._metadata import CACHE

    CACHE.clear()
    yield
    CACHE.clear()


def _authorize(mock: MockProvider, **params: str) -> str:
    query = {"client_id": "client", "response_type": "code", "scope": "openid", "redirect_uri": REDIRECT, **params}
    return f"{mock.url}/oauth2/authorize?{httpx.QueryParams(query)}"


def _token(mock: MockProvider, code: str, **extra: str) -> httpx.Response:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, **extra}
    return httpx.post(f"{mock.url}/oauth2/token", data=form, auth=("client", "secret"), timeout=10, trust_env=False)


async def test_a_pkce_less_token_request_is_rejected(mock: MockProvider) -> None:
    assert mock.proxy is not None
    verifier = "v" * 43
    attempts = {"missing": {}, "wrong": {"code_verifier": "w" * 43}, "the challenge itself": {}}
    accepted = 0
    for label, extra in attempts.items():
        challenge = s256(verifier)
        back = await mock.approve(_authorize(mock, code_challenge=challenge, code_challenge_method="S256"))
        if label == "the challenge itself":
            extra = {"code_verifier": challenge}
        response = _token(mock, query_of(back)["code"], **extra)
        accepted += response.status_code == 200
        assert response.status_code == 400, (label, response.text)
        assert response.json()["error"] == "invalid_grant"
    # The same code is still good with the right verifier: the refusal came from the check, not a spent code.
    back = await mock.approve(_authorize(mock, code_challenge=s256(verifier), code_challenge_method="S256"))
    code = query_of(back)["code"]
    assert _token(mock, code).status_code == 400
    good = _token(mock, code, code_verifier=verifier)
    assert good.status_code == 200, good.text
    # A verifier for a code issued without a challenge is refused as well.
    back = await mock.approve(_authorize(mock))
    assert _token(mock, query_of(back)["code"], code_verifier=verifier).status_code == 400
    record(
        "harness: PKCE-less/wrong-verifier token requests",
        tried=len(attempts) + 2,
        accepted=accepted,
        what="token requests the harness's provider must refuse",
    )


def _options(mock: MockProvider, **provider: Any) -> AuthOptions:
    return AuthOptions(secret=SECRET, providers=[credentials_provider(), mock.provider(**provider)])


async def _sign_in(browser: Browser, mock: MockProvider) -> Any:
    csrf = await browser.csrf()
    started = await browser.post("signin/mock", form={"csrfToken": csrf, "callbackUrl": "/after"})
    assert started.location is not None
    back = await mock.approve(started.location)
    return await browser.get(back[len(BASE) + 1 :])


async def test_a_flow_without_the_verifier_fails(mock: MockProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    """A runtime that sent the code_challenge but forgot the code_verifier at the token endpoint fails here."""
    assert mock.proxy is not None
    before = len(mock.proxy.refusals)
    original = callback_module._exchange

    async def forgetful(internal: Any, provider: Any, meta: Any, code: str, redirect_uri: str, verifier: Any) -> Any:
        return await original(internal, provider, meta, code, redirect_uri, None)

    monkeypatch.setattr(callback_module, "_exchange", forgetful)
    browser = Browser.of(_options(mock), "app")
    result = await _sign_in(browser, mock)
    assert result.status == 302 and result.location == f"{BASE}/error?error=OAuthCallback", result
    assert "next-auth.session-token" not in browser.jar
    assert mock.proxy.refusals[before:] == ["code_verifier missing (the authorization request had a code_challenge)"]


async def test_the_runtime_passes_the_pkce_and_nonce_checks(mock: MockProvider) -> None:
    assert mock.proxy is not None
    verified = mock.proxy.verified
    browser = Browser.of(_options(mock, checks=["pkce", "state", "nonce"]), "app")
    result = await _sign_in(browser, mock)
    assert result.status == 302 and result.location == f"{ORIGIN}/after", result
    assert "next-auth.session-token" in browser.jar
    assert mock.proxy.verified == verified + 1
