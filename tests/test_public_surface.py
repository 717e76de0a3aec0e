"""The public surface, pinned: what users import must not move or vanish by accident.

A module is public when its dotted name has no part starting with ``_`` and it declares ``__all__``. The pin
lists each such module of ``nextauth`` and ``nextauth_cli`` with its ``__all__``. Moving code behind these names is
free; changing the names is a decision: an issue that adds public API updates this pin in the same commit.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import nextauth
import nextauth_cli

PINNED: dict[str, list[str]] = {
    "nextauth": [
        "ApiRequest",
        "ApiResponse",
        "AuthOptions",
        "CallbacksOptions",
        "CookieOption",
        "CookiesOptions",
        "EventsOptions",
        "JWTOptions",
        "LoggerOptions",
        "NextAuth",
        "NextAuthHandler",
        "PagesOptions",
        "RouteContext",
        "SessionOptions",
        "ThemeOptions",
        "__version__",
        "get_server_session",
        "get_token",
    ],
    "nextauth.adapters": ["Adapter", "AdapterAccount", "AdapterSession", "AdapterUser", "VerificationToken"],
    "nextauth.adapters.memory": ["MemoryAdapter", "MemoryIntegrityError"],
    "nextauth.adapters.sqlalchemy": [
        "DEFAULT_URL",
        "IntegrityViolationError",
        "RecordNotFoundError",
        "SQLAlchemyAdapter",
        "SQLAlchemyAdapterError",
        "SchemaMissingError",
        "Tables",
        "UTCDateTime",
        "accounts",
        "create_schema",
        "database_url",
        "define_tables",
        "metadata",
        "sessions",
        "tables",
        "users",
        "verification_tokens",
    ],
    "nextauth.api": ["ApiRequest", "ApiResponse", "RouteContext"],
    "nextauth.env": ["optional", "require"],
    "nextauth.errors": [
        "AccountNotLinkedError",
        "AdapterError",
        "ConfigurationError",
        "InvalidCallbackUrlError",
        "InvalidProviderError",
        "JWEDecryptionFailedError",
        "JWEInvalidError",
        "JWTError",
        "JWTExpiredError",
        "MissingAPIRouteError",
        "MissingAdapterError",
        "MissingAdapterMethodsError",
        "MissingAuthorizeError",
        "MissingSecretError",
        "NextAuthError",
        "OAuthCallbackError",
        "OAuthProfileParseError",
        "UnsupportedStrategyError",
    ],
    "nextauth.jwt": ["DEFAULT_MAX_AGE", "decode", "encode", "get_token", "secrets_of"],
    "nextauth.options": [
        "AuthOptions",
        "CallbacksOptions",
        "CookieOption",
        "CookieOptions",
        "CookiesOptions",
        "EventsOptions",
        "JWTOptions",
        "LoggerOptions",
        "PagesOptions",
        "SessionOptions",
        "ThemeOptions",
    ],
    "nextauth.pages": ["render_error", "render_signin", "render_signout", "render_verify_request"],
    "nextauth.pages.error": ["render_error"],
    "nextauth.pages.signin": ["SIGNIN_ERRORS", "render_signin"],
    "nextauth.pages.signout": ["render_signout"],
    "nextauth.pages.verify_request": ["render_verify_request"],
    "nextauth.providers": [
        "AppleProvider",
        "AtlassianProvider",
        "Auth0Provider",
        "AuthentikProvider",
        "AzureADProvider",
        "BattleNetProvider",
        "BitbucketProvider",
        "CognitoProvider",
        "CredentialsProvider",
        "DiscordProvider",
        "DropboxProvider",
        "EmailProvider",
        "Endpoint",
        "FacebookProvider",
        "GitHubProvider",
        "GitLabProvider",
        "GoogleProvider",
        "HuggingFaceProvider",
        "KakaoProvider",
        "KeycloakProvider",
        "LineProvider",
        "LinkedInProvider",
        "MicrosoftEntraIDProvider",
        "OAuthProvider",
        "OIDCProvider",
        "OktaProvider",
        "OsuProvider",
        "PatreonProvider",
        "Provider",
        "ProviderStyle",
        "RedditProvider",
        "SlackProvider",
        "SpotifyProvider",
        "StravaProvider",
        "TwitchProvider",
        "TwitterProvider",
        "ZitadelProvider",
        "ZoomProvider",
    ],
    "nextauth.providers.apple": ["APPLE_AUDIENCE", "AppleProvider", "MAX_CLIENT_SECRET_AGE", "generate_client_secret"],
    "nextauth.providers.atlassian": ["AtlassianProvider"],
    "nextauth.providers.auth0": ["Auth0Provider"],
    "nextauth.providers.authentik": ["AuthentikProvider"],
    "nextauth.providers.azure_ad": [
        "AzureADProvider",
        "MicrosoftEntraIDProvider",
        "PHOTO_SIZES",
        "fetch_profile_photo",
    ],
    "nextauth.providers.battlenet": ["BattleNetProvider"],
    "nextauth.providers.bitbucket": ["BitbucketProvider"],
    "nextauth.providers.cognito": ["CognitoProvider"],
    "nextauth.providers.credentials": ["CredentialsProvider"],
    "nextauth.providers.discord": ["DiscordProvider", "avatar_url"],
    "nextauth.providers.dropbox": ["DropboxProvider"],
    "nextauth.providers.email": ["EmailProvider"],
    "nextauth.providers.facebook": ["FacebookProvider", "GRAPH_API_VERSION"],
    "nextauth.providers.github": ["GitHubProvider"],
    "nextauth.providers.gitlab": ["GitLabProvider"],
    "nextauth.providers.google": ["GoogleProvider"],
    "nextauth.providers.huggingface": ["HuggingFaceProvider"],
    "nextauth.providers.kakao": ["KakaoProvider"],
    "nextauth.providers.keycloak": ["KeycloakProvider"],
    "nextauth.providers.line": ["LineProvider"],
    "nextauth.providers.linkedin": ["LinkedInProvider"],
    "nextauth.providers.oauth": ["Endpoint", "OAuthProvider", "ProviderStyle", "make_oauth_provider", "oidc_profile"],
    "nextauth.providers.oidc": ["OIDCProvider"],
    "nextauth.providers.okta": ["OktaProvider"],
    "nextauth.providers.osu": ["OsuProvider"],
    "nextauth.providers.patreon": ["PatreonProvider"],
    "nextauth.providers.reddit": ["RedditProvider"],
    "nextauth.providers.slack": ["SlackProvider"],
    "nextauth.providers.spotify": ["SpotifyProvider"],
    "nextauth.providers.strava": ["StravaProvider"],
    "nextauth.providers.twitch": ["TwitchProvider"],
    "nextauth.providers.twitter": ["TwitterProvider"],
    "nextauth.providers.zitadel": ["ZitadelProvider"],
    "nextauth.providers.zoom": ["ZoomProvider"],
    "nextauth.server": [
        "InvalidRouteError",
        "PROJECT_DIR_ENV",
        "ProjectError",
        "ProjectNotFoundError",
        "ProjectRoutes",
        "RouteConflictError",
        "RouteImportError",
        "auth_routes",
        "create_app",
        "create_app_from_env",
        "load_env_files",
        "main",
        "routes_from_project",
        "serve",
    ],
    "nextauth.session": ["get_server_session"],
    "nextauth_cli": [
        "Answers",
        "ProjectConfig",
        "Report",
        "Result",
        "__version__",
        "add_provider",
        "diagnose",
        "load_config",
        "regenerate",
        "remove_provider",
        "scaffold",
        "write_secret",
    ],
    "nextauth_cli.catalog": ["CATALOG", "EnvVar", "ProviderSpec", "env_prefix", "get", "suggest"],
    "nextauth_cli.config": [
        "Answers",
        "CONFIG_NAME",
        "DEFAULT_BASE_PATH",
        "DEFAULT_DATABASE_URL",
        "DEFAULT_DEV_URL",
        "Mode",
        "Problem",
        "ProjectConfig",
        "ProviderConfig",
        "Router",
        "Strategy",
        "add_provider_to_document",
        "config_problems",
        "load_config",
        "new_document",
        "parse_config",
        "parse_option",
        "remove_provider_from_document",
    ],
    "nextauth_cli.database": ["database_url", "init_database", "mask_url"],
    "nextauth_cli.doctor": ["Finding", "Report", "diagnose", "secret_strength"],
    "nextauth_cli.errors": [
        "CliError",
        "ConfigError",
        "ConflictError",
        "EXIT_ERROR",
        "EXIT_INTERRUPTED",
        "EXIT_OK",
        "EXIT_USAGE",
        "ProjectExistsError",
        "UnknownProviderError",
        "UsageError",
        "WriteError",
    ],
    "nextauth_cli.project": [
        "Result",
        "STATE_DIR",
        "add_provider",
        "conflict_error",
        "expected_layout",
        "project_state",
        "regenerate",
        "remove_provider",
        "scaffold",
        "validate_answers",
    ],
    "nextauth_cli.secret": ["write_secret"],
}


def _public_modules() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for package in (nextauth, nextauth_cli):
        found[package.__name__] = sorted(package.__all__)
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if any(part.startswith("_") for part in info.name.split(".")[1:]):
                continue
            module = importlib.import_module(info.name)
            names = getattr(module, "__all__", None)
            if names is not None:
                found[info.name] = sorted(names)
    return found


def test_the_public_modules_and_their_names_are_the_pinned_ones() -> None:
    found = _public_modules()
    assert sorted(found) == sorted(PINNED), "a public module appeared or vanished: update PINNED on purpose"
    for module, names in PINNED.items():
        assert found[module] == names, f"{module}.__all__ changed: update PINNED on purpose"


@pytest.mark.parametrize("module", sorted(PINNED))
def test_every_pinned_name_resolves(module: str) -> None:
    imported = importlib.import_module(module)
    for name in PINNED[module]:
        assert hasattr(imported, name), f"{module}.{name} is in __all__ but cannot be imported"
