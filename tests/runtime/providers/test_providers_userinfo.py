"""``userinfo.request`` functions and the Graph photo, against an httpx ``MockTransport`` (unit level)."""

from __future__ import annotations

import base64
import functools
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from providerkit import build

from nextauth._lib.util import call_positional, call_user
from nextauth.providers import azure_ad
from nextauth.providers.azure_ad import fetch_profile_photo

TOKENS = {"access_token": "at-123", "token_type": "Bearer"}
Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A fake API: ``routes`` maps ``METHOD url-without-query`` to a response; every request is kept."""

    def __init__(self, routes: dict[str, httpx.Response]) -> None:
        self.routes = routes
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        key = f"{request.method} {request.url.copy_with(query=None)}"
        return self.routes.get(key, httpx.Response(404, json={"error": "not found", "key": key}))

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(self))


async def userinfo(name: str, recorder: Recorder, **options: Any) -> dict[str, Any]:
    provider = build(name, **options)
    assert provider.userinfo.request is not None
    async with recorder.client() as http:
        result: dict[str, Any] = await call_user(provider.userinfo.request, tokens=TOKENS, provider=provider, http=http)
    return result


# ------------------------------------------------------------------------------------------ Bitbucket
BB_USER = {
    "account_id": "557058:abc",
    "display_name": "Jane Doe",
    "links": {"avatar": {"href": "https://a.test/j.png"}},
}


async def test_bitbucket_adds_the_primary_confirmed_email() -> None:
    emails = {
        "values": [
            {"email": "old@example.com", "is_primary": False, "is_confirmed": True, "type": "email"},
            {"email": "unconfirmed@example.com", "is_primary": False, "is_confirmed": False, "type": "email"},
            {"email": "jane@example.com", "is_primary": True, "is_confirmed": True, "type": "email"},
        ],
        "pagelen": 10,
        "page": 1,
        "size": 3,
    }
    api = Recorder(
        {
            "GET https://api.bitbucket.org/2.0/user": httpx.Response(200, json=BB_USER),
            "GET https://api.bitbucket.org/2.0/user/emails": httpx.Response(200, json=emails),
        }
    )
    profile = await userinfo("BitbucketProvider", api)
    assert profile == {**BB_USER, "email": "jane@example.com"}
    assert [r.headers["authorization"] for r in api.requests] == ["Bearer at-123", "Bearer at-123"]


async def test_bitbucket_never_uses_an_unconfirmed_address() -> None:
    emails = {"values": [{"email": "x@example.com", "is_primary": True, "is_confirmed": False}]}
    api = Recorder(
        {
            "GET https://api.bitbucket.org/2.0/user": httpx.Response(200, json=BB_USER),
            "GET https://api.bitbucket.org/2.0/user/emails": httpx.Response(200, json=emails),
        }
    )
    assert (await userinfo("BitbucketProvider", api))["email"] is None


async def test_bitbucket_without_the_email_scope_signs_in_without_email() -> None:
    api = Recorder(
        {
            "GET https://api.bitbucket.org/2.0/user": httpx.Response(200, json=BB_USER),
            "GET https://api.bitbucket.org/2.0/user/emails": httpx.Response(403, json={"type": "error"}),
        }
    )
    profile = await userinfo("BitbucketProvider", api)
    assert profile["email"] is None and profile["account_id"] == "557058:abc"


async def test_bitbucket_user_endpoint_failure_raises() -> None:
    api = Recorder({"GET https://api.bitbucket.org/2.0/user": httpx.Response(401, json={"type": "error"})})
    with pytest.raises(httpx.HTTPStatusError):
        await userinfo("BitbucketProvider", api)


# ------------------------------------------------------------------------------------------ Dropbox
async def test_dropbox_posts_without_a_body() -> None:
    account = {"account_id": "dbid:AAH", "name": {"display_name": "Franz"}, "email": "f@x.test", "email_verified": True}
    api = Recorder({"POST https://api.dropboxapi.com/2/users/get_current_account": httpx.Response(200, json=account)})
    assert await userinfo("DropboxProvider", api) == account
    (request,) = api.requests
    assert request.content == b"" and "content-type" not in request.headers
    assert request.headers["authorization"] == "Bearer at-123"


# ------------------------------------------------------------------------------------------ Reddit
async def test_reddit_sends_a_descriptive_user_agent() -> None:
    me = {"id": "1w72", "name": "spez", "icon_img": ""}
    api = Recorder({"GET https://oauth.reddit.com/api/v1/me": httpx.Response(200, json=me)})
    assert await userinfo("RedditProvider", api) == me
    assert api.requests[0].headers["user-agent"].startswith("web:nextauth-python:v")
    assert api.requests[0].headers["authorization"] == "Bearer at-123"

    custom = Recorder({"GET https://oauth.reddit.com/api/v1/me": httpx.Response(200, json=me)})
    await userinfo("RedditProvider", custom, user_agent="web:com.example.app:v1.0 (by /u/someone)")
    assert custom.requests[0].headers["user-agent"] == "web:com.example.app:v1.0 (by /u/someone)"


async def test_userinfo_url_override_is_used_by_the_request_function() -> None:
    api = Recorder({"GET https://proxy.example.com/reddit/me": httpx.Response(200, json={"id": "x", "name": "n"})})
    await userinfo("RedditProvider", api, userinfo={"url": "https://proxy.example.com/reddit/me"})
    assert str(api.requests[0].url) == "https://proxy.example.com/reddit/me"


# ------------------------------------------------------------------------------------------ Entra ID photo
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00fake-jpeg-bytes"
PHOTO = "GET https://graph.microsoft.com/v1.0/me/photos/{size}x{size}/$value"


async def test_graph_photo_as_a_data_url() -> None:
    api = Recorder({PHOTO.format(size=96): httpx.Response(200, content=JPEG, headers={"content-type": "image/jpeg"})})
    async with api.client() as http:
        url = await fetch_profile_photo("at-123", 96, http=http)
    assert url == "data:image/jpeg;base64," + base64.b64encode(JPEG).decode()
    assert api.requests[0].headers["authorization"] == "Bearer at-123"


@pytest.mark.parametrize(
    "response",
    [
        pytest.param(httpx.Response(404, json={"error": {"code": "ImageNotFound"}}), id="no-photo"),
        pytest.param(httpx.Response(403, json={"error": {"code": "Authorization_RequestDenied"}}), id="no-consent"),
        pytest.param(httpx.Response(200, json={"not": "an image"}), id="not-an-image"),
    ],
)
async def test_graph_photo_failures_give_no_image(response: httpx.Response) -> None:
    api = Recorder({PHOTO.format(size=48): response})
    async with api.client() as http:
        assert await fetch_profile_photo("at-123", 48, http=http) is None


async def test_graph_photo_network_error_gives_no_image() -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("unreachable", request=request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(broken)) as http:
        assert await fetch_profile_photo("at-123", http=http) is None


async def test_entra_profile_with_photo(monkeypatch: pytest.MonkeyPatch) -> None:
    api = Recorder({PHOTO.format(size=64): httpx.Response(200, content=JPEG, headers={"content-type": "image/jpeg"})})
    monkeypatch.setattr(
        azure_ad.httpx, "AsyncClient", functools.partial(httpx.AsyncClient, transport=httpx.MockTransport(api))
    )
    provider = build("AzureADProvider", profile_photo_size=64)
    claims = {"sub": "AAAA", "name": "Abe Lincoln", "email": "abeli@microsoft.com"}
    user = await call_positional(provider.profile, claims, TOKENS)
    assert user["image"] == "data:image/jpeg;base64," + base64.b64encode(JPEG).decode()
    assert (user["id"], user["name"], user["email"]) == ("AAAA", "Abe Lincoln", "abeli@microsoft.com")
    assert len(api.requests) == 1


async def test_entra_profile_without_photo_makes_no_request(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("no Graph request without profile_photo_size")

    monkeypatch.setattr(azure_ad.httpx, "AsyncClient", forbidden)
    user = await call_positional(build("AzureADProvider").profile, {"sub": "AAAA", "name": "Abe"}, TOKENS)
    assert user == {"id": "AAAA", "name": "Abe", "email": None, "image": None}
    assert len(json.dumps(user)) < 100  # nothing that bloats the session cookie
