"""Reading ``nextauth.toml``: TOML syntax (with line and column), unknown keys (naming the closest valid
one), value types and choices, provider kinds (with suggestions) and provider options (against the
provider data's option names)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast, get_args

from nextauth_cli import catalog
from nextauth_cli._config_model import (
    CONFIG_NAME,
    DEFAULT_BASE_PATH,
    DEFAULT_DEV_URL,
    Mode,
    ProjectConfig,
    ProviderConfig,
    Router,
    Strategy,
)
from nextauth_cli._config_values import (
    _SURROGATE,
    base_path_problem,
    check_origin,
    database_url_problem,
    normalise_cookie_domain,
    text_problem,
)
from nextauth_cli._protect import PROTECT_FIX, parse_protect
from nextauth_cli.catalog import ProviderSpec
from nextauth_cli.errors import ConfigError, UnknownProviderError

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

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
    "refresh_tokens",
    "rate_limit",
    "providers",
)
RATE_LIMIT_DEFAULTS: dict[str, int] = {
    "credentials_per_identifier": 5,
    "credentials_per_client": 20,
    "credentials_window": 900,
    "email_per_address": 3,
    "email_per_client": 10,
    "email_window": 900,
}
"""The runtime's defaults (nextauth.options.RateLimitOptions), shown as comments in a new nextauth.toml."""
RATE_LIMIT_KEYS = tuple(RATE_LIMIT_DEFAULTS)

_TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "urls": ("development", "production"),
    "session": ("strategy", "max_age", "update_age"),
    "database": ("url",),
    "cookies": ("domain",),
    "pages": ("sign_in", "sign_out", "error", "verify_request", "new_user"),
    "theme": ("color_scheme", "logo", "brand_color", "button_text"),
    "middleware": ("protect",),
    "refresh_tokens": ("enabled", "skew"),
    "rate_limit": ("enabled", *RATE_LIMIT_KEYS),
}
_PROVIDER_RESERVED = ("kind", "env")
_PROVIDER_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")


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
        try:
            cookie_domain = normalise_cookie_domain(cookie_domain)
        except ValueError as exc:
            raise where.error("domain", str(exc)) from None
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
    refresh_tokens = _feature(data, "refresh_tokens", ("skew",), where)
    rate_limit = _feature(data, "rate_limit", RATE_LIMIT_KEYS, where)
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
        refresh_tokens=refresh_tokens,
        rate_limit=rate_limit,
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


def _feature(data: Mapping[str, Any], table: str, keys: Sequence[str], where: _Locator) -> dict[str, int] | None:
    """An opt-in feature's table: ``None`` unless ``enabled = true``; its other keys are whole numbers (0 and up)."""
    section = data.get(table)
    if section is None:
        return None
    enabled = section.get("enabled", False)
    if not isinstance(enabled, bool):
        raise where.error("enabled", f"`{table}.enabled` must be true or false")
    settings: dict[str, int] = {}
    for key in keys:
        value = section.get(key)
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10**9:
            raise where.error(key, f"`{table}.{key}` must be a whole number from 0 to 1000000000")
        settings[key] = value
    return settings if enabled else None


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


def _origin(value: Any, key: str, where: _Locator) -> str:
    try:
        return check_origin(value, f"`{key}`")
    except ValueError as exc:
        raise where.error(key.rsplit(".", maxsplit=1)[-1], str(exc)) from None


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
    """The keys a ``[providers.<id>]`` table may set for this kind, from the provider data (no runtime import)."""
    return set(spec.options)
