"""``nextauth.toml``: the one source of truth of a project's auth setup.

Reading validates everything up front: TOML syntax (with line and column), unknown keys (naming the
closest valid one), value types and choices, provider kinds (with suggestions) and provider options
(against the runtime's own fields). Writing goes through tomlkit, so the user's comments and layout
survive ``add-provider`` and ``remove-provider``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast, get_args
from urllib.parse import urlsplit

from nextauth_cli import catalog
from nextauth_cli._protect import DEFAULT_PROTECT, PROTECT_FIX, parse_protect
from nextauth_cli.catalog import EnvVar, ProviderSpec
from nextauth_cli.errors import ConfigError, UnknownProviderError

if TYPE_CHECKING:
    import tomlkit.items
    from tomlkit import TOMLDocument

__all__ = [
    "CONFIG_NAME",
    "DEFAULT_BASE_PATH",
    "DEFAULT_DATABASE_URL",
    "DEFAULT_DEV_URL",
    "Answers",
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
]

CONFIG_NAME = "nextauth.toml"
DEFAULT_BASE_PATH = "/api/auth"
DEFAULT_DEV_URL = "http://localhost:3000"
DEFAULT_DATABASE_URL = "sqlite:///./nextauth.db"

Router = Literal["app", "pages"]
Mode = Literal["simple", "advanced"]
Strategy = Literal["jwt", "database"]
Level = Literal["error", "warning"]

CREDENTIALS_DATABASE_PROBLEM = (
    "credentials sign-ins only work with JWT sessions: the credentials provider never creates a database "
    "session, so with database sessions a credentials sign-in would redirect as if it worked and leave the "
    "user signed out"
)
"""Why ``init``, ``add-provider``, ``generate`` and ``doctor`` refuse credentials with database sessions."""

_TOP_KEYS = (
    "router",
    "mode",
    "base_path",
    "urls",
    "session",
    "database",
    "cookies",
    "pages",
    "theme",
    "middleware",
    "providers",
)
_TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "urls": ("development", "production"),
    "session": ("strategy", "max_age", "update_age"),
    "database": ("url",),
    "cookies": ("domain",),
    "pages": ("sign_in", "sign_out", "error", "verify_request", "new_user"),
    "theme": ("color_scheme", "logo", "brand_color", "button_text"),
    "middleware": ("protect",),
}
_PROVIDER_RESERVED = ("kind", "env")
_PROVIDER_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")
_HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_BASE_PATH = re.compile(r"(/(?!\.{1,2}(?:/|$))[A-Za-z0-9._~-]+)+")
"""``/api/auth``: URL path segments, never ``.`` or ``..`` (the route file's folders come from it)."""
_LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
MAX_TEXT = 2048
"""The longest URL, name or path nextauth.toml may hold (a bound on what is rendered from it)."""


@dataclass(frozen=True, kw_only=True)
class ProviderConfig:
    """One ``[providers.<id>]`` table: its catalog ``kind``, literal ``options`` and env var names."""

    id: str
    kind: str
    options: Mapping[str, Any] = field(default_factory=dict)
    env: Mapping[str, str] = field(default_factory=dict)
    """Overrides of the catalog's variable names, by keyword argument (``client_id = "GH_ID"``)."""

    @property
    def spec(self) -> ProviderSpec:
        return catalog.get(self.kind)

    @property
    def name(self) -> str:
        name = self.options.get("name")
        if isinstance(name, str) and name:
            return name
        if self.id == self.spec.id:
            return self.spec.name
        return self.id.replace("-", " ").replace("_", " ").title()

    def env_vars(self) -> list[tuple[EnvVar, str]]:
        """The variables this provider reads, with their names; literal options replace their variable."""
        spec = self.spec
        if spec.type == "credentials":
            prefix = spec.prefix if self.id == spec.id else f"AUTH_{catalog.env_prefix(self.id)}"
            return [(var, var.name(prefix)) for var in spec.env]
        out = []
        for var, name in spec.env_vars(self.id):
            if var.kwarg in self.options:
                continue
            out.append((var, self.env.get(var.kwarg, name)))
        return out

    def redirect_uri(self, origin: str, base_path: str) -> str:
        return f"{origin.rstrip('/')}{base_path}/callback/{self.id}"


@dataclass(frozen=True, kw_only=True)
class ProjectConfig:
    """A validated ``nextauth.toml``."""

    router: Router = "app"
    mode: Mode = "simple"
    base_path: str = DEFAULT_BASE_PATH
    dev_url: str = DEFAULT_DEV_URL
    production_url: str | None = None
    session_strategy: Strategy = "jwt"
    session_max_age: int | None = None
    session_update_age: int | None = None
    database: bool = False
    database_url: str | None = None
    cookie_domain: str | None = None
    pages: Mapping[str, str] = field(default_factory=dict)
    theme: Mapping[str, str] = field(default_factory=dict)
    providers: tuple[ProviderConfig, ...] = ()
    protect: tuple[str, ...] | None = None
    """``[middleware] protect``: matchers only signed-in users may open; ``None`` without the section
    (a project from before route protection: no middleware.py, no starter pages)."""

    def provider(self, provider_id: str) -> ProviderConfig | None:
        return next((p for p in self.providers if p.id == provider_id), None)

    @property
    def oauth_providers(self) -> list[ProviderConfig]:
        return [p for p in self.providers if p.spec.is_oauth]

    def nextauth_url(self, origin: str) -> str:
        """``NEXTAUTH_URL`` for a site at ``origin``: the base path is part of it only when it is not the default."""
        origin = origin.rstrip("/")
        return origin if self.base_path == DEFAULT_BASE_PATH else f"{origin}{self.base_path}"


@dataclass(frozen=True)
class Problem:
    """A semantic problem of a configuration (what doctor reports, what generate refuses on errors)."""

    level: Level
    code: str
    message: str
    fix: str


@dataclass(kw_only=True)
class Answers:
    """What `nextauth init` asks (each answer is also a flag); the defaults are `--yes`'s."""

    router: Router = "app"
    mode: Mode = "simple"
    providers: Sequence[str] = ("credentials",)
    session: Strategy = "jwt"
    database_url: str | None = None
    url: str = DEFAULT_DEV_URL
    production_url: str | None = None
    cookie_domain: str | None = None
    base_path: str = DEFAULT_BASE_PATH
    redirect_callback: bool = False
    protect: Sequence[str] = DEFAULT_PROTECT


# ----------------------------------------------------------------------------------------------- reading
def load_config(project: Path) -> ProjectConfig:
    """Read and validate ``<project>/nextauth.toml``."""
    path = project / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"no {CONFIG_NAME} in {project}",
            fix="run `nextauth init` there first (or pass the project directory)",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    return parse_config(text, source=str(path))


def parse_document(text: str, *, source: str = CONFIG_NAME) -> TOMLDocument:
    import tomlkit
    from tomlkit.exceptions import ParseError

    try:
        return tomlkit.parse(text)
    except ParseError as exc:
        lines = text.splitlines()
        shown = lines[exc.line - 1] if 0 < exc.line <= len(lines) else ""
        message = str(exc).split(" at line ")[0]
        pointer = f"\n    {shown}\n    {' ' * exc.col}^" if shown else ""
        raise ConfigError(
            f"{source}:{exc.line}:{exc.col + 1}: invalid TOML: {message}{pointer}",
            fix="correct the TOML syntax at that line and column (https://toml.io/en/v1.0.0)",
        ) from None


def parse_config(text: str, *, source: str = CONFIG_NAME) -> ProjectConfig:
    """Validate a ``nextauth.toml`` text into a :class:`ProjectConfig`; :class:`ConfigError` otherwise."""
    doc = parse_document(text, source=source)
    data: dict[str, Any] = doc.unwrap()
    where = _Locator(text, source)
    for key, found in _walk_strings(data, ""):
        if _SURROGATE.search(found):  # undecodable bytes from the command line: they cannot be written back
            shown = key.lstrip(".").encode("utf-8", "backslashreplace").decode("utf-8")
            raise where.error(shown.rsplit(".", 1)[-1], f"`{shown}` contains bytes that are not UTF-8")
    _check_keys(data, _TOP_KEYS, "", where)
    for table, keys in _TABLE_KEYS.items():
        value = data.get(table)
        if value is None:
            continue
        if not isinstance(value, dict):
            raise where.error(table, f"`{table}` must be a table ([{table}])")
        _check_keys(value, keys, f"{table}.", where)

    router = _choice(data, "router", get_args(Router), "app", where)
    mode = _choice(data, "mode", get_args(Mode), "simple", where)
    base_path = _base_path(data.get("base_path", DEFAULT_BASE_PATH), where)
    urls = data.get("urls", {})
    dev_url = _origin(urls.get("development", DEFAULT_DEV_URL), "urls.development", where)
    production = urls.get("production")
    production_url = _origin(production, "urls.production", where) if production else None
    session = data.get("session", {})
    strategy = _choice(session, "strategy", get_args(Strategy), "jwt", where, prefix="session.")
    max_age = _positive_int(session.get("max_age"), "session.max_age", where)
    update_age = _positive_int(session.get("update_age"), "session.update_age", where)
    database = data.get("database")
    database_url = None
    if database is not None:
        url = database.get("url")
        problem = database_url_problem(url) if url is not None else None
        if problem:
            raise where.error("url", f"`database.url` {problem}")
        database_url = url or None
    cookie_domain = data.get("cookies", {}).get("domain")
    if cookie_domain is not None:
        cookie_domain = normalise_cookie_domain(cookie_domain, where=where)
    pages = _strings(data.get("pages", {}), "pages", where)
    for key, value in pages.items():
        if not (value.startswith("/") or value.startswith(("http://", "https://"))):
            raise where.error(key, f"`pages.{key}` must be a path such as /auth/signin (or an absolute URL)")
    theme = _strings(data.get("theme", {}), "theme", where)
    if "color_scheme" in theme and theme["color_scheme"] not in ("auto", "dark", "light"):
        raise where.error("color_scheme", '`theme.color_scheme` must be "auto", "dark" or "light"')

    providers_table = data.get("providers", {})
    if not isinstance(providers_table, dict):
        raise where.error("providers", "`providers` must be a table of tables: [providers.github]")
    providers = tuple(_provider(pid, value, where) for pid, value in providers_table.items())
    protect = None
    if "middleware" in data:
        try:
            protect = parse_protect(data["middleware"].get("protect", []))
        except ValueError as exc:
            raise where.error("protect", str(exc), fix=PROTECT_FIX) from None
    return ProjectConfig(
        router=cast(Router, router),
        mode=cast(Mode, mode),
        base_path=base_path,
        dev_url=dev_url,
        production_url=production_url,
        session_strategy=cast(Strategy, strategy),
        session_max_age=max_age,
        session_update_age=update_age,
        database=database is not None,
        database_url=database_url,
        cookie_domain=cookie_domain,
        pages=pages,
        theme=theme,
        providers=providers,
        protect=protect,
    )


class _Locator:
    """Finds the line of a key in the source text, for error messages."""

    def __init__(self, text: str, source: str) -> None:
        self.lines = text.splitlines()
        self.source = source

    def line_of(self, key: str) -> int | None:
        pattern = re.compile(rf"^\s*(?:\[[^\]]*\b{re.escape(key)}\b[^\]]*\]|[\"']?{re.escape(key)}[\"']?\s*=)")
        for number, line in enumerate(self.lines, 1):
            if pattern.search(line):
                return number
        return None

    def error(self, key: str, message: str, *, fix: str | None = None) -> ConfigError:
        line = self.line_of(key.rsplit(".", 1)[-1])
        where = f"{self.source}:{line}" if line else self.source
        return ConfigError(f"{where}: {message}", fix=fix)


def _check_keys(data: Mapping[str, Any], valid: Sequence[str], prefix: str, where: _Locator) -> None:
    for key in data:
        if key in valid:
            continue
        close = difflib.get_close_matches(key, valid, n=1, cutoff=0.5)
        fix = f"did you mean `{prefix}{close[0]}`?" if close else f"valid keys here: {', '.join(valid)}"
        raise where.error(key, f"unknown key `{prefix}{key}`", fix=fix)


def _choice(
    data: Mapping[str, Any], key: str, choices: Sequence[str], default: str, where: _Locator, prefix: str = ""
) -> str:
    value = data.get(key, default)
    if value not in choices:
        close = difflib.get_close_matches(str(value), choices, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise where.error(
            key,
            f"`{prefix}{key}` must be {' or '.join(repr(c) for c in choices)}, not {value!r}",
            fix=f"{hint}set {prefix}{key} = {choices[0]!r} (or another of the choices above)",
        )
    return str(value)


def _positive_int(value: Any, key: str, where: _Locator) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise where.error(key, f"`{key}` must be a positive number of seconds, not {value!r}")
    return value


def _strings(value: Any, table: str, where: _Locator) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, item in dict(value).items():
        if not isinstance(item, str):
            raise where.error(key, f"`{table}.{key}` must be a string, not {item!r}")
        problem = text_problem(item)
        if problem:
            raise where.error(key, f"`{table}.{key}` {problem}")
        out[key] = item
    return out


def base_path_problem(value: Any) -> str | None:
    """What ``value`` should be when it is not a base path (URL segments, no ``.``/``..``), else ``None``."""
    if not isinstance(value, str) or len(value) > 256 or not _BASE_PATH.fullmatch(value):
        return f"a URL path such as {DEFAULT_BASE_PATH!r} (no trailing slash, no '.' or '..' segment)"
    return None


def text_problem(value: str) -> str | None:
    """Why a one-line value (a URL, a name, a path) cannot be written into the project's files, or ``None``."""
    if len(value) > MAX_TEXT:
        return f"is longer than {MAX_TEXT} characters"
    found = _LINE_BREAKING.search(value)
    if found:
        char = found.group()
        what = "undecodable bytes" if _SURROGATE.match(char) else f"a control character ({char!r})"
        return f"contains {what}: it must be one line of text"
    return None


def database_url_problem(value: Any) -> str | None:
    """Why ``value`` is not a database URL nextauth can write into nextauth.toml, .env files and Python."""
    if not isinstance(value, str) or "://" not in value:
        return "must be a database URL such as sqlite:///./nextauth.db"
    problem = text_problem(value)
    if problem:
        return problem
    if re.search(r"\s", value):
        return "contains white space (percent-encode it in a URL: %20)"
    if "${" in value:
        return "contains ${, which .env files expand as a variable (write $ as %24)"
    return None


def _walk_strings(value: Any, path: str) -> Iterable[tuple[str, str]]:
    """Every string (keys included) inside a TOML value, with the dotted key it sits at."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield f"{path}.{key}", str(key)
            yield from _walk_strings(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _walk_strings(item, f"{path}[{index}]")


def _base_path(value: Any, where: _Locator) -> str:
    if base_path_problem(value) is not None:
        raise where.error(
            "base_path",
            f"`base_path` must be {base_path_problem(value)}, not {value!r}",
        )
    return str(value)


def check_origin(value: Any, what: str) -> str:
    """``value`` as a normalised origin (``scheme://host[:port]``); ``ValueError`` naming ``what`` otherwise."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be a URL such as https://app.example.com")
    problem = text_problem(value)
    if problem:  # urlsplit would silently drop a tab or a line break: refuse them instead
        raise ValueError(f"{what} {problem}")
    text = value.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise ValueError(f"{what} is not a valid URL: {text!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{what} must start with http:// or https:// and name a host, not {text!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(
            f"{what} must be the site's origin only (scheme, host and port), not {text!r}: "
            "the auth base path is `base_path` in nextauth.toml"
        )
    host = parts.hostname.lower()
    ipv6 = ":" in host and re.fullmatch(r"[0-9a-f:.]+", host) is not None
    if not ipv6 and not all(ch.isalnum() or ch in "-._" for ch in host):
        raise ValueError(f"{what} has a host name with characters a host cannot have: {text!r}")
    shown = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{shown}" + (f":{port}" if port is not None else "")


def _origin(value: Any, key: str, where: _Locator) -> str:
    try:
        return check_origin(value, f"`{key}`")
    except ValueError as exc:
        raise where.error(key.rsplit(".", maxsplit=1)[-1], str(exc)) from None


def normalise_cookie_domain(value: Any, *, where: _Locator | None = None) -> str:
    """``.Example.com`` → ``example.com``; refuses single labels (``localhost``, ``com``) and IP addresses."""
    text = str(value).strip().lower().lstrip(".") if isinstance(value, str) else ""
    labels = text.split(".")
    ok = len(labels) >= 2 and all(_HOST_LABEL.fullmatch(label) for label in labels) and not labels[-1].isdigit()
    if not ok:
        message = (
            f"cookie domain {value!r} cannot be shared: use a registered domain such as example.com "
            "(not localhost, an IP address or a single label)"
        )
        if where is not None:
            raise where.error("domain", message)
        raise ValueError(message)
    return text


def host_in_domain(host: str, domain: str) -> bool:
    host = host.lower().rstrip(".")
    return host == domain or host.endswith("." + domain)


def _provider(pid: str, value: Any, where: _Locator) -> ProviderConfig:
    if not _PROVIDER_ID.fullmatch(pid):
        raise where.error(
            pid,
            f"provider id {pid!r} must be lower-case letters, digits, '-' or '_' (it is part of URLs)",
        )
    if not isinstance(value, dict):
        raise where.error(pid, f"`providers.{pid}` must be a table: [providers.{pid}]")
    kind = value.get("kind", pid)
    try:
        spec = catalog.get(str(kind))
    except UnknownProviderError as exc:
        key = "kind" if "kind" in value else pid
        raise where.error(key, f"provider `{pid}`: {exc.message}", fix=exc.fix) from None
    env = value.get("env", {})
    if not isinstance(env, dict):
        raise where.error("env", f'`providers.{pid}.env` must be a table such as {{ client_id = "MY_ID" }}')
    env_kwargs = [var.kwarg for var in spec.env if var.kwarg]
    for key, name in env.items():
        if key not in env_kwargs:
            _check_keys({key: name}, env_kwargs or ["(none)"], f"providers.{pid}.env.", where)
        if not isinstance(name, str) or not _ENV_NAME.fullmatch(name):
            raise where.error(key, f"`providers.{pid}.env.{key}` must be an environment variable name such as MY_ID")
    options = {k: v for k, v in value.items() if k not in _PROVIDER_RESERVED}
    name = options.get("name")
    if name is not None and (not isinstance(name, str) or text_problem(name)):
        problem = text_problem(name) if isinstance(name, str) else "must be a string"
        raise where.error(
            "name",
            f"`providers.{pid}.name` {problem}",
            fix="the display name is one line of text (it goes into the sign-in page and .env comments)",
        )
    if "from" in options and spec.type == "email":
        options["from_"] = options.pop("from")
    valid = provider_option_names(spec)
    for key in options:
        if key not in valid:
            close = difflib.get_close_matches(key, sorted(valid), n=1, cutoff=0.6)
            fix = f"did you mean `{close[0]}`?" if close else f"valid options for {spec.id}: {', '.join(sorted(valid))}"
            raise where.error(key, f"unknown option `providers.{pid}.{key}` for a {spec.id} provider", fix=fix)
    if spec.id == "oauth" and not any(k in options for k in ("well_known", "authorization", "issuer")):
        raise where.error(
            pid,
            f"provider `{pid}` (generic oauth) has no endpoints",
            fix='set well_known = "https://.../.well-known/openid-configuration" or authorization, token and '
            "userinfo URLs in its table",
        )
    return ProviderConfig(id=pid, kind=spec.id, options=options, env=dict(env))


def provider_option_names(spec: ProviderSpec) -> set[str]:
    """The keys a ``[providers.<id>]`` table may set for this kind: the runtime's own fields."""
    import dataclasses
    import importlib
    import inspect

    if spec.type == "credentials":
        from nextauth.providers.credentials import CredentialsProvider

        return {f.name for f in dataclasses.fields(CredentialsProvider)} - {"id", "type", "authorize"}
    if spec.type == "email":
        from nextauth.providers.email import EmailProvider

        hidden = {"id", "type", "secret", "generate_verification_token", "normalize_identifier"}
        return {f.name for f in dataclasses.fields(EmailProvider)} - hidden - {"send_verification_request"}
    from nextauth.providers.oauth import OAuthProvider

    names = {f.name for f in dataclasses.fields(OAuthProvider)} - {"id", "type", "profile"}
    if spec.factory != "OAuthProvider":
        factory = getattr(importlib.import_module(f"nextauth.providers.{spec.module}"), spec.factory)
        params = inspect.signature(factory).parameters.values()
        names |= {p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY} - {"id"}
    return names


# ----------------------------------------------------------------------------------------------- semantics
def config_problems(config: ProjectConfig) -> list[Problem]:
    """What cannot work (``error``) or will probably surprise (``warning``), each with its fix."""
    problems: list[Problem] = []
    types = [p.spec.type for p in config.providers]
    if not config.providers:
        problems.append(
            Problem(
                "error",
                "no-providers",
                "no provider is configured",
                "`nextauth add-provider credentials` (or another id from `nextauth providers`)",
            )
        )
    ids = [p.id for p in config.providers]
    if config.session_strategy == "database" and "credentials" in types:
        # next-auth refuses only credentials alone; beside other providers its sign-in "succeeds" with no session.
        problems.append(
            Problem(
                "error",
                "credentials-database",
                CREDENTIALS_DATABASE_PROBLEM,
                'set [session] strategy = "jwt" in nextauth.toml and run `nextauth generate` (the database keeps '
                "the other providers' users and accounts), or `nextauth remove-provider "
                f"{next(p.id for p in config.providers if p.spec.type == 'credentials')}`",
            )
        )
    if config.session_strategy == "database" and not config.database:
        problems.append(
            Problem(
                "error",
                "database-missing",
                'session strategy "database" needs a database',
                f'add [database] with url = "{DEFAULT_DATABASE_URL}" (or set DATABASE_URL) to nextauth.toml',
            )
        )
    if "email" in types and not config.database:
        problems.append(
            Problem(
                "error",
                "email-without-database",
                "the email provider needs a database for its verification tokens",
                f'add [database] with url = "{DEFAULT_DATABASE_URL}" (or set DATABASE_URL) to nextauth.toml',
            )
        )
    if config.cookie_domain and config.production_url:
        host = urlsplit(config.production_url).hostname or ""
        if not host_in_domain(host, config.cookie_domain):
            problems.append(
                Problem(
                    "error",
                    "cookie-domain",
                    f"cookies.domain {config.cookie_domain!r} does not contain the production host {host!r}: "
                    "browsers would refuse the session cookie",
                    f"set cookies.domain to {_parent_domain(host)!r} (or remove it)",
                )
            )
    if config.cookie_domain and not config.production_url:
        problems.append(
            Problem(
                "warning",
                "cookie-domain",
                "cookies.domain is set but urls.production is not: the shared cookie applies only when "
                "NEXTAUTH_URL is on that domain",
                "set urls.production (e.g. https://app.example.com)",
            )
        )
    if config.production_url:
        parts = urlsplit(config.production_url)
        if parts.scheme != "https" and not _is_loopback(parts.hostname or ""):
            problems.append(
                Problem(
                    "error",
                    "production-http",
                    f"urls.production {config.production_url!r} is plain http: session cookies would travel "
                    "unencrypted and lose their Secure flag",
                    "serve production over https and set urls.production to the https:// URL",
                )
            )
    if len(set(ids)) != len(ids):  # pragma: no cover - TOML tables cannot repeat a key
        problems.append(Problem("error", "duplicate-provider", "a provider id appears twice", "rename one of them"))
    problems.extend(_provider_problems(config))
    return problems


def _provider_problems(config: ProjectConfig) -> list[Problem]:
    """Build each provider with placeholder credentials: the runtime's own checks on literal options."""
    from nextauth.errors import NextAuthError

    problems = []
    for provider in config.providers:
        try:
            build_provider_for_check(provider)
        except NextAuthError as exc:
            problems.append(
                Problem(
                    "error",
                    "provider-option",
                    f"provider `{provider.id}`: {exc}",
                    f"correct [providers.{provider.id}] in nextauth.toml",
                )
            )
        except (TypeError, ValueError) as exc:
            problems.append(
                Problem(
                    "error",
                    "provider-option",
                    f"provider `{provider.id}`: invalid option: {exc}",
                    f"correct [providers.{provider.id}] in nextauth.toml",
                )
            )
    return problems


def build_provider_for_check(provider: ProviderConfig) -> Any:
    """The runtime provider this config describes, with placeholder values for its env variables."""
    import importlib

    spec = provider.spec
    module = importlib.import_module(f"nextauth.providers.{spec.module}")
    factory = getattr(module, spec.factory)
    kwargs: dict[str, Any] = dict(provider.options)
    for var, _name in provider.env_vars():
        if var.kwarg:
            kwargs[var.kwarg] = var.example or var.default or "placeholder"
    if spec.type == "credentials":
        kwargs.setdefault("id", provider.id)
        return factory(**kwargs)
    if spec.type == "email":
        kwargs.setdefault("id", provider.id)
        return factory(**kwargs)
    if spec.id == "oauth":
        from nextauth.providers.oauth import make_oauth_provider

        return make_oauth_provider({"id": provider.id, "name": provider.name, "type": "oauth"}, kwargs)
    if provider.id != spec.id:
        kwargs["id"] = provider.id
    return factory(**kwargs)


def _is_loopback(host: str) -> bool:
    return host in ("localhost", "127.0.0.1", "::1") or host.endswith(".localhost")


def _parent_domain(host: str) -> str:
    labels = host.split(".")
    return ".".join(labels[-2:]) if len(labels) >= 2 else host


# ----------------------------------------------------------------------------------------------- writing
_HEADER = """\
nextauth.toml: the one source of truth of this project's auth setup.
Change it (by hand, or with `nextauth add-provider` / `nextauth remove-provider`), then run
`nextauth generate`: the route file, auth_options.py and .env.example follow, and your own
edits to them are kept. `nextauth doctor` checks the whole setup. Reference: docs/cli.md."""


def new_document(answers: Answers) -> str:
    """A fresh, commented ``nextauth.toml`` for ``answers`` (validated by the caller)."""
    import tomlkit

    doc = tomlkit.document()
    for line in _HEADER.splitlines():
        doc.add(tomlkit.comment(line))
    doc.add(tomlkit.nl())
    # Each comment stands above what it describes, as in a hand-written file.
    doc.add(
        tomlkit.comment('Route layout: "app" (app/…/route.py, GET and POST) or "pages" (pages/…/[...nextauth].py).')
    )
    doc.add("router", answers.router)
    doc.add(tomlkit.comment('"simple": NextAuth(auth_options); "advanced": your code runs before NextAuth.'))
    doc.add("mode", answers.mode)
    doc.add(tomlkit.comment("Where the auth routes live (NEXTAUTH_URL carries it when it is not /api/auth)."))
    doc.add("base_path", answers.base_path)

    urls = tomlkit.table()
    urls.add(tomlkit.comment("The development URL: NEXTAUTH_URL in .env.local."))
    urls.add("development", answers.url)
    urls.add(tomlkit.comment("Your public URL: NEXTAUTH_URL on the production server."))
    if answers.production_url:
        urls.add("production", answers.production_url)
    else:
        urls.add(tomlkit.comment('production = "https://app.example.com"'))
    doc.add(tomlkit.nl())
    doc.add("urls", urls)

    session = tomlkit.table()
    session.add(tomlkit.comment('"jwt" (an encrypted cookie, no database) or "database" (rows in [database]).'))
    session.add("strategy", answers.session)
    session.add(tomlkit.comment("Seconds a session lasts without activity (default: 30 days)."))
    session.add(tomlkit.comment("max_age = 2592000"))
    doc.add(tomlkit.nl())
    doc.add("session", session)

    if answers.session == "database" or "email" in answers.providers:
        database = tomlkit.table()
        if answers.database_url == "":
            database.add(tomlkit.comment("url: DATABASE_URL (in .env.local) holds it, with its password."))
        else:
            database.add(
                tomlkit.comment("DATABASE_URL in the environment wins; create the tables with `nextauth db init`.")
            )
            database.add("url", answers.database_url or DEFAULT_DATABASE_URL)
        doc.add(tomlkit.nl())
        doc.add("database", database)

    if answers.cookie_domain:
        cookies = tomlkit.table()
        cookies.add(tomlkit.comment("Share the session with every subdomain (only when NEXTAUTH_URL is on it)."))
        cookies.add("domain", answers.cookie_domain)
        doc.add(tomlkit.nl())
        doc.add("cookies", cookies)

    middleware = tomlkit.table()
    middleware.add(tomlkit.comment("Paths only signed-in users may open (Next.js matchers): middleware.py"))
    middleware.add(tomlkit.comment("sends everyone else to the sign-in page. [] protects nothing."))
    protect = tomlkit.array()
    protect.extend(answers.protect)
    middleware.add("protect", protect)
    doc.add(tomlkit.nl())
    doc.add("middleware", middleware)

    providers = tomlkit.table(is_super_table=True)
    for kind in answers.providers:
        spec = catalog.get(kind)
        providers.add(spec.id, _provider_table(spec, {}, None, comment=True))
    doc.add(tomlkit.nl())
    doc.add(tomlkit.comment("Sign-in providers, in the order of the sign-in page (`nextauth providers` lists all)."))
    doc.add("providers", providers)
    return tomlkit.dumps(doc)


def _provider_table(
    spec: ProviderSpec, options: Mapping[str, Any], kind: str | None, *, comment: bool
) -> tomlkit.items.Table:
    import tomlkit

    table = tomlkit.table()
    if comment:  # under the header, not beside it: the first line of the table says what it is
        table.add(tomlkit.comment(spec.name + (f": {spec.docs}" if spec.docs else "")))
    if kind:
        table.add("kind", kind)
    for key, value in options.items():
        table.add(key, _toml_value(value))
    return table


def _toml_value(value: Any) -> Any:
    import tomlkit

    if isinstance(value, Mapping):
        inline = tomlkit.inline_table()
        for key, item in value.items():
            inline.append(key, _toml_value(item))
        return inline
    if isinstance(value, list | tuple):
        array = tomlkit.array()
        array.extend(_toml_value(v) for v in value)
        return array
    return value


def add_provider_to_document(
    text: str, provider_id: str, kind: str, options: Mapping[str, Any], *, source: str = CONFIG_NAME
) -> str:
    """``text`` with a new ``[providers.<provider_id>]`` table (comments and layout kept)."""
    import tomlkit

    doc = parse_document(text, source=source)
    spec = catalog.get(kind)
    providers = doc.get("providers")
    if providers is None:
        providers = tomlkit.table(is_super_table=True)
        doc.add(tomlkit.nl())
        doc.add("providers", providers)
    if provider_id in providers:
        raise ConfigError(
            f"provider `{provider_id}` is already in {CONFIG_NAME}",
            fix=f"change [providers.{provider_id}] there, or add another with --id (e.g. --id {provider_id}-2)",
        )
    table = _provider_table(spec, options, spec.id if provider_id != spec.id else None, comment=True)
    providers.add(provider_id, table)
    return tomlkit.dumps(doc)


def remove_provider_from_document(text: str, provider_id: str, *, source: str = CONFIG_NAME) -> str:
    import tomlkit

    doc = parse_document(text, source=source)
    providers = doc.get("providers")
    if providers is None or provider_id not in providers:
        present = list(providers) if providers is not None else []
        close = difflib.get_close_matches(provider_id, present, n=1)
        hint = f"did you mean `{close[0]}`? " if close else ""
        listed = ", ".join(present) or "none"
        raise ConfigError(
            f"provider `{provider_id}` is not in {CONFIG_NAME}", fix=f"{hint}configured providers: {listed}"
        )
    del providers[provider_id]
    return tomlkit.dumps(doc)


def parse_option(raw: str) -> tuple[list[str], Any]:
    """``key=value`` from ``--option``: the value is read as a TOML value when it is one, else as a string.

    ``authorization.params.prompt=consent`` sets a nested key; ``checks=["pkce","state"]`` a list;
    ``id_token=true`` a boolean.
    """
    import tomlkit
    from tomlkit.exceptions import ParseError

    key, sep, value = raw.partition("=")
    key = key.strip()
    if not sep or not key or not all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part) for part in key.split(".")):
        raise ConfigError(
            f"--option {raw!r} is not key=value",
            fix='write e.g. --option issuer=https://id.example.com or --option \'checks=["pkce", "state"]\'',
        )
    value = value.strip()
    parsed: Any
    try:
        parsed = tomlkit.parse(f"v = {value}").unwrap()["v"] if value else ""
    except ParseError:
        parsed = value
    return key.split("."), parsed


def merge_options(pairs: Iterable[tuple[list[str], Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, value in pairs:
        node = out
        for part in path[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ConfigError(f"--option {'.'.join(path)} conflicts with --option {part}=...")
            node = child
        node[path[-1]] = value
    return out
