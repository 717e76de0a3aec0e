"""A hostile OpenID provider against the runtime (issue 11, holes 10 and 11).

Each case changes one answer of :class:`hostile_idp.HostileIdP` and signs in through the real handler: the
sign-in must end in a clean ``?error=`` redirect, with no session cookie and no 500. A control case with the
provider behaving shows that the same flow does create a session, so each refusal is the check's doing.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "runtime" / "core"))  # authkit
sys.path.insert(0, str(Path(__file__).resolve().parent))  # hostile_idp
from authkit import BASE, ORIGIN, SECRET, Browser, Result, log_messages
from hostile_idp import CLIENT_ID, CLIENT_SECRET, DROP, KID, HostileIdP, dribble, hang, hs_sign, huge
from security_figures import record

from nextauth import AuthOptions
from nextauth._core.oauth import _metadata
from nextauth.providers import OAuthProvider

SESSION = "next-auth.session-token"
SIGNIN_ERROR = f"{BASE}/error?error=OAuthSignin"
CALLBACK_ERROR = f"{BASE}/error?error=OAuthCallback"


@pytest.fixture(autouse=True)
def fresh_discovery_cache() -> Iterator[None]:
    _metadata.CACHE.clear()
    yield
    _metadata.CACHE.clear()


@pytest.fixture
def idp() -> Iterator[HostileIdP]:
    with HostileIdP() as provider:
        yield provider


def provider_for(idp: HostileIdP, **overrides: Any) -> OAuthProvider:
    options: dict[str, Any] = {
        "id": "hostile",
        "name": "Hostile",
        "type": "oauth",
        "well_known": idp.well_known,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "id_token": True,
        "checks": ["pkce", "state", "nonce"],
        "authorization": {"params": {"scope": "openid email profile"}},
        "profile": lambda claims: {"id": claims["sub"], "name": claims.get("name"), "email": claims.get("email")},
        **overrides,
    }
    return OAuthProvider(**options)


def browser_for(idp: HostileIdP, **overrides: Any) -> Browser:
    return Browser.of(AuthOptions(secret=SECRET, providers=[provider_for(idp, **overrides)]), "app")


async def sign_in(browser: Browser) -> tuple[Result, Result | None]:
    """(the sign-in answer, the callback answer or None when the sign-in did not reach the provider)."""
    csrf = await browser.csrf()
    started = await browser.post("signin/hostile", form={"csrfToken": csrf, "callbackUrl": "/after"})
    location = started.location or ""
    if started.status != 302 or not location.startswith("http://127.0.0.1:"):
        return started, None
    async with httpx.AsyncClient(trust_env=False, timeout=10) as client:
        authorize = await client.get(location)
    assert authorize.status_code == 302, authorize.text
    back = authorize.headers["location"]
    assert back.startswith(f"{BASE}/callback/hostile?"), back
    return started, await browser.get(back[len(BASE) + 1 :])


def session_created(browser: Browser, *results: Result | None) -> bool:
    return SESSION in browser.jar or any(r is not None and SESSION in r.cookie_names for r in results)


# ================================================================================ control: a well-behaved provider
@pytest.mark.parametrize("callback_iss", [None, "issuer"])
async def test_a_well_behaved_provider_signs_in(idp: HostileIdP, callback_iss: str | None) -> None:
    idp.callback_iss = idp.url if callback_iss else None
    browser = browser_for(idp)
    _, callback = await sign_in(browser)
    assert callback is not None and callback.status == 302 and callback.location == f"{ORIGIN}/after", callback
    assert session_created(browser, callback)
    assert (await browser.get("session")).json()["user"]["email"] == "bob@example.com"


async def test_a_configured_hs256_provider_signs_in(idp: HostileIdP) -> None:
    """HS256 is accepted when the provider's config says so (LINE does), with a non-empty secret."""
    idp.alg = "HS256"
    browser = browser_for(idp, client={"id_token_signed_response_alg": "HS256"})
    _, callback = await sign_in(browser)
    assert callback is not None and callback.location == f"{ORIGIN}/after", callback
    assert session_created(browser, callback)


# ================================================================================ hole 10: id_token and callback
def _other_issuer(idp: HostileIdP) -> None:
    idp.callback_iss = "https://evil.example"


def _iss_advertised_but_missing(idp: HostileIdP) -> None:
    idp.discovery["authorization_response_iss_parameter_supported"] = True
    idp.callback_iss = None


def _set(**attrs: Any) -> Any:
    def apply(idp: HostileIdP) -> None:
        for name, value in attrs.items():
            current = getattr(idp, name)
            if isinstance(current, dict):
                current.update(value)
            else:
                setattr(idp, name, value)

    return apply


# (case, what the provider does, provider-config overrides)
HOLE_10: list[tuple[str, Any, dict[str, Any]]] = [
    ("HS256 signed with the client secret, RS256 advertised", _set(alg="HS256"), {}),
    ("HS512 signed with the client secret, RS256 advertised", _set(alg="HS512"), {}),
    ("HS256 signed with an empty key, RS256 advertised", _set(alg="HS256", hs_key=""), {}),
    (
        "HS256 with an empty key when HS256 is configured",
        _set(alg="HS256", hs_key=""),
        {
            "client_secret": "",
            "client": {"id_token_signed_response_alg": "HS256", "token_endpoint_auth_method": "none"},
        },
    ),
    ("PS256 when RS256 is expected", _set(alg="PS256"), {}),
    ("RS512 when RS256 is expected", _set(alg="RS512"), {}),
    ("alg none", _set(alg="none"), {}),
    ("one aud, another client's azp", _set(claims={"azp": "another-client"}), {}),
    ("several audiences, no azp", _set(claims={"aud": [CLIENT_ID, "another-client"]}), {}),
    ("several audiences, another client's azp", _set(claims={"aud": [CLIENT_ID, "x"], "azp": "x"}), {}),
    ("exp as a string", _set(claims={"exp": "9999999999"}), {}),
    ("iat as a string", _set(claims={"iat": "1700000000"}), {}),
    ("exp as a boolean", _set(claims={"exp": True}), {}),
    ("at_hash mismatch", _set(claims={"at_hash": "AAAAAAAAAAAAAAAAAAAAAA"}), {}),
    (
        "nonce present when the nonce check is off",
        _set(claims={"nonce": "chosen-by-the-provider"}),
        {"checks": ["pkce", "state"]},
    ),
    ("nonce missing when the nonce check is on", _set(claims={"nonce": DROP}), {}),
    ("iss callback parameter naming another issuer", _other_issuer, {}),
    ("iss callback parameter missing though advertised", _iss_advertised_but_missing, {}),
    (
        "userinfo sub different from the id_token's",
        _set(userinfo={"sub": "mallory", "email": "mallory@example.com"}),
        {"id_token": False, "checks": ["pkce", "state"]},
    ),
    ("wrong issuer in the id_token", _set(claims={"iss": "https://evil.example"}), {}),
    ("expired id_token", _set(claims={"exp": 1000}), {}),
    ("no sub", _set(claims={"sub": DROP}), {}),
]


# The refusal each case must meet (a part of the logged reason), so that none passes for another reason.
REASONS = {
    "HS256 signed with the client secret, RS256 advertised": "unexpected id_token alg: expected RS256, got 'HS256'",
    "HS512 signed with the client secret, RS256 advertised": "unexpected id_token alg: expected RS256, got 'HS512'",
    "HS256 signed with an empty key, RS256 advertised": "unexpected id_token alg: expected RS256, got 'HS256'",
    "HS256 with an empty key when HS256 is configured": "the client secret it needs is empty",
    "PS256 when RS256 is expected": "unexpected id_token alg: expected RS256, got 'PS256'",
    "RS512 when RS256 is expected": "unexpected id_token alg: expected RS256, got 'RS512'",
    "alg none": "unexpected id_token alg: expected RS256, got 'none'",
    "one aud, another client's azp": "azp mismatch",
    "several audiences, no azp": "several audiences but no azp",
    "several audiences, another client's azp": "azp mismatch",
    "exp as a string": "exp claim must be a JSON number",
    "iat as a string": "iat claim must be a JSON number",
    "exp as a boolean": "exp",
    "at_hash mismatch": "at_hash mismatch",
    "nonce present when the nonce check is off": "nonce mismatch: the id_token has a nonce, but this sign-in sent none",
    "nonce missing when the nonce check is on": "nonce mismatch",
    "iss callback parameter naming another issuer": "iss mismatch",
    "iss callback parameter missing though advertised": "iss missing from the response",
    "userinfo sub different from the id_token's": "userinfo sub mismatch",
    "wrong issuer in the id_token": "Invalid issuer",
    "expired id_token": "expired",
    "no sub": "sub",
}


@pytest.mark.parametrize(("case", "attack", "overrides"), HOLE_10, ids=[c[0] for c in HOLE_10])
async def test_hostile_id_token_and_callback(
    idp: HostileIdP, case: str, attack: Any, overrides: dict[str, Any], logs: pytest.LogCaptureFixture
) -> None:
    attack(idp)
    browser = browser_for(idp, **overrides)
    started, callback = await sign_in(browser)
    accepted = session_created(browser, started, callback)
    record(
        "hostile provider: id_token/callback (hole 10)",
        tried=1,
        accepted=int(accepted),
        what="forged or inconsistent id_tokens and callbacks from the provider",
    )
    assert callback is not None, started
    assert callback.status == 302 and callback.location == CALLBACK_ERROR, (case, callback)
    assert not accepted, case
    errors = [m for m in log_messages(logs, logging.ERROR) if "OAUTH_CALLBACK_ERROR" in m]
    assert errors and REASONS[case] in errors[0], (REASONS[case], errors)


def test_hs_tokens_are_built_right() -> None:
    """The forged HS tokens above are genuine HS signatures (so the refusal is not a malformed token)."""
    import jwt

    token = hs_sign({"sub": "bob"}, CLIENT_SECRET, "HS256", KID)
    assert jwt.decode(token, CLIENT_SECRET, algorithms=["HS256"]) == {"sub": "bob"}


# ================================================================================ hole 11: provider fetches
@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG, logger="nextauth")
    yield caplog


QUICK = {"http_options": {"timeout": 0.5}}


async def test_concurrent_sign_ins_share_one_discovery_fetch_and_its_failure(idp: HostileIdP) -> None:
    """With the provider hung, six concurrent sign-ins make one discovery request and all fail with it (before:
    one request per sign-in, queued behind a lock, the k-th waiting k deadlines)."""
    idp.behaviours["/.well-known/openid-configuration"] = hang
    browsers = [browser_for(idp, **QUICK) for _ in range(6)]
    for browser in browsers:
        await browser.csrf()
    results = await asyncio.gather(*(sign_in(b) for b in browsers))
    accepted = sum(session_created(b, r) for b, (r, _) in zip(browsers, results, strict=True))
    record(
        "hostile provider: fetches (hole 11)",
        tried=len(results),
        accepted=accepted,
        what="hung, huge, dribbled or insecure provider answers",
    )
    assert [r.location for r, _ in results] == [SIGNIN_ERROR] * 6
    assert idp.hits["/.well-known/openid-configuration"] == 1
    assert accepted == 0


async def test_a_failed_fetch_is_remembered_briefly(idp: HostileIdP, monkeypatch: pytest.MonkeyPatch) -> None:
    idp.behaviours["/.well-known/openid-configuration"] = hang
    monkeypatch.setattr(_metadata, "FAILURE_TTL", 60.0)  # a loaded machine cannot make the memory lapse between
    browser = browser_for(idp, **QUICK)
    first, _ = await sign_in(browser)
    second, _ = await sign_in(browser)
    assert first.location == second.location == SIGNIN_ERROR
    assert idp.hits["/.well-known/openid-configuration"] == 1  # the second failed at once, from the memory
    # Once the memory lapses, the provider is asked again (and, recovered, signs the user in).
    monkeypatch.setattr(_metadata, "FAILURE_TTL", 0.0)
    _metadata.CACHE._failures.clear()
    del idp.behaviours["/.well-known/openid-configuration"]
    _, callback = await sign_in(browser)
    assert callback is not None and callback.location == f"{ORIGIN}/after", callback
    assert idp.hits["/.well-known/openid-configuration"] == 2
    record("hostile provider: fetches (hole 11)", tried=2, accepted=0)


BIG = 64 * 1024 * 1024  # what the provider would send; the cap is 1 MB


@pytest.mark.parametrize(
    ("path", "declare"),
    [
        ("/.well-known/openid-configuration", False),
        ("/.well-known/openid-configuration", True),
        ("/jwks", False),
        ("/token", False),
        ("/token", True),
        ("/userinfo", False),
    ],
)
async def test_huge_answers_are_cut_at_the_cap(idp: HostileIdP, path: str, declare: bool) -> None:
    idp.behaviours[path] = huge(BIG, declare=declare)
    overrides: dict[str, Any] = {"id_token": False, "checks": ["pkce", "state"]} if path == "/userinfo" else {}
    browser = browser_for(idp, **overrides)
    tracemalloc.start()
    try:
        started, callback = await sign_in(browser)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    accepted = session_created(browser, started, callback)
    record("hostile provider: fetches (hole 11)", tried=1, accepted=int(accepted))
    expected = SIGNIN_ERROR if path.startswith("/.well-known") else CALLBACK_ERROR
    final = callback if callback is not None else started
    assert final.status == 302 and final.location == expected, final
    assert not accepted
    # The Python heap never held the answer: under 5 MB at the peak here (134-204 MB for the 64 MB before).
    assert peak < 12 * 1024 * 1024, peak
    # The runtime stopped reading near the cap: the provider could write little more than the 1 MB cap plus
    # the socket buffers before the connection went away (64 MB offered).
    assert idp.sent[path] < 16 * 1024 * 1024, idp.sent[path]


@pytest.mark.parametrize("path", ["/.well-known/openid-configuration", "/token"])
async def test_a_dribbled_answer_meets_one_deadline(idp: HostileIdP, path: str) -> None:
    """A byte every 20 ms never trips a per-read timeout of 0.5 s; the request's overall deadline stops it."""
    idp.behaviours[path] = dribble(interval=0.02, total=2000)  # 40 s when nothing stops it
    browser = browser_for(idp, **QUICK)
    started, callback = await sign_in(browser)
    accepted = session_created(browser, started, callback)
    record("hostile provider: fetches (hole 11)", tried=1, accepted=int(accepted))
    final = callback if callback is not None else started
    expected = SIGNIN_ERROR if path.startswith("/.well-known") else CALLBACK_ERROR
    assert final.status == 302 and final.location == expected, final
    assert not accepted
    # 0.5 s of a byte per 20 ms is about 25 bytes; unchecked, the dribble runs to 2,000.
    assert idp.sent[path] < 1000, idp.sent[path]


@pytest.mark.parametrize("endpoint", ["authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"])
async def test_discovered_endpoints_must_be_https(idp: HostileIdP, endpoint: str) -> None:
    """A discovery document naming a plain-http endpoint off loopback is refused before anything is sent there."""
    idp.discovery[endpoint] = "http://203.0.113.7/steal"
    browser = browser_for(idp, **QUICK)
    started, callback = await sign_in(browser)
    accepted = session_created(browser, started, callback)
    record("hostile provider: fetches (hole 11)", tried=1, accepted=int(accepted))
    assert started.status == 302 and started.location == SIGNIN_ERROR, started
    assert callback is None and not accepted


async def test_loopback_http_endpoints_are_accepted_with_a_warning(
    idp: HostileIdP, logs: pytest.LogCaptureFixture
) -> None:
    browser = browser_for(idp)
    _, callback = await sign_in(browser)
    assert callback is not None and callback.location == f"{ORIGIN}/after", callback
    warnings = log_messages(logs, logging.WARNING)
    assert any("INSECURE_PROVIDER_ENDPOINT" in m and f"{idp.url}/token" in m for m in warnings), warnings
