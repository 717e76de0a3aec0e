"""Semantic checks of a valid ``nextauth.toml``: what cannot work together (credentials with database
sessions, email without a database, a cookie domain that misses the production host, ...), each with its fix.
Providers are built with placeholder credentials so the runtime's own checks run on literal options."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from nextauth_cli._config_model import (
    CREDENTIALS_DATABASE_PROBLEM,
    DEFAULT_DATABASE_URL,
    Problem,
    ProjectConfig,
    ProviderConfig,
)
from nextauth_cli._config_values import host_in_domain


def config_problems(config: ProjectConfig) -> list[Problem]:
    """What cannot work (``error``) or will probably surprise (``warning``), each with its fix."""
    from nextauth._lib.loopback import is_loopback

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
        if parts.scheme != "https" and not is_loopback(parts.hostname):
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
    """Build each provider with placeholder credentials: the runtime's own checks on literal options.

    A provider with neither options nor an id of its own is the data's entry as it is, which builds with
    placeholders (tests/cli/test_catalog.py builds every entry so): it is not built here, so that init,
    generate and doctor on such a project never import the runtime's providers (every one of them, and httpx).
    """
    from nextauth.errors import NextAuthError

    problems = []
    for provider in config.providers:
        if not provider.options and provider.id == provider.spec.id:
            continue
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


def _parent_domain(host: str) -> str:
    labels = host.split(".")
    return ".".join(labels[-2:]) if len(labels) >= 2 else host
