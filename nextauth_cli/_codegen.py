"""The Python code inside the generated files, computed from a :class:`ProjectConfig`.

The templates give each file its shape; what depends on the configuration in a way jinja would make
unreadable (the ``AuthOptions(...)`` call, the import blocks, the demo ``authorize``) is built here,
laid out as ruff formats it (see :mod:`nextauth_cli._pycode`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from nextauth_cli._pycode import (
    LINE_LENGTH,
    Call,
    Expr,
    List,
    Raw,
    format_imports,
    format_statement,
    literal,
    py_string,
)
from nextauth_cli.catalog import ProviderSpec
from nextauth_cli.config import ProjectConfig, ProviderConfig

__all__ = [
    "CALLBACKS_MODULE",
    "OPTIONS_MODULE",
    "authorize_function",
    "authorize_name",
    "callbacks_imports",
    "options_imports",
    "options_statement",
    "redirect_function",
]

OPTIONS_MODULE = "auth_options"
CALLBACKS_MODULE = "auth_callbacks"
DEFAULT_CREDENTIALS = {
    "username": {"label": "Username", "type": "text"},
    "password": {"label": "Password", "type": "password"},
}
_ENDPOINTS = ("authorization", "token", "userinfo")


class _Imports:
    def __init__(self) -> None:
        self.stdlib: dict[str, set[str]] = {}
        self.third: dict[str, set[str]] = {}
        self.first: dict[str, set[str]] = {}

    def add(self, section: dict[str, set[str]], module: str, *names: str) -> None:
        section.setdefault(module, set()).update(names)

    def render(self) -> str:
        sections = [{"__future__": ["annotations"]}]
        sections += [{m: sorted(n) for m, n in s.items()} for s in (self.stdlib, self.third, self.first)]
        return format_imports(sections)


def authorize_name(provider: ProviderConfig) -> str:
    """``authorize`` for the provider with id ``credentials``, ``authorize_<id>`` for other ones."""
    if provider.id == "credentials":
        return "authorize"
    return "authorize_" + re.sub(r"\W", "_", provider.id)


def _require(var_name: str, default: str | None) -> Expr:
    if default is not None:
        return Raw(f"optional({py_string(var_name)}) or {py_string(default)}")
    return Raw(f"require({py_string(var_name)})")


def _provider_expr(provider: ProviderConfig, imports: _Imports) -> Expr:
    spec: ProviderSpec = provider.spec
    options = dict(provider.options)
    kwargs: list[tuple[str, Expr]] = []
    env_kwargs: list[tuple[str, Expr]] = []
    for var, name in provider.env_vars():
        if var.kwarg:
            env_kwargs.append((var.kwarg, _require(name, var.default)))
            imports.add(imports.third, "nextauth.env", "optional" if var.default is not None else "require")
    if spec.type == "credentials":
        imports.add(imports.third, "nextauth.providers.credentials", "CredentialsProvider")
        if provider.id != "credentials":
            kwargs.append(("id", literal(provider.id)))
        kwargs.append(("name", literal(options.pop("name", spec.name if provider.id == spec.id else provider.name))))
        kwargs.append(("credentials", literal(options.pop("credentials", DEFAULT_CREDENTIALS))))
        kwargs += [(k, literal(v)) for k, v in options.items()]
        kwargs.append(("authorize", Raw(f"{CALLBACKS_MODULE}.{authorize_name(provider)}")))
        return Call("CredentialsProvider", (), kwargs)
    if spec.id == "oauth":
        imports.add(imports.third, "nextauth.providers.oauth", "OAuthProvider")
        kwargs.append(("id", literal(provider.id)))
        kwargs.append(("name", literal(options.pop("name", provider.name))))
        kwargs += env_kwargs
        for key, value in options.items():
            if key in _ENDPOINTS:
                imports.add(imports.third, "nextauth.providers.oauth", "Endpoint")
                kwargs.append((key, Call("Endpoint.of", (literal(value),))))
            elif key == "style" and isinstance(value, Mapping):
                imports.add(imports.third, "nextauth.providers.oauth", "ProviderStyle")
                kwargs.append((key, Call("ProviderStyle", (), [(k, literal(v)) for k, v in value.items()])))
            else:
                kwargs.append((key, literal(value)))
        return Call("OAuthProvider", (), kwargs)
    imports.add(imports.third, f"nextauth.providers.{spec.module}", spec.factory)
    if provider.id != spec.id and spec.takes_id:
        kwargs.append(("id", literal(provider.id)))
    kwargs += env_kwargs
    kwargs += [(k, literal(v)) for k, v in options.items()]
    return Call(spec.factory, (), kwargs)


def _options_expr(config: ProjectConfig, imports: _Imports) -> Expr:
    imports.add(imports.third, "nextauth", "AuthOptions", "SessionOptions")
    providers = List([_provider_expr(p, imports) for p in config.providers], explode=True)
    kwargs: list[tuple[str, Expr]] = [("providers", providers)]
    session: list[tuple[str, Expr]] = [("strategy", literal(config.session_strategy))]
    if config.session_max_age is not None:
        session.append(("max_age", literal(config.session_max_age)))
    if config.session_update_age is not None:
        session.append(("update_age", literal(config.session_update_age)))
    kwargs.append(("session", Call("SessionOptions", (), session)))
    if config.database:
        imports.add(imports.third, "nextauth.adapters.sqlalchemy", "SQLAlchemyAdapter")
        url = _require("DATABASE_URL", config.database_url)
        imports.add(imports.third, "nextauth.env", "optional" if config.database_url else "require")
        kwargs.append(("adapter", Call("SQLAlchemyAdapter", (url,))))
    if config.pages:
        imports.add(imports.third, "nextauth", "PagesOptions")
        kwargs.append(("pages", Call("PagesOptions", (), [(k, literal(v)) for k, v in config.pages.items()])))
    if config.theme:
        imports.add(imports.third, "nextauth", "ThemeOptions")
        kwargs.append(("theme", Call("ThemeOptions", (), [(k, literal(v)) for k, v in config.theme.items()])))
    if config.cookie_domain:
        imports.add(imports.stdlib, "urllib.parse", "urlsplit")
        imports.add(imports.third, "nextauth", "CookieOption", "CookiesOptions")
        imports.add(imports.third, "nextauth.options", "CookieOptions")
        imports.add(imports.third, "nextauth.env", "optional")
        kwargs.append(("cookies", Raw("_cookies()")))
    if config.refresh_tokens is not None:
        imports.add(imports.third, "nextauth.options", "RefreshTokensOptions")
        settings = [(k, literal(v)) for k, v in config.refresh_tokens.items()]
        kwargs.append(("refresh_tokens", Call("RefreshTokensOptions", (), settings)))
    if config.rate_limit is not None:
        imports.add(imports.third, "nextauth.options", "RateLimitOptions")
        settings = [(k, literal(v)) for k, v in config.rate_limit.items()]
        kwargs.append(("rate_limit", Call("RateLimitOptions", (), settings)))
    kwargs.append(("callbacks", Raw(f"{CALLBACKS_MODULE}.callbacks")))
    kwargs.append(("events", Raw(f"{CALLBACKS_MODULE}.events")))
    imports.add(imports.first, CALLBACKS_MODULE)
    return Call("AuthOptions", (), kwargs, explode=True)


def options_code(config: ProjectConfig) -> tuple[str, str]:
    """``(imports, statement)`` of the options module."""
    imports = _Imports()
    statement = format_statement("auth_options", _options_expr(config, imports))
    return imports.render(), statement


def options_imports(config: ProjectConfig) -> str:
    return options_code(config)[0]


def options_statement(config: ProjectConfig) -> str:
    return options_code(config)[1]


def callbacks_imports(*, credentials: bool, redirect: bool) -> str:
    imports = _Imports()
    if credentials:
        imports.add(imports.stdlib, "hmac")
        imports.add(imports.stdlib, "os")
    if redirect:
        imports.add(imports.stdlib, "urllib.parse", "urlsplit")
    imports.add(imports.third, "nextauth", "CallbacksOptions", "EventsOptions")
    return imports.render()


def authorize_function(provider: ProviderConfig, *, local_imports: bool = False) -> str:
    """The demo ``authorize`` of a credentials provider: one user from .env.local, constant-time checks."""
    (_, user_var), (_, password_var) = provider.env_vars()
    name = authorize_name(provider)
    imports = "    import hmac\n    import os\n\n" if local_imports else ""
    signature = f"def {name}(credentials: dict[str, object], request: object) -> dict[str, object] | None:"
    if len(signature) > LINE_LENGTH:
        signature = f"def {name}(\n    credentials: dict[str, object], request: object\n) -> dict[str, object] | None:"
    return f'''{signature}
    """Check the credentials sign-in form: a user (a dict with an id) or None.

    REPLACE THIS before production. It accepts exactly one demo user, whose name and
    password nextauth generated into .env.local ({user_var} and
    {password_var}), so that a new project signs in out of the box. Look your
    users up in your own store instead and verify a password hash (argon2, bcrypt...).
    """
{imports}    expected_name = os.environ.get("{user_var}", "")
    expected_password = os.environ.get("{password_var}", "")
    if not expected_name or not expected_password:
        return None  # no demo user configured: nobody signs in
    name = str(credentials.get("username", ""))
    password = str(credentials.get("password", ""))
    # compare_digest takes as long whatever matches: no timing side channel.
    name_ok = hmac.compare_digest(name.encode(), expected_name.encode())
    password_ok = hmac.compare_digest(password.encode(), expected_password.encode())
    if name_ok and password_ok:
        return {{"id": "demo", "name": name, "email": f"{{name}}@example.com"}}
    return None'''


def redirect_function() -> str:
    """A ``redirect`` callback that compares parsed origins (never string prefixes)."""
    return '''def redirect(url: str, base_url: str) -> str:
    """Where to send the user after signing in or out.

    A path is resolved against base_url; an absolute URL is allowed only when its origin
    (scheme, host and port) equals base_url's. Never compare with startswith():
    "https://example.com.evil.net".startswith("https://example.com") is True.
    """
    if url.startswith("/"):
        return base_url + url
    target = _origin(url)
    if target is not None and target == _origin(base_url):
        return url
    return base_url


def _origin(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    default_port = 443 if parts.scheme == "https" else 80
    return parts.scheme, parts.hostname.lower(), port or default_port'''


def as_literal(value: Any) -> str:
    return literal(value).flat()
