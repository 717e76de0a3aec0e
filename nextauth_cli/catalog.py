"""The provider catalog: what `nextauth init`, `add-provider` and `providers` know about each provider.

The runtime (``nextauth.providers``) holds the behaviour; this catalog holds what a person setting a
provider up needs and the runtime does not: the environment variable names (NextAuth.js v4's docs:
``<P>_CLIENT_ID``/``<P>_CLIENT_SECRET``/``<P>_ISSUER``, GitHub ``GITHUB_ID``/``GITHUB_SECRET``), where to
register the app, the redirect URI, scopes, discovery or endpoints, and setup notes. Importing it is cheap.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

from nextauth_cli.errors import UnknownProviderError

__all__ = ["CATALOG", "EnvVar", "ProviderSpec", "env_prefix", "get", "suggest"]

Kind = Literal["oauth", "oidc", "credentials", "email"]


@dataclass(frozen=True, kw_only=True)
class EnvVar:
    """One environment variable a provider reads: ``<prefix><suffix>`` passed as ``kwarg``.

    ``default`` makes it optional (the generated code falls back to it); ``secret`` hides its value
    in `doctor` output.
    """

    kwarg: str
    suffix: str
    description: str
    default: str | None = None
    secret: bool = False
    example: str = ""

    def name(self, prefix: str) -> str:
        return f"{prefix}{self.suffix}"


@dataclass(frozen=True, kw_only=True)
class ProviderSpec:
    """A catalog entry. ``module``/``factory`` name the runtime's factory (``nextauth.providers.<module>``)."""

    id: str
    name: str
    type: Kind
    module: str
    factory: str
    prefix: str
    env: tuple[EnvVar, ...]
    scopes: str
    docs: str
    console: str
    discovery: str = ""
    """OIDC discovery URL; ``{issuer}`` / ``{tenant_id}`` stand for the configured values."""
    endpoints: tuple[tuple[str, str], ...] = ()
    """``(name, url)`` for plain OAuth 2 providers (authorization, token, userinfo)."""
    notes: str = ""
    takes_id: bool = True
    """Whether the factory accepts ``id=`` (for two providers of one kind)."""
    aliases: tuple[str, ...] = ()

    @property
    def is_oauth(self) -> bool:
        return self.type in ("oauth", "oidc")

    def env_vars(self, provider_id: str | None = None) -> tuple[tuple[EnvVar, str], ...]:
        """Each variable with its name for a provider of this kind with ``provider_id``."""
        prefix = self.prefix if provider_id in (None, self.id) else env_prefix(provider_id or self.id)
        return tuple((var, var.name(prefix)) for var in self.env)


def env_prefix(provider_id: str) -> str:
    """``my-corp`` → ``MY_CORP``: the prefix of a provider's variables when its id is not the catalog's."""
    return re.sub(r"[^0-9A-Za-z]+", "_", provider_id).strip("_").upper()


def _client(id_suffix: str = "_CLIENT_ID", secret_suffix: str = "_CLIENT_SECRET") -> tuple[EnvVar, EnvVar]:  # noqa: S107
    return (
        EnvVar(kwarg="client_id", suffix=id_suffix, description="OAuth client ID"),
        EnvVar(kwarg="client_secret", suffix=secret_suffix, description="OAuth client secret", secret=True),
    )


def _issuer(example: str, suffix: str = "_ISSUER") -> EnvVar:
    return EnvVar(kwarg="issuer", suffix=suffix, description="issuer URL (https)", example=example)


def _oauth2(
    pid: str,
    name: str,
    module: str,
    factory: str,
    *,
    scopes: str,
    endpoints: tuple[str, str, str],
    docs: str,
    console: str,
    notes: str = "",
    prefix: str | None = None,
    env: tuple[EnvVar, ...] | None = None,
) -> ProviderSpec:
    return ProviderSpec(
        id=pid,
        name=name,
        type="oauth",
        module=module,
        factory=factory,
        prefix=prefix or env_prefix(pid),
        env=env or _client(),
        scopes=scopes,
        endpoints=tuple(zip(("authorization", "token", "userinfo"), endpoints, strict=True)),
        docs=docs,
        console=console,
        notes=notes,
    )


def _oidc(
    pid: str,
    name: str,
    module: str,
    factory: str,
    *,
    scopes: str,
    discovery: str,
    docs: str,
    console: str,
    notes: str = "",
    prefix: str | None = None,
    env: tuple[EnvVar, ...] | None = None,
    aliases: tuple[str, ...] = (),
) -> ProviderSpec:
    return ProviderSpec(
        id=pid,
        name=name,
        type="oidc",
        module=module,
        factory=factory,
        prefix=prefix or env_prefix(pid),
        env=env or _client(),
        scopes=scopes,
        discovery=discovery,
        docs=docs,
        console=console,
        notes=notes,
        aliases=aliases,
    )


_WK = "/.well-known/openid-configuration"

_ENTRIES: tuple[ProviderSpec, ...] = (
    ProviderSpec(
        id="credentials",
        name="Credentials",
        type="credentials",
        module="credentials",
        factory="CredentialsProvider",
        prefix="AUTH_DEMO",
        env=(
            EnvVar(kwarg="", suffix="_USERNAME", description="demo user's name (auth_callbacks.py)"),
            EnvVar(kwarg="", suffix="_PASSWORD", description="demo user's password (auth_callbacks.py)", secret=True),
        ),
        scopes="",
        docs="https://next-auth.js.org/providers/credentials",
        console="",
        notes="Username and password checked by authorize() in auth_callbacks.py. The generated one accepts "
        "a single demo user from .env.local: replace it with your user store before production. "
        "Credentials sign-ins always use JWT sessions.",
        takes_id=True,
    ),
    ProviderSpec(
        id="email",
        name="Email",
        type="email",
        module="email",
        factory="EmailProvider",
        prefix="EMAIL",
        env=(
            EnvVar(
                kwarg="server",
                suffix="_SERVER",
                description="SMTP server URL",
                secret=True,
                example="smtp://user:password@smtp.example.com:587",
            ),
            EnvVar(kwarg="from_", suffix="_FROM", description="sender", example="My App <no-reply@example.com>"),
        ),
        scopes="",
        docs="https://next-auth.js.org/providers/email",
        console="",
        notes="Magic links by email (SMTP). Needs a database ([database] in nextauth.toml) for verification tokens.",
    ),
    ProviderSpec(
        id="oauth",
        name="OAuth 2 / OIDC (generic)",
        type="oauth",
        module="oauth",
        factory="OAuthProvider",
        prefix="OAUTH",
        env=_client(),
        scopes="(yours)",
        docs="https://next-auth.js.org/configuration/providers/oauth",
        console="",
        notes="Any OAuth 2 or OpenID Connect provider, written out field by field: give it an id (--id) and "
        "well_known=... or authorization/token/userinfo endpoints (--option).",
    ),
    _oidc(
        "apple",
        "Apple",
        "apple",
        "AppleProvider",
        scopes="name email",
        discovery="https://appleid.apple.com" + _WK,
        env=_client("_ID", "_SECRET"),
        docs="https://developer.apple.com/documentation/signinwithapple",
        console="https://developer.apple.com/account/resources/identifiers/list/serviceId",
        notes="https only, no localhost (use a tunnel in development). APPLE_SECRET is a client-secret JWT valid "
        "for at most 6 months: nextauth.providers.apple.generate_client_secret makes one.",
    ),
    _oauth2(
        "atlassian",
        "Atlassian",
        "atlassian",
        "AtlassianProvider",
        scopes="read:me",
        endpoints=(
            "https://auth.atlassian.com/authorize",
            "https://auth.atlassian.com/oauth/token",
            "https://api.atlassian.com/me",
        ),
        docs="https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/",
        console="https://developer.atlassian.com/console/myapps/",
        notes="Add the User identity API (read:me) permission.",
    ),
    _oidc(
        "auth0",
        "Auth0",
        "auth0",
        "Auth0Provider",
        scopes="openid email profile",
        discovery="{issuer}" + _WK,
        env=(*_client(), _issuer("https://dev-abc123.us.auth0.com")),
        docs="https://auth0.com/docs/authenticate/protocols/openid-connect-protocol",
        console="https://manage.auth0.com/",
        notes="A Regular Web Application; the issuer is your tenant domain with https://.",
    ),
    _oidc(
        "authentik",
        "authentik",
        "authentik",
        "AuthentikProvider",
        scopes="openid email profile",
        discovery="{issuer}" + _WK,
        env=(*_client("_ID", "_SECRET"), _issuer("https://authentik.example.com/application/o/my-app/")),
        docs="https://docs.goauthentik.io/docs/add-secure-apps/providers/oauth2/",
        console="your authentik admin interface → Applications → Providers",
        notes="The issuer is the application's URL (OpenID Configuration Issuer), not the server's.",
    ),
    _oidc(
        "azure-ad",
        "Microsoft Entra ID",
        "azure_ad",
        "AzureADProvider",
        scopes="openid profile email",
        discovery="https://login.microsoftonline.com/{tenant_id}/v2.0" + _WK,
        env=(
            *_client(),
            EnvVar(
                kwarg="tenant_id",
                suffix="_TENANT_ID",
                description="tenant: common, organizations, consumers or your tenant ID",
                default="common",
                example="common",
            ),
        ),
        docs="https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc",
        console="https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade",
        notes="Register the redirect URI as a Web platform URI. The profile photo is off by default "
        "(it bloats the session cookie).",
        aliases=("entra", "entra-id", "microsoft", "microsoft-entra-id", "azure"),
    ),
    _oidc(
        "battlenet",
        "Battle.net",
        "battlenet",
        "BattleNetProvider",
        scopes="openid",
        discovery="https://oauth.battle.net" + _WK,
        docs="https://community.developer.battle.net/documentation/guides/using-oauth",
        console="https://develop.battle.net/access/clients",
        notes="Battle.net shares no email address; China uses issuer=https://oauth.battlenet.com.cn.",
    ),
    _oauth2(
        "bitbucket",
        "Bitbucket",
        "bitbucket",
        "BitbucketProvider",
        scopes="account email",
        endpoints=(
            "https://bitbucket.org/site/oauth2/authorize",
            "https://bitbucket.org/site/oauth2/access_token",
            "https://api.bitbucket.org/2.0/user",
        ),
        docs="https://developer.atlassian.com/cloud/bitbucket/oauth-2/",
        console="https://bitbucket.org/account/settings/ (workspace settings → OAuth consumers)",
        notes="Give the consumer the Account: Email and Account: Read permissions.",
    ),
    _oidc(
        "cognito",
        "Amazon Cognito",
        "cognito",
        "CognitoProvider",
        scopes="openid",
        discovery="{issuer}" + _WK,
        env=(*_client(), _issuer("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI")),
        docs="https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-app-integration.html",
        console="https://console.aws.amazon.com/cognito/home",
        notes="The issuer is the user pool URL (cognito-idp.<region>.amazonaws.com/<pool id>), not the login "
        "domain; the app client needs a secret and the authorization code grant.",
    ),
    _oauth2(
        "discord",
        "Discord",
        "discord",
        "DiscordProvider",
        scopes="identify email",
        endpoints=(
            "https://discord.com/api/oauth2/authorize",
            "https://discord.com/api/oauth2/token",
            "https://discord.com/api/users/@me",
        ),
        docs="https://discord.com/developers/docs/topics/oauth2",
        console="https://discord.com/developers/applications",
        notes="Add the redirect URI under OAuth2 → Redirects.",
    ),
    _oauth2(
        "dropbox",
        "Dropbox",
        "dropbox",
        "DropboxProvider",
        scopes="account_info.read",
        endpoints=(
            "https://www.dropbox.com/oauth2/authorize",
            "https://api.dropboxapi.com/oauth2/token",
            "https://api.dropboxapi.com/2/users/get_current_account",
        ),
        docs="https://developers.dropbox.com/oauth-guide",
        console="https://www.dropbox.com/developers/apps",
        notes="Enable the account_info.read permission.",
    ),
    _oauth2(
        "facebook",
        "Facebook",
        "facebook",
        "FacebookProvider",
        scopes="email",
        endpoints=(
            "https://www.facebook.com/v25.0/dialog/oauth",
            "https://graph.facebook.com/v25.0/oauth/access_token",
            "https://graph.facebook.com/v25.0/me",
        ),
        docs="https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow",
        console="https://developers.facebook.com/apps/",
        notes="Add the redirect URI to Valid OAuth Redirect URIs.",
    ),
    _oauth2(
        "github",
        "GitHub",
        "github",
        "GitHubProvider",
        scopes="read:user user:email",
        endpoints=(
            "https://github.com/login/oauth/authorize",
            "https://github.com/login/oauth/access_token",
            "https://api.github.com/user",
        ),
        env=_client("_ID", "_SECRET"),
        docs="https://docs.github.com/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps",
        console="https://github.com/settings/developers",
        notes="An OAuth App has one callback URL: create one app per environment.",
    ),
    _oauth2(
        "gitlab",
        "GitLab",
        "gitlab",
        "GitLabProvider",
        scopes="read_user",
        endpoints=(
            "https://gitlab.com/oauth/authorize",
            "https://gitlab.com/oauth/token",
            "https://gitlab.com/api/v4/user",
        ),
        docs="https://docs.gitlab.com/api/oauth2/",
        console="https://gitlab.com/-/user_settings/applications",
        notes="Self-managed GitLab: --option base_url=https://gitlab.example.com.",
    ),
    _oidc(
        "google",
        "Google",
        "google",
        "GoogleProvider",
        scopes="openid email profile",
        discovery="https://accounts.google.com" + _WK,
        docs="https://developers.google.com/identity/openid-connect/openid-connect",
        console="https://console.cloud.google.com/apis/credentials",
        notes="Create an OAuth client ID of type Web application; add the URI to Authorized redirect URIs.",
    ),
    _oidc(
        "huggingface",
        "Hugging Face",
        "huggingface",
        "HuggingFaceProvider",
        scopes="openid profile email",
        discovery="https://huggingface.co" + _WK,
        docs="https://huggingface.co/docs/hub/oauth",
        console="https://huggingface.co/settings/connected-applications",
    ),
    _oauth2(
        "kakao",
        "Kakao",
        "kakao",
        "KakaoProvider",
        scopes="(app settings)",
        endpoints=(
            "https://kauth.kakao.com/oauth/authorize",
            "https://kauth.kakao.com/oauth/token",
            "https://kapi.kakao.com/v2/user/me",
        ),
        docs="https://developers.kakao.com/docs/latest/en/kakaologin/rest-api",
        console="https://developers.kakao.com/console/app",
        notes="KAKAO_CLIENT_ID is the REST API key; consent items are chosen in the app settings.",
    ),
    _oidc(
        "keycloak",
        "Keycloak",
        "keycloak",
        "KeycloakProvider",
        scopes="openid email profile",
        discovery="{issuer}" + _WK,
        env=(*_client("_ID", "_SECRET"), _issuer("https://keycloak.example.com/realms/myrealm")),
        docs="https://www.keycloak.org/docs/latest/server_admin/#_oidc_clients",
        console="your Keycloak admin console → Clients (Client authentication on)",
        notes="The issuer is the realm URL: https://<host>/realms/<realm>.",
    ),
    _oidc(
        "line",
        "LINE",
        "line",
        "LineProvider",
        scopes="openid profile",
        discovery="https://access.line.me" + _WK,
        docs="https://developers.line.biz/en/docs/line-login/integrate-line-login/",
        console="https://developers.line.biz/console/",
        notes="LINE_CLIENT_ID is the Channel ID, LINE_CLIENT_SECRET the Channel secret.",
    ),
    _oidc(
        "linkedin",
        "LinkedIn",
        "linkedin",
        "LinkedInProvider",
        scopes="openid profile email",
        discovery="https://www.linkedin.com/oauth" + _WK,
        docs="https://learn.microsoft.com/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2",
        console="https://www.linkedin.com/developers/apps",
        notes="Add the product 'Sign In with LinkedIn using OpenID Connect'; redirect URLs are on the Auth tab.",
    ),
    ProviderSpec(
        id="oidc",
        name="OpenID Connect (any issuer)",
        type="oidc",
        module="oidc",
        factory="OIDCProvider",
        prefix="OIDC",
        env=(*_client(), _issuer("https://id.example.com")),
        scopes="openid email profile",
        discovery="{issuer}" + _WK,
        docs="https://openid.net/specs/openid-connect-discovery-1_0.html",
        console="your identity provider's admin console",
        notes="Any OpenID Connect provider by its issuer; use --id to name it (one id per provider).",
    ),
    _oidc(
        "okta",
        "Okta",
        "okta",
        "OktaProvider",
        scopes="openid email profile",
        discovery="{issuer}" + _WK,
        env=(*_client(), _issuer("https://dev-123456.okta.com/oauth2/default")),
        docs="https://developer.okta.com/docs/guides/sign-into-web-app-redirect/",
        console="your Okta admin console → Applications (OIDC Web Application)",
    ),
    _oauth2(
        "osu",
        "osu!",
        "osu",
        "OsuProvider",
        scopes="identify",
        endpoints=(
            "https://osu.ppy.sh/oauth/authorize",
            "https://osu.ppy.sh/oauth/token",
            "https://osu.ppy.sh/api/v2/me",
        ),
        docs="https://osu.ppy.sh/docs/#authorization-code-grant",
        console="https://osu.ppy.sh/home/account/edit#oauth",
    ),
    _oauth2(
        "patreon",
        "Patreon",
        "patreon",
        "PatreonProvider",
        scopes="identity identity[email]",
        endpoints=(
            "https://www.patreon.com/oauth2/authorize",
            "https://www.patreon.com/api/oauth2/token",
            "https://www.patreon.com/api/oauth2/v2/identity",
        ),
        env=_client("_ID", "_SECRET"),
        docs="https://docs.patreon.com/#oauth",
        console="https://www.patreon.com/portal/registration/register-clients",
    ),
    _oauth2(
        "reddit",
        "Reddit",
        "reddit",
        "RedditProvider",
        scopes="identity",
        endpoints=(
            "https://www.reddit.com/api/v1/authorize",
            "https://www.reddit.com/api/v1/access_token",
            "https://oauth.reddit.com/api/v1/me",
        ),
        docs="https://github.com/reddit-archive/reddit/wiki/OAuth2",
        console="https://www.reddit.com/prefs/apps",
        notes="Create a 'web app'.",
    ),
    _oidc(
        "slack",
        "Slack",
        "slack",
        "SlackProvider",
        scopes="openid profile email",
        discovery="https://slack.com" + _WK,
        docs="https://docs.slack.dev/authentication/sign-in-with-slack/",
        console="https://api.slack.com/apps",
        notes="Redirect URLs are under OAuth & Permissions and must be https (use a tunnel in development).",
    ),
    _oauth2(
        "spotify",
        "Spotify",
        "spotify",
        "SpotifyProvider",
        scopes="user-read-email",
        endpoints=(
            "https://accounts.spotify.com/authorize",
            "https://accounts.spotify.com/api/token",
            "https://api.spotify.com/v1/me",
        ),
        docs="https://developer.spotify.com/documentation/web-api/tutorials/code-flow",
        console="https://developer.spotify.com/dashboard",
        notes="Spotify refuses localhost: register http://127.0.0.1:<port>/... and use that URL in development.",
    ),
    _oauth2(
        "strava",
        "Strava",
        "strava",
        "StravaProvider",
        scopes="read",
        endpoints=(
            "https://www.strava.com/oauth/authorize",
            "https://www.strava.com/oauth/token",
            "https://www.strava.com/api/v3/athlete",
        ),
        docs="https://developers.strava.com/docs/authentication/",
        console="https://www.strava.com/settings/api",
        notes="Strava checks only the Authorization Callback Domain.",
    ),
    _oidc(
        "twitch",
        "Twitch",
        "twitch",
        "TwitchProvider",
        scopes="openid user:read:email",
        discovery="https://id.twitch.tv/oauth2" + _WK,
        docs="https://dev.twitch.tv/docs/authentication/getting-tokens-oidc/",
        console="https://dev.twitch.tv/console/apps",
    ),
    _oauth2(
        "twitter",
        "X (Twitter)",
        "twitter",
        "TwitterProvider",
        scopes="users.read tweet.read offline.access",
        endpoints=(
            "https://twitter.com/i/oauth2/authorize",
            "https://api.twitter.com/2/oauth2/token",
            "https://api.twitter.com/2/users/me",
        ),
        docs="https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/authorization-code",
        console="https://developer.x.com/en/portal/dashboard",
        notes="Use the OAuth 2.0 client ID and secret (User authentication settings). X shares no email address.",
    ),
    _oidc(
        "zitadel",
        "ZITADEL",
        "zitadel",
        "ZitadelProvider",
        scopes="openid email profile",
        discovery="{issuer}" + _WK,
        env=(*_client(), _issuer("https://my-instance.zitadel.cloud")),
        docs="https://zitadel.com/docs/guides/integrate/login/oidc",
        console="your ZITADEL console → Projects → Applications (Web, code flow)",
    ),
    _oauth2(
        "zoom",
        "Zoom",
        "zoom",
        "ZoomProvider",
        scopes="(app settings)",
        endpoints=("https://zoom.us/oauth/authorize", "https://zoom.us/oauth/token", "https://api.zoom.us/v2/users/me"),
        docs="https://developers.zoom.us/docs/integrations/oauth/",
        console="https://marketplace.zoom.us/develop/create",
        notes="Add the redirect URI to the OAuth allow list too.",
    ),
)

CATALOG: dict[str, ProviderSpec] = {spec.id: spec for spec in _ENTRIES}
"""Every known provider kind, by id, in alphabetical order after credentials, email and oauth."""

_ALIASES: dict[str, str] = {alias: spec.id for spec in _ENTRIES for alias in spec.aliases}


def get(kind: str) -> ProviderSpec:
    """The catalog entry for ``kind`` (an id or an alias); :class:`UnknownProviderError` with suggestions."""
    key = kind.strip().lower()
    spec = CATALOG.get(key) or CATALOG.get(_ALIASES.get(key, ""))
    if spec is None:
        close = suggest(key)
        hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
        raise UnknownProviderError(
            f"unknown provider {kind!r}",
            fix=f"{hint}`nextauth providers` lists the {len(CATALOG)} known ids; any other OpenID Connect "
            "provider works as `oidc` (with --id and an issuer), any OAuth 2 provider as `oauth`",
        )
    return spec


def suggest(kind: str, *, n: int = 3) -> list[str]:
    """Close catalog ids for a mistyped ``kind``."""
    names = [*CATALOG, *_ALIASES]
    found = difflib.get_close_matches(kind.lower(), names, n=n, cutoff=0.6)
    out: list[str] = []
    for name in found:
        real = _ALIASES.get(name, name)
        if real not in out:
            out.append(real)
    return out
