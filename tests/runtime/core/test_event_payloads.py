"""Every callback's and event's arguments equal next-auth 4.24.15's, key for key (spec §9).

Each test states next-auth's payload in next-auth's own spelling (``NEXT_AUTH``, read from
core/routes/{callback,signin,signout,session}.ts and core/lib/callback-handler.ts) and checks that a
callback taking ``**kwargs`` receives exactly those keys, in their Python spelling
(``isNewUser`` -> ``is_new_user``, ``baseUrl`` -> ``base_url``, ``newSession`` -> ``new_session``), with
the values next-auth passes. Records inside use snake_case keys (``provider_account_id``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from authkit import BASE, ORIGIN, SECRET, Browser, Layout, MemoryAdapter, credentials_provider
from oidcmock import MockProvider

from nextauth import AuthOptions
from nextauth._lib.util import snake_case
from nextauth.jwt import decode
from nextauth.providers import EmailProvider

# next-auth's argument objects, as its source builds them (names in next-auth's spelling).
NEXT_AUTH: dict[str, list[str]] = {
    # callbacks.signIn
    "signIn/oauth": ["user", "account", "profile"],  # profile: the provider's raw profile (OAuthProfile)
    "signIn/email-request": ["user", "account", "email"],  # POST /signin/email; email: {verificationRequest: true}
    "signIn/email-callback": ["user", "account"],
    "signIn/credentials": ["user", "account", "credentials"],
    # callbacks.redirect
    "redirect": ["url", "baseUrl"],
    # callbacks.jwt
    "jwt/oauth": ["token", "user", "account", "profile", "isNewUser", "trigger"],
    "jwt/email": ["token", "user", "account", "isNewUser", "trigger"],
    "jwt/credentials": ["token", "user", "account", "isNewUser", "trigger"],
    "jwt/session": ["token", "session"],  # session: the update's data (undefined on a plain read)
    "jwt/session-update": ["token", "trigger", "session"],
    # callbacks.session
    "session/jwt": ["session", "token"],
    "session/database": ["session", "user", "newSession"],
    "session/database-update": ["session", "user", "newSession", "trigger"],
    # events
    "events.signIn/oauth": ["user", "account", "profile", "isNewUser"],  # profile: the profile() output
    "events.signIn/email": ["user", "account", "isNewUser"],
    "events.signIn/credentials": ["user", "account"],
    "events.signOut/jwt": ["token"],
    "events.signOut/database": ["session"],
    "events.createUser": ["user"],
    "events.updateUser": ["user"],
    "events.linkAccount": ["user", "account", "profile"],  # account without userId; profile: profile() output
    "events.session/jwt": ["session", "token"],
    "events.session/database": ["session"],
}


def python_keys(shape: str) -> set[str]:
    """next-auth's keys as this runtime spells them."""
    return {snake_case(key) for key in NEXT_AUTH[shape]}


def test_the_python_spelling_of_next_auths_names() -> None:
    assert snake_case("isNewUser") == "is_new_user"
    assert snake_case("baseUrl") == "base_url"
    assert snake_case("newSession") == "new_session"
    assert snake_case("providerAccountId") == "provider_account_id"
    assert snake_case("emailVerified") == "email_verified"


class Recorder:
    """Callbacks and events taking ``**kwargs`` that record what they get and behave like the defaults."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def _make(self, name: str, result: Callable[[dict[str, Any]], Any]) -> Callable[..., Any]:
        async def fn(**kwargs: Any) -> Any:
            self.calls.append((name, kwargs))
            return result(kwargs)

        return fn

    def options(self) -> dict[str, Any]:
        return {
            "callbacks": {
                "sign_in": self._make("sign_in", lambda kw: True),
                "redirect": self._make(
                    "redirect", lambda kw: kw["url"] if kw["url"].startswith("http") else kw["base_url"] + kw["url"]
                ),
                "jwt": self._make("jwt", lambda kw: kw["token"]),
                "session": self._make("session", lambda kw: kw["session"]),
            },
            "events": {
                name: self._make(f"events.{name}", lambda kw: None)
                for name in ("sign_in", "sign_out", "create_user", "update_user", "link_account", "session")
            },
        }

    def all(self, name: str) -> list[dict[str, Any]]:
        return [kwargs for n, kwargs in self.calls if n == name]

    def one(self, name: str) -> dict[str, Any]:
        found = self.all(name)
        assert len(found) == 1, (name, [n for n, _ in self.calls])
        return found[0]

    def clear(self) -> None:
        self.calls.clear()


ALICE = {"id": "1", "name": "Alice", "email": "alice@example.com"}


# ------------------------------------------------------------------------------------------ credentials
async def test_credentials_sign_in(layout: Layout) -> None:
    recorder = Recorder()
    browser = Browser.of(AuthOptions(secret=SECRET, providers=[credentials_provider()], **recorder.options()), layout)
    csrf = await browser.csrf()
    recorder.clear()
    body = {"username": "alice", "password": "wonderland", "csrfToken": csrf, "json": "true"}
    assert (await browser.post("callback/credentials", form=body)).status == 200

    account = {"provider_account_id": "1", "type": "credentials", "provider": "credentials"}
    sign_in = recorder.one("sign_in")
    assert set(sign_in) == python_keys("signIn/credentials")
    assert sign_in == {"user": ALICE, "account": account, "credentials": body}
    jwt = recorder.one("jwt")
    assert set(jwt) == python_keys("jwt/credentials")
    assert jwt == {
        "token": {"name": "Alice", "email": "alice@example.com", "sub": "1"},  # picture: undefined
        "user": ALICE,
        "account": account,
        "is_new_user": False,
        "trigger": "signIn",
    }
    event = recorder.one("events.sign_in")
    assert set(event) == python_keys("events.signIn/credentials")
    assert event == {"user": ALICE, "account": account}


async def test_redirect_and_jwt_sessions(layout: Layout) -> None:
    recorder = Recorder()
    browser = Browser.of(AuthOptions(secret=SECRET, providers=[credentials_provider()], **recorder.options()), layout)
    await browser.sign_in_with_credentials(username="alice", password="wonderland")
    decoded = await decode(token=browser.jar["next-auth.session-token"], secret=SECRET)
    recorder.clear()

    body = (await browser.get("session?callbackUrl=/x")).json()
    redirect = recorder.one("redirect")
    assert set(redirect) == python_keys("redirect")
    assert redirect == {"url": "/x", "base_url": ORIGIN}
    jwt = recorder.one("jwt")
    assert set(jwt) == python_keys("jwt/session") and jwt == {"token": decoded, "session": None}
    session = recorder.one("session")
    assert set(session) == python_keys("session/jwt") and session["token"] == decoded
    event = recorder.one("events.session")
    assert set(event) == python_keys("events.session/jwt") and event == {"session": body, "token": decoded}

    recorder.clear()
    csrf = await browser.csrf()
    await browser.post("session", json={"csrfToken": csrf, "data": {"theme": "dark"}})
    update = recorder.one("jwt")
    assert set(update) == python_keys("jwt/session-update")
    assert update["trigger"] == "update" and update["session"] == {"theme": "dark"}

    recorder.clear()
    await browser.post("signout", form={"csrfToken": await browser.csrf()})
    sign_out = recorder.one("events.sign_out")
    assert set(sign_out) == python_keys("events.signOut/jwt") and sign_out["token"]["sub"] == "1"


# ------------------------------------------------------------------------------------------ email
class Outbox:
    def __init__(self) -> None:
        self.urls: list[str] = []

    def send(self, url: str) -> None:
        self.urls.append(url)

    def callback_path(self) -> str:
        url = self.urls.pop()
        assert url.startswith(f"{BASE}/"), url
        parts = urlsplit(url)
        return f"{parts.path[len('/api/auth/') :]}?{parts.query}"


def email_options(recorder: Recorder, adapter: MemoryAdapter, outbox: Outbox, strategy: str) -> AuthOptions:
    return AuthOptions(
        secret=SECRET,
        providers=[EmailProvider(send_verification_request=outbox.send)],
        adapter=adapter,
        session={"strategy": strategy},
        **recorder.options(),
    )


async def email_sign_in(browser: Browser, outbox: Outbox, recorder: Recorder) -> None:
    csrf = await browser.csrf()
    recorder.clear()
    sent = await browser.post("signin/email", form={"csrfToken": csrf, "email": "dora@example.com"})
    assert sent.status == 302 and "verify-request" in (sent.location or "")
    back = await browser.get(outbox.callback_path())
    assert back.status == 302 and "error" not in (back.location or ""), back


@pytest.mark.parametrize("strategy", ["jwt", "database"])
async def test_email_sign_in(layout: Layout, strategy: str) -> None:
    recorder, adapter, outbox = Recorder(), MemoryAdapter(), Outbox()
    browser = Browser.of(email_options(recorder, adapter, outbox, strategy), layout)
    await email_sign_in(browser, outbox, recorder)

    request, callback = recorder.all("sign_in")
    placeholder = {"id": "dora@example.com", "email": "dora@example.com", "email_verified": None}
    assert set(request) == python_keys("signIn/email-request")
    assert request == {
        "user": placeholder,
        "account": {
            "provider_account_id": "dora@example.com",
            "user_id": "dora@example.com",
            "type": "email",
            "provider": "email",
        },
        "email": {"verification_request": True},
    }
    account = {"provider_account_id": "dora@example.com", "type": "email", "provider": "email"}
    assert set(callback) == python_keys("signIn/email-callback")
    assert callback == {"user": placeholder, "account": account}

    (user,) = adapter.users.values()
    created = recorder.one("events.create_user")
    assert set(created) == python_keys("events.createUser") and created == {"user": user}
    event = recorder.one("events.sign_in")
    assert set(event) == python_keys("events.signIn/email")
    assert event == {"user": user, "account": account, "is_new_user": True}
    if strategy == "jwt":
        jwt = recorder.one("jwt")
        assert set(jwt) == python_keys("jwt/email")
        assert jwt["account"] == account and jwt["is_new_user"] is True and jwt["trigger"] == "signUp"
    else:
        assert recorder.all("jwt") == []

    # The second sign-in of the same address: update_user, not create_user.
    await email_sign_in(Browser.of(browser.route, layout), outbox, recorder)
    updated = recorder.one("events.update_user")
    assert set(updated) == python_keys("events.updateUser") and updated["user"]["id"] == user["id"]
    assert updated["user"]["email_verified"] is not None
    assert recorder.one("events.sign_in")["is_new_user"] is False
    assert recorder.all("events.create_user") == []


async def test_database_sessions(layout: Layout) -> None:
    recorder, adapter, outbox = Recorder(), MemoryAdapter(), Outbox()
    browser = Browser.of(email_options(recorder, adapter, outbox, "database"), layout)
    await email_sign_in(browser, outbox, recorder)
    (user,) = adapter.users.values()
    recorder.clear()

    body = (await browser.get("session")).json()
    session = recorder.one("session")
    assert set(session) == python_keys("session/database")
    assert session["user"] == user and session["new_session"] is None
    event = recorder.one("events.session")
    assert set(event) == python_keys("events.session/database") and event == {"session": body}

    recorder.clear()
    await browser.post("session", json={"csrfToken": await browser.csrf(), "data": {"theme": "dark"}})
    update = recorder.one("session")
    assert set(update) == python_keys("session/database-update")
    assert update["trigger"] == "update" and update["new_session"] == {"theme": "dark"}

    (token,) = adapter.sessions
    stored = dict(adapter.sessions[token])
    recorder.clear()
    await browser.post("signout", form={"csrfToken": await browser.csrf()})
    sign_out = recorder.one("events.sign_out")
    assert set(sign_out) == python_keys("events.signOut/database")
    assert sign_out == {"session": stored}  # what delete_session returned


async def test_a_callback_naming_an_argument_next_auth_does_not_pass_gets_none(layout: Layout) -> None:
    """``def sign_in(user, account, profile, email, credentials)`` works for every provider: an argument
    next-auth leaves out (JavaScript's ``undefined``) is ``None``."""
    seen: list[tuple[Any, Any, Any]] = []

    def sign_in(user: Any, account: Any, profile: Any, email: Any, credentials: Any) -> bool:
        seen.append((profile, email, credentials))
        return True

    adapter, outbox = MemoryAdapter(), Outbox()
    options = AuthOptions(
        secret=SECRET,
        providers=[EmailProvider(send_verification_request=outbox.send), credentials_provider()],
        adapter=adapter,
        session={"strategy": "jwt"},
        callbacks={"sign_in": sign_in},
    )
    browser = Browser.of(options, layout)
    await email_sign_in(browser, outbox, Recorder())
    result = await browser.sign_in_with_credentials(username="alice", password="wonderland")
    assert result.status == 200
    assert seen[0] == (None, {"verification_request": True}, None)
    assert seen[1] == (None, None, None)
    assert seen[2][:2] == (None, None) and seen[2][2]["username"] == "alice"


# ------------------------------------------------------------------------------------------ OAuth
@pytest.mark.slow
async def test_oauth_sign_in(layout: Layout, mock_provider: MockProvider) -> None:
    recorder, adapter = Recorder(), MemoryAdapter()
    options = AuthOptions(
        secret=SECRET,
        providers=[mock_provider.provider()],
        adapter=adapter,
        session={"strategy": "jwt"},
        **recorder.options(),
    )
    browser = Browser.of(options, layout)
    csrf = await browser.csrf()
    recorder.clear()
    authorize = await browser.post("signin/mock", form={"csrfToken": csrf, "callbackUrl": "/after"})
    back = await mock_provider.approve(authorize.location or "")
    result = await browser.get(back[len(BASE) + 1 :])
    assert result.location == f"{ORIGIN}/after", result

    sign_in = recorder.one("sign_in")
    assert set(sign_in) == python_keys("signIn/oauth")
    raw = sign_in["profile"]
    assert raw["sub"] and "id" not in raw  # the provider's claims, not the normalised user
    # profile() output, its email lower-cased (next-auth's getProfile does that too)
    normalised = {"id": raw["sub"], "name": raw["name"], "email": raw["email"].lower(), "image": raw["picture"]}
    assert raw["email"] != normalised["email"]
    assert sign_in["user"] == normalised  # no user by this account yet: the profile() output
    account = sign_in["account"]
    assert account["provider"] == "mock" and account["type"] == "oauth"
    assert account["provider_account_id"] == raw["sub"] and "user_id" not in account

    (user,) = adapter.users.values()
    assert recorder.one("events.create_user") == {"user": user}
    link = recorder.one("events.link_account")
    assert set(link) == python_keys("events.linkAccount")
    assert link == {"user": user, "account": account, "profile": normalised}
    jwt = recorder.one("jwt")
    assert set(jwt) == python_keys("jwt/oauth")
    assert jwt["profile"] == raw and jwt["is_new_user"] is True and jwt["trigger"] == "signUp"
    event = recorder.one("events.sign_in")
    assert set(event) == python_keys("events.signIn/oauth")
    assert event == {"user": user, "account": account, "profile": normalised, "is_new_user": True}


# ------------------------------------------------------------------------------------------ the typed structures
TYPED = {
    "SignInCallbackArgs": ["signIn/oauth", "signIn/email-request", "signIn/email-callback", "signIn/credentials"],
    "RedirectCallbackArgs": ["redirect"],
    "JWTCallbackArgs": ["jwt/oauth", "jwt/email", "jwt/credentials", "jwt/session", "jwt/session-update"],
    "SessionCallbackArgs": ["session/jwt", "session/database", "session/database-update"],
    "SignInEvent": ["events.signIn/oauth", "events.signIn/email", "events.signIn/credentials"],
    "SignOutEvent": ["events.signOut/jwt", "events.signOut/database"],
    "CreateUserEvent": ["events.createUser"],
    "UpdateUserEvent": ["events.updateUser"],
    "LinkAccountEvent": ["events.linkAccount"],
    "SessionEvent": ["events.session/jwt", "events.session/database"],
}


@pytest.mark.parametrize("name", sorted(TYPED))
def test_each_typed_structure_has_exactly_next_auths_keys(name: str) -> None:
    import nextauth.events

    typed = getattr(nextauth.events, name)
    shapes = TYPED[name]
    assert set(typed.__annotations__) == set().union(*(python_keys(shape) for shape in shapes))
    # Keys present in every situation are Required; the others are absent in some (next-auth's undefined).
    always = set.intersection(*(python_keys(shape) for shape in shapes))
    assert typed.__required_keys__ == frozenset(always)


def test_to_next_auth_spells_every_payload_as_next_auth_does() -> None:
    from nextauth.events import from_next_auth, to_next_auth

    for shape, keys in NEXT_AUTH.items():
        payload = dict.fromkeys(python_keys(shape))
        assert set(to_next_auth(payload)) == set(keys), shape
        assert from_next_auth(to_next_auth(payload)) == payload


async def test_to_next_auth_on_real_records(layout: Layout) -> None:
    """The email sign-in's event and records, as next-auth's JSON."""
    import json

    from nextauth.events import from_next_auth, to_next_auth

    recorder, adapter, outbox = Recorder(), MemoryAdapter(), Outbox()
    browser = Browser.of(email_options(recorder, adapter, outbox, "database"), layout)
    await email_sign_in(browser, outbox, recorder)
    event = recorder.one("events.sign_in")
    (session,) = adapter.sessions.values()
    as_js = json.loads(json.dumps(to_next_auth({"event": event, "session": session})))
    user = as_js["event"]["user"]
    assert set(as_js["event"]) == set(NEXT_AUTH["events.signIn/email"])
    assert as_js["event"]["account"] == {"providerAccountId": "dora@example.com", "type": "email", "provider": "email"}
    assert set(user) == {"id", "name", "email", "emailVerified", "image"}
    for stamp in (user["emailVerified"], as_js["session"]["expires"]):
        assert len(stamp) == 24 and stamp.endswith("Z") and stamp[10] == "T"  # 2026-05-04T12:30:15.123Z
    assert set(as_js["session"]) == {"sessionToken", "userId", "expires"}
    back = from_next_auth(as_js["session"])
    assert back["session_token"] == session["session_token"]
    assert abs((back["expires"] - session["expires"]).total_seconds()) < 0.001


async def test_env_origin_is_the_redirect_callbacks_base_url(layout: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    from nextauth.env import auth_url, origin

    monkeypatch.setenv("NEXTAUTH_URL", "https://Auth.Example.com:443/custom/auth/")
    assert origin() == "https://auth.example.com" and auth_url() == "https://auth.example.com/custom/auth"
    recorder = Recorder()
    options = AuthOptions(secret=SECRET, providers=[credentials_provider()], **recorder.options())
    browser = Browser.of(options, layout, origin="https://auth.example.com", base_path="/custom/auth")
    await browser.get("csrf?callbackUrl=/x")
    assert recorder.one("redirect")["base_url"] == origin()


@pytest.mark.slow
async def test_oauth_account_carries_every_token_field(mock_provider: MockProvider) -> None:
    """next-auth's account is ``{provider, type, providerAccountId, ...tokens}``: provider-specific fields of the
    token response too (Keycloak's ``refresh_expires_in``, ``not-before-policy``); ``expires_in`` only as
    ``expires_at``."""
    answered: dict[str, Any] = {}

    async def exchange(params: dict[str, Any], http: Any) -> dict[str, Any]:
        response = await http.post(
            f"{mock_provider.url}/oauth2/token",
            data={"grant_type": "authorization_code", **params},
            auth=("client", "secret"),
        )
        answered.update(response.json(), refresh_expires_in=1800, **{"not-before-policy": 0})
        return dict(answered)

    recorder = Recorder()
    options = AuthOptions(
        secret=SECRET,
        providers=[mock_provider.provider(token={"request": exchange})],
        **recorder.options(),
    )
    browser = Browser.of(options, "app")
    csrf = await browser.csrf()
    authorize = await browser.post("signin/mock", form={"csrfToken": csrf, "callbackUrl": "/after"})
    back = await mock_provider.approve(authorize.location or "")
    result = await browser.get(back[len(BASE) + 1 :])
    assert result.location == f"{ORIGIN}/after", result

    account = recorder.one("events.sign_in")["account"]
    assert "expires_in" in answered and "expires_in" not in account
    assert account["expires_at"] >= answered["expires_in"]
    expected = {"provider", "type", "provider_account_id", "expires_at", *answered} - {"expires_in"}
    assert set(account) == expected
    assert account["refresh_expires_in"] == 1800 and account["not-before-policy"] == 0
    assert recorder.one("sign_in")["account"] == account == recorder.one("jwt")["account"]
