"""The provider data (registry.toml): every table builds its provider, as the data says (issue 12).

The profile samples of test_providers_profiles.py cover each provider's mapping; here: every record's
authorization URL and parameters, discovery, checks and style come out of the data; the profile language's
rules and refusals; the option lists stay in step with the runtime's dataclasses.
"""

from __future__ import annotations

import dataclasses
import importlib
from typing import Any

import pytest
from providerkit import ISSUERS

from nextauth.providers import CredentialsProvider, EmailProvider, OAuthProvider
from nextauth.providers._profile import compile_profile
from nextauth.providers._registry import option_names, record, records

OAUTH_IDS = [pid for pid, data in records().items() if pid != "oauth" and data["type"] in ("oauth", "oidc")]


def _build(pid: str) -> OAuthProvider:
    data = record(pid)
    factory = getattr(importlib.import_module(f"nextauth.providers.{data['module']}"), data["factory"])
    kwargs: dict[str, Any] = {"client_id": "cid", "client_secret": "secret"}
    if data["factory"] in ISSUERS:
        kwargs["issuer"] = ISSUERS[data["factory"]]
    provider: OAuthProvider = factory(**kwargs)
    return provider


def test_every_record_is_complete() -> None:
    assert len(OAUTH_IDS) >= 31
    for pid, data in records().items():
        assert {"name", "type", "module", "factory"} <= set(data), pid
        assert data["type"] in ("oauth", "oidc", "email", "credentials"), pid
        if pid in OAUTH_IDS:
            assert data["cli"]["docs"].startswith("https://"), pid
            assert "profile" in data, pid


# The data-only providers (module "builtin") have their own table: test_providers_builtin.py.
@pytest.mark.parametrize("pid", [pid for pid in OAUTH_IDS if record(pid)["module"] != "builtin"])
def test_each_record_builds_its_provider(pid: str) -> None:
    data = record(pid)
    provider = _build(pid)
    assert (provider.id, provider.name) == (pid, data["name"])
    scope = data["authorization"]["params"]["scope"]
    assert provider.authorization.params["scope"] == scope
    if data["type"] == "oauth":
        url = data["authorization"]["url"] if pid != "gitlab" else "https://gitlab.com/oauth/authorize"
        assert provider.authorization.url == url
        assert provider.token.url and provider.userinfo.url
    else:  # discovery at the issuer (azure-ad: per tenant)
        assert provider.well_known and provider.well_known.split("?")[0].endswith("/.well-known/openid-configuration")
        assert provider.uses_id_token
        if "issuer" in data:
            assert provider.well_known == data["issuer"] + "/.well-known/openid-configuration"
    assert provider.resolved_checks == data.get("checks", ["pkce", "state"] if data["type"] == "oidc" else ["state"])
    assert provider.client.get("token_endpoint_auth_method") == data.get("client", {}).get("token_endpoint_auth_method")
    if "style" in data:
        assert provider.style is not None and provider.style.logo == data["style"]["logo"]


def test_the_option_lists_follow_the_dataclasses() -> None:
    hidden_oauth = {"id", "type", "profile"}
    assert set(option_names("oauth")) == {f.name for f in dataclasses.fields(OAuthProvider)} - hidden_oauth
    hidden_email = {"id", "type", "secret", "generate_verification_token", "normalize_identifier"}
    hidden_email |= {"send_verification_request"}
    assert set(option_names("email")) == {f.name for f in dataclasses.fields(EmailProvider)} - hidden_email
    assert set(option_names("credentials")) == {f.name for f in dataclasses.fields(CredentialsProvider)} - {
        "id",
        "type",
        "authorize",
    }


def _map(spec: dict[str, Any], profile: Any) -> dict[str, Any]:
    return compile_profile(spec, provider_id="t")(profile)


def test_the_profile_language() -> None:
    spec: dict[str, Any] = {
        "id": {"from": [{"path": ["data", "id"]}, "id"], "as": "string"},
        "name": ["nick", {"join": ["first", {"path": ["n", "last"]}]}],
        "email": {"from": "email", "when": ["verified", {"path": ["acct", "ok"]}]},
        "image": {"path": ["images", 0, "url"]},
    }
    assert _map(
        spec, {"data": {"id": 7}, "first": "A", "n": {"last": "B"}, "email": "e", "images": [{"url": "u"}]}
    ) == {
        "id": "7",
        "name": "A B",
        "email": "e",
        "image": "u",
    }
    assert _map(spec, {"id": 1, "nick": "", "verified": False, "email": "e", "images": []}) == {
        "id": "1",
        "name": None,  # `"" or None`: the join found nothing
        "email": None,  # verified is false
        "image": None,
    }
    assert _map(spec, {"id": "x", "email": "e", "acct": {"ok": True}})["email"] == "e"
    with pytest.raises(KeyError):
        _map(spec, {"data": "not a dict"})  # as = "string": the id must be there
    assert _map({"image": {"from": "icon", "transform": "html_unescape"}}, {"icon": "a&amp;b"})["image"] == "a&b"
    assert _map({"id": "sub"}, ["not", "a", "dict"]) == {"id": None, "name": None, "email": None, "image": None}


@pytest.mark.parametrize(
    "spec",
    [
        {"login": "name"},  # not a user field
        {"id": {"pth": ["a"]}},  # unknown key
        {"id": {"transform": "nope"}},  # unknown transform
        {"id": []},  # no alternative
        {"id": 3},  # not a source
        {"id": {"as": "string"}},  # nothing to read
        {"id": {"path": ["data", "id"], "as": "string"}},  # path takes no other key (the `as` would be lost)
    ],
)
def test_bad_profile_specs_are_refused(spec: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="t"):
        compile_profile(spec, provider_id="t")
