"""Configuration checks shared by every OAuth provider: issuers, URLs, credentials, endpoints."""

from __future__ import annotations

from typing import Any

import pytest
from providerkit import ISSUERS, build

from nextauth.errors import ConfigurationError, InvalidProviderError
from nextauth.providers import OAuthProvider
from nextauth.providers._validate import discovery_url, issuer_url, validate_oauth_provider

WK = "/.well-known/openid-configuration"
ISSUER_FACTORIES = sorted(ISSUERS)


# ------------------------------------------------------------------------------------------ issuers
@pytest.mark.parametrize("name", ISSUER_FACTORIES)
@pytest.mark.parametrize(
    ("issuer", "message"),
    [
        pytest.param(
            "dev-abc123.us.auth0.com",
            r"issuer must be an absolute https:// URL, got 'dev-abc123\.us\.auth0\.com'; did you mean 'https://dev-abc123\.us\.auth0\.com'\?",
            id="bare-host",
        ),
        pytest.param(
            "http://id.example.com/realms/x",
            r"issuer uses http:// \('http://id\.example\.com/realms/x'\); use https:// "
            r"\(plain http is accepted only for loopback: localhost, \*\.localhost, 127\.0\.0\.0/8 and \[::1\]",
            id="plain-http",
        ),
        pytest.param(
            "ftp://id.example.com/x",
            r"issuer must be an absolute https:// URL, got 'ftp://id\.example\.com/x', e\.g\. issuer='https://",
            id="other-scheme",
        ),
        pytest.param("https:///realms/x", r"issuer must be an absolute https:// URL", id="no-host"),
        pytest.param("https://id.example.com/x?tenant=1", r"issuer must not contain a \?query", id="query"),
        pytest.param("https://id.example.com/x#frag", r"issuer must not contain a #fragment", id="fragment"),
        pytest.param("", r"issuer is required: pass your issuer URL, e\.g\. issuer='https://", id="empty"),
        pytest.param("   ", r"issuer is required", id="blank"),
    ],
)
def test_bad_issuer_is_refused_with_the_fix(name: str, issuer: str, message: str) -> None:
    with pytest.raises(InvalidProviderError, match=message) as caught:
        build(name, issuer=issuer)
    assert str(caught.value).startswith("provider '")
    assert caught.value.code == "INVALID_PROVIDER_ERROR"


@pytest.mark.parametrize("name", ISSUER_FACTORIES)
def test_a_missing_issuer_is_a_clear_error(name: str) -> None:
    with pytest.raises(InvalidProviderError, match="issuer is required"):
        build(name, issuer=None)


@pytest.mark.parametrize("name", ISSUER_FACTORIES)
@pytest.mark.parametrize("host", ["localhost:8080", "127.0.0.1:8080", "[::1]:8080"])
def test_plain_http_is_allowed_on_loopback(name: str, host: str) -> None:
    provider = build(name, issuer=f"http://{host}/realms/dev/")
    assert provider.well_known == f"http://{host}/realms/dev{WK}"


@pytest.mark.parametrize("name", ISSUER_FACTORIES)
@pytest.mark.parametrize("suffix", ["", "/", WK, WK + "/"])
def test_no_doubled_slash_and_a_pasted_discovery_url_is_understood(name: str, suffix: str) -> None:
    issuer = "https://sso.example.com/realms/acme"
    provider = build(name, issuer=issuer + suffix)
    assert provider.well_known == issuer + WK
    assert "//" not in (provider.well_known or "").removeprefix("https://")


def test_the_issuer_keeps_its_trailing_slash() -> None:
    """Auth0's and authentik's issuers end with '/': the ID token's iss is compared with it."""
    assert build("Auth0Provider", issuer="https://t.eu.auth0.com/").issuer == "https://t.eu.auth0.com/"
    assert build("Auth0Provider", issuer="https://t.eu.auth0.com/").well_known == f"https://t.eu.auth0.com{WK}"


def test_the_error_names_an_overridden_id() -> None:
    with pytest.raises(InvalidProviderError, match=r"^provider 'corp-sso': issuer"):
        build("OIDCProvider", id="corp-sso", issuer="sso.corp.example")


def test_keycloak_issuer_must_be_a_realm() -> None:
    with pytest.raises(InvalidProviderError, match=r"is the server, not a realm: use the realm's URL, e\.g\. issuer="):
        build("KeycloakProvider", issuer="https://keycloak.example.com/")


def test_authentik_issuer_must_be_an_application() -> None:
    with pytest.raises(InvalidProviderError, match=r"is the server, not an application"):
        build("AuthentikProvider", issuer="https://authentik.example.com")


def test_cognito_issuer_is_not_the_login_domain() -> None:
    with pytest.raises(InvalidProviderError, match=r"domain of the managed login pages; the issuer is the user pool"):
        build("CognitoProvider", issuer="https://myapp.auth.eu-west-1.amazoncognito.com")


def test_issuer_helpers() -> None:
    assert discovery_url("https://a.example.com/") == f"https://a.example.com{WK}"
    assert discovery_url("https://a.example.com/x/") == f"https://a.example.com/x{WK}"
    assert issuer_url(f" https://a.example.com{WK} ", provider_id="p", example="e") == "https://a.example.com"


# ------------------------------------------------------------------------------------------ credentials
@pytest.mark.parametrize("name", ["DiscordProvider", "KeycloakProvider", "AppleProvider", "AzureADProvider"])
@pytest.mark.parametrize("value", ["", "  ", None])
def test_empty_client_id(name: str, value: Any) -> None:
    provider_id = build(name).id
    with pytest.raises(InvalidProviderError, match=rf"^provider '{provider_id}' \(.+\): client_id is empty: pass"):
        build(name, client_id=value)


@pytest.mark.parametrize("name", ["DiscordProvider", "OIDCProvider"])
def test_empty_client_secret(name: str) -> None:
    with pytest.raises(InvalidProviderError, match=r"client_secret is empty: .*'token_endpoint_auth_method': 'none'"):
        build(name, client_secret="")


def test_public_client_needs_no_secret() -> None:
    provider = build("KakaoProvider", client_secret="", client={"token_endpoint_auth_method": "none"})
    assert provider.client_secret == ""


def test_secrets_never_appear_in_errors() -> None:
    with pytest.raises(InvalidProviderError) as caught:
        build("DiscordProvider", client_secret="s3cr3t-value", client={"token_endpoint_auth_method": "private_key_jwt"})
    assert "s3cr3t-value" not in str(caught.value)
    assert "'client_secret_basic', 'client_secret_post', 'none'" in str(caught.value)


# ------------------------------------------------------------------------------------------ any OAuthProvider
def plain(**overrides: Any) -> OAuthProvider:
    options: dict[str, Any] = {
        "id": "corp",
        "name": "Corp",
        "client_id": "c",
        "client_secret": "s",
        "authorization": "https://sso.corp.example/authorize",
        "token": "https://sso.corp.example/token",
        "userinfo": "https://sso.corp.example/userinfo",
        **overrides,
    }
    return OAuthProvider(**options)


def test_a_complete_plain_provider_passes() -> None:
    validate_oauth_provider(plain())
    validate_oauth_provider(plain(authorization=None, token=None, well_known=f"https://sso.corp.example{WK}"))
    validate_oauth_provider(plain(token={"request": lambda **_: {"access_token": "x"}}, client_secret=None))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param({"id": ""}, r"id must be a non-empty URL path segment", id="empty-id"),
        pytest.param({"id": "corp/sso"}, r"id must be a non-empty URL path segment", id="slash-in-id"),
        pytest.param({"id": "corp sso"}, r"id must be a non-empty URL path segment", id="space-in-id"),
        pytest.param({"name": " "}, r"name is empty", id="empty-name"),
        pytest.param(
            {"authorization": None},
            r"no authorization endpoint: set authorization=\{'url': \.\.\.\} or well_known",
            id="no-authorize",
        ),
        pytest.param({"token": None}, r"no token endpoint: set token=\.\.\. or well_known", id="no-token"),
        pytest.param({"token": "http://sso.corp.example/token"}, r"token URL uses http://", id="http-token"),
        pytest.param(
            {"userinfo": "/userinfo"}, r"userinfo URL must be an absolute https:// URL", id="relative-userinfo"
        ),
        pytest.param(
            {"well_known": "sso.corp.example/.well-known/openid-configuration"},
            r"well_known must be an absolute https:// URL",
            id="bad-well-known",
        ),
        pytest.param({"jwks_endpoint": "http://keys.example"}, r"jwks_endpoint uses http://", id="http-jwks"),
        pytest.param({"issuer": "corp"}, r"issuer must be an absolute https:// URL", id="bad-issuer"),
        pytest.param({"profile": "not callable"}, r"profile must be a function", id="profile"),
    ],
)
def test_plain_provider_errors(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidProviderError, match=message):
        validate_oauth_provider(plain(**overrides))


def test_invalid_provider_error_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError):
        validate_oauth_provider(plain(client_id=""))
