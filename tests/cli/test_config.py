"""nextauth.toml: validation with precise messages, and edits that keep the user's comments."""

from __future__ import annotations

import pytest

from nextauth_cli.config import (
    Answers,
    add_provider_to_document,
    config_problems,
    merge_options,
    new_document,
    parse_config,
    parse_option,
    remove_provider_from_document,
)
from nextauth_cli.errors import ConfigError, UnknownProviderError

VALID = new_document(Answers(providers=["credentials", "github"]))


def test_the_generated_document_parses_back_to_the_answers() -> None:
    text = new_document(
        Answers(
            router="pages",
            mode="advanced",
            providers=["keycloak", "email"],
            session="database",
            database_url="postgresql://db/app",
            url="http://127.0.0.1:8000",
            production_url="https://auth.example.org",
            cookie_domain="example.org",
            base_path="/auth",
        )
    )
    config = parse_config(text)
    assert (config.router, config.mode, config.base_path) == ("pages", "advanced", "/auth")
    assert (config.dev_url, config.production_url) == ("http://127.0.0.1:8000", "https://auth.example.org")
    assert config.session_strategy == "database" and config.database_url == "postgresql://db/app"
    assert config.cookie_domain == "example.org"
    assert [p.id for p in config.providers] == ["keycloak", "email"]
    assert config.nextauth_url(config.dev_url) == "http://127.0.0.1:8000/auth"
    assert config_problems(config) == []


def test_invalid_toml_names_line_and_column() -> None:
    text = 'router = "app"\nmode = "simple\n'
    with pytest.raises(ConfigError) as info:
        parse_config(text, source="nextauth.toml")
    assert info.value.message.startswith("nextauth.toml:2:")
    assert "invalid TOML" in info.value.message
    assert 'mode = "simple' in info.value.message  # the offending line is shown, with a caret under it


@pytest.mark.parametrize(
    ("text", "message", "fix"),
    [
        pytest.param('routr = "app"\n', "nextauth.toml:1: unknown key `routr`", "did you mean `router`?", id="top"),
        pytest.param(
            '[session]\nstratgy = "jwt"\n',
            "nextauth.toml:2: unknown key `session.stratgy`",
            "did you mean `session.strategy`?",
            id="table",
        ),
        pytest.param(
            "[providers.github]\nclient_idd = 'x'\n",
            "unknown option `providers.github.client_idd`",
            "did you mean `client_id`?",
            id="provider-option",
        ),
        pytest.param(
            '[providers.github]\nenv = { client = "GH" }\n',
            "unknown key `providers.github.env.client`",
            "did you mean `providers.github.env.client_id`?",
            id="env",
        ),
    ],
)
def test_unknown_keys_name_the_closest_valid_one(text: str, message: str, fix: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(text, source="nextauth.toml")
    assert message in info.value.message
    assert info.value.fix == fix


def test_unknown_provider_suggests_close_ids() -> None:
    with pytest.raises(ConfigError) as info:
        parse_config("[providers.githib]\n")
    assert "unknown provider 'githib'" in info.value.message
    assert info.value.fix is not None and "did you mean 'github' or 'gitlab'?" in info.value.fix


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('router = "apps"\n', "`router` must be 'app' or 'pages', not 'apps'"),
        ('[urls]\ndevelopment = "localhost:3000"\n', "must start with http:// or https://"),
        ('[urls]\ndevelopment = "http://localhost:3000/api/auth"\n', "the site's origin only"),
        ('base_path = "/api/auth/"\n', "`base_path` must be a URL path"),
        ("[session]\nmax_age = -1\n", "`session.max_age` must be a positive number of seconds"),
        ('[cookies]\ndomain = "localhost"\n', "cookie domain 'localhost' cannot be shared"),
        ("[providers.Bad_Id]\nkind = 'github'\n", "provider id 'Bad_Id' must be lower-case"),
        ('[providers.sso]\nkind = "oauth"\n', "provider `sso` (generic oauth) has no endpoints"),
    ],
)
def test_bad_values_are_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=None) as info:
        parse_config(text)
    assert message in info.value.message


def test_semantic_problems_carry_their_fix() -> None:
    config = parse_config('[session]\nstrategy = "database"\n[providers.credentials]\n')
    codes = {p.code: p for p in config_problems(config)}
    assert codes["credentials-database"].level == "error"
    assert "JWT sessions" in codes["credentials-database"].message
    assert 'strategy = "jwt"' in codes["credentials-database"].fix
    assert codes["database-missing"].level == "error"
    email = parse_config("[providers.email]\n")
    assert [p.code for p in config_problems(email)] == ["email-without-database"]
    cookie = parse_config(
        '[urls]\nproduction = "https://app.other.net"\n[cookies]\ndomain = "example.com"\n[providers.github]\n'
    )
    problem = next(p for p in config_problems(cookie) if p.code == "cookie-domain")
    assert problem.level == "error" and "other.net" in problem.fix


def test_provider_options_are_checked_by_the_runtime() -> None:
    config = parse_config('[providers.keycloak]\nissuer = "https://kc.example.com"\n')
    problem = next(p for p in config_problems(config) if p.code == "provider-option")
    assert "is the server, not a realm" in problem.message


def test_adding_and_removing_providers_keeps_comments_and_layout() -> None:
    text = VALID.replace("[session]", "# my own note about sessions\n[session]")
    added = add_provider_to_document(text, "corp", "oidc", {"name": "Corp SSO", "authorization": {"params": {"x": 1}}})
    assert "# my own note about sessions" in added
    assert added.startswith(text.rstrip("\n"))  # nothing before the new table moved
    assert "[providers.corp]\n# OpenID Connect (any issuer)" in added  # the comment under the header
    assert 'kind = "oidc"' in added and 'name = "Corp SSO"' in added
    assert "authorization = {params = {x = 1}}" in added
    config = parse_config(added)
    assert [p.id for p in config.providers] == ["credentials", "github", "corp"]
    corp = config.provider("corp")
    assert corp is not None
    assert [name for _, name in corp.env_vars()] == ["CORP_CLIENT_ID", "CORP_CLIENT_SECRET", "CORP_ISSUER"]
    removed = remove_provider_from_document(added, "github")
    assert "# my own note about sessions" in removed
    assert [p.id for p in parse_config(removed).providers] == ["credentials", "corp"]


def test_adding_a_provider_twice_or_removing_an_absent_one_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"already in nextauth\.toml") as info:
        add_provider_to_document(VALID, "github", "github", {})
    assert info.value.fix is not None and "--id github-2" in info.value.fix
    with pytest.raises(ConfigError, match=r"`githb` is not in nextauth\.toml") as info:
        remove_provider_from_document(VALID, "githb")
    assert info.value.fix == "did you mean `github`? configured providers: credentials, github"
    with pytest.raises(UnknownProviderError):
        add_provider_to_document(VALID, "x", "not-a-provider", {})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("issuer=https://id.example.com", (["issuer"], "https://id.example.com")),
        ("id_token=true", (["id_token"], True)),
        ("max_age=3600", (["max_age"], 3600)),
        ('checks=["pkce", "state"]', (["checks"], ["pkce", "state"])),
        ('authorization.params.scope="openid email"', (["authorization", "params", "scope"], "openid email")),
        ("name=Corp SSO", (["name"], "Corp SSO")),
        ("empty=", (["empty"], "")),
    ],
)
def test_option_values_are_toml_when_they_can_be(raw: str, expected: tuple[list[str], object]) -> None:
    assert parse_option(raw) == expected


def test_options_merge_into_nested_tables() -> None:
    merged = merge_options([parse_option("authorization.params.scope=a"), parse_option("authorization.params.x=1")])
    assert merged == {"authorization": {"params": {"scope": "a", "x": 1}}}
    with pytest.raises(ConfigError, match="is not key=value"):
        parse_option("no-equals-sign")
