"""Callbacks and events: called in next-auth's order with next-auth's arguments, sync or async (spec §9)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from authkit import ORIGIN, SECRET, Browser, Layout, credentials_provider, log_messages, make_options

from nextauth.jwt import decode


class Recorder:
    """Callbacks and events that record ``(name, kwargs)`` and behave like the defaults."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def _make(self, name: str, result: Callable[[dict[str, Any]], Any]) -> Callable[..., Any]:
        if self.kind == "async":

            async def async_fn(**kwargs: Any) -> Any:
                self.calls.append((name, kwargs))
                return result(kwargs)

            return async_fn

        def sync_fn(**kwargs: Any) -> Any:
            self.calls.append((name, kwargs))
            return result(kwargs)

        return sync_fn

    def options(self) -> dict[str, Any]:
        def authorize(credentials: dict[str, Any], request: dict[str, Any]) -> dict[str, Any] | None:
            self.calls.append(("authorize", {"credentials": credentials}))
            return {"id": "1", "name": "Alice", "email": "alice@example.com", "image": "http://img/a.png"}

        return {
            "providers": [credentials_provider(authorize=authorize)],
            "callbacks": {
                "sign_in": self._make("callbacks.sign_in", lambda kw: True),
                "redirect": self._make(
                    "callbacks.redirect",
                    lambda kw: kw["base_url"] + kw["url"] if kw["url"].startswith("/") else kw["url"],
                ),
                "jwt": self._make("callbacks.jwt", lambda kw: kw["token"]),
                "session": self._make("callbacks.session", lambda kw: kw["session"]),
            },
            "events": {
                name: self._make(f"events.{name}", lambda kw: None)
                for name in ("sign_in", "sign_out", "create_user", "update_user", "link_account", "session")
            },
        }

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]

    def args(self, name: str) -> dict[str, Any]:
        found = [kwargs for n, kwargs in self.calls if n == name]
        assert len(found) == 1, (name, self.names())
        return found[0]

    def clear(self) -> None:
        self.calls.clear()


@pytest.fixture(params=["sync", "async"])
def recorder(request: pytest.FixtureRequest) -> Recorder:
    return Recorder(request.param)


async def test_credentials_sign_in_order_and_arguments(layout: Layout, recorder: Recorder) -> None:
    browser = Browser.of(make_options(**recorder.options()), layout)
    csrf = await browser.csrf()
    recorder.clear()
    body = {"username": "alice", "password": "p", "csrfToken": csrf, "callbackUrl": "/after", "json": "true"}
    result = await browser.post("callback/credentials", form=body)
    assert result.json() == {"url": f"{ORIGIN}/after"}
    assert recorder.names() == [
        "callbacks.redirect",
        "authorize",
        "callbacks.sign_in",
        "callbacks.jwt",
        "events.sign_in",
    ]
    assert recorder.args("callbacks.redirect") == {"url": "/after", "base_url": ORIGIN}
    assert recorder.args("authorize") == {"credentials": body}
    user = {"id": "1", "name": "Alice", "email": "alice@example.com", "image": "http://img/a.png"}
    account = {"provider_account_id": "1", "type": "credentials", "provider": "credentials"}
    assert recorder.args("callbacks.sign_in") == {"user": user, "account": account, "credentials": body}
    assert recorder.args("callbacks.jwt") == {
        "token": {"name": "Alice", "email": "alice@example.com", "picture": "http://img/a.png", "sub": "1"},
        "user": user,
        "account": account,
        "is_new_user": False,
        "trigger": "signIn",
    }
    assert recorder.args("events.sign_in") == {"user": user, "account": account}  # next-auth: nothing else


async def test_session_get_order_and_arguments(layout: Layout, recorder: Recorder) -> None:
    browser = Browser.of(make_options(**recorder.options()), layout)
    await browser.sign_in_with_credentials(username="alice", password="p")
    decoded = await decode(token=browser.jar["next-auth.session-token"], secret=SECRET)
    recorder.clear()
    body = (await browser.get("session")).json()
    assert recorder.names() == ["callbacks.redirect", "callbacks.jwt", "callbacks.session", "events.session"]
    assert recorder.args("callbacks.redirect") == {"url": ORIGIN, "base_url": ORIGIN}  # from the cookie
    assert recorder.args("callbacks.jwt") == {"token": decoded, "session": None}  # no trigger on a plain read
    session_args = recorder.args("callbacks.session")
    assert session_args == {
        "session": {
            "user": {"name": "Alice", "email": "alice@example.com", "image": "http://img/a.png"},
            "expires": body["expires"],
        },
        "token": decoded,
    }
    assert recorder.args("events.session") == {"session": body, "token": decoded}


async def test_session_update_order_and_arguments(layout: Layout, recorder: Recorder) -> None:
    browser = Browser.of(make_options(**recorder.options()), layout)
    await browser.sign_in_with_credentials(username="alice", password="p")
    csrf = await browser.csrf()
    recorder.clear()
    await browser.post("session", json={"csrfToken": csrf, "data": {"theme": "dark"}})
    assert recorder.names() == ["callbacks.redirect", "callbacks.jwt", "callbacks.session", "events.session"]
    jwt_args = recorder.args("callbacks.jwt")
    assert jwt_args["trigger"] == "update"
    assert jwt_args["session"] == {"theme": "dark"}
    assert set(recorder.args("callbacks.session")) == {"session", "token"}  # JWT: no trigger, no new_session


async def test_sign_out_event(layout: Layout, recorder: Recorder) -> None:
    browser = Browser.of(make_options(**recorder.options()), layout)
    await browser.sign_in_with_credentials(username="alice", password="p")
    decoded = await decode(token=browser.jar["next-auth.session-token"], secret=SECRET)
    csrf = await browser.csrf()
    recorder.clear()
    await browser.post("signout", form={"csrfToken": csrf})
    assert recorder.names() == ["callbacks.redirect", "events.sign_out"]
    assert recorder.args("events.sign_out") == {"token": decoded}


async def test_callbacks_get_only_the_arguments_they_name(layout: Layout) -> None:
    def jwt(token: dict[str, Any], user: dict[str, Any] | None = None) -> dict[str, Any]:
        return {**token, "uid": user["id"]} if user else token

    async def session(session: dict[str, Any], token: dict[str, Any]) -> dict[str, Any]:
        return {**session, "uid": token["uid"]}

    browser = Browser.of(make_options(callbacks={"jwt": jwt, "session": session}), layout)
    await browser.sign_in_with_credentials(username="alice", password="wonderland")
    assert (await browser.get("session")).json()["uid"] == "1"


async def test_jwt_callback_result_is_the_whole_token(layout: Layout) -> None:
    browser = Browser.of(make_options(callbacks={"jwt": lambda token: {"only": "this"}}), layout)
    await browser.sign_in_with_credentials(username="alice", password="wonderland")
    claims = await decode(token=browser.jar["next-auth.session-token"], secret=SECRET)
    assert claims is not None
    assert set(claims) == {"only", "iat", "exp", "jti"}


async def test_failing_event_is_logged_and_ignored(layout: Layout, logs: pytest.LogCaptureFixture) -> None:
    def explode(**_: Any) -> None:
        raise RuntimeError("event handler bug")

    browser = Browser.of(make_options(events={"sign_in": explode, "session": explode}), layout)
    result = await browser.sign_in_with_credentials(username="alice", password="wonderland")
    assert result.status == 200 and "next-auth.session-token" in browser.jar
    assert (await browser.get("session")).json()["user"]["name"] == "Alice"
    errors = log_messages(logs, logging.ERROR)
    assert any("[SIGN_IN_EVENT_ERROR]" in m and "event handler bug" in m for m in errors), errors
    assert any("[SESSION_EVENT_ERROR]" in m for m in errors), errors


async def test_failing_session_callback_gives_empty_session_not_500(
    layout: Layout, logs: pytest.LogCaptureFixture
) -> None:
    def broken(session: dict[str, Any]) -> dict[str, Any]:
        raise KeyError("user_id")

    browser = Browser.of(make_options(callbacks={"session": broken}), layout)
    await browser.sign_in_with_credentials(username="alice", password="wonderland")
    result = await browser.get("session")
    assert result.status == 200 and result.json() == {}
    assert any("JWT_SESSION_ERROR" in m and "KeyError" in m for m in log_messages(logs, logging.ERROR))
