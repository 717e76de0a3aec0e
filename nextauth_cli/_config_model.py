"""The model of ``nextauth.toml``: what a validated file says (:class:`ProjectConfig`), what ``init`` asks
(:class:`Answers`) and what doctor reports (:class:`Problem`). No parsing, no I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from nextauth_cli import catalog
from nextauth_cli.catalog import EnvVar, ProviderSpec

CONFIG_NAME = "nextauth.toml"
DEFAULT_BASE_PATH = "/api/auth"
DEFAULT_DEV_URL = "http://localhost:3000"
DEFAULT_DATABASE_URL = "sqlite:///./nextauth.db"
DEFAULT_PROTECT: tuple[str, ...] = ("/dashboard/:path*",)
"""What ``nextauth init --yes`` protects: the starter page ``/dashboard`` and everything below it."""

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
    refresh_tokens: Mapping[str, int] | None = None
    """``[refresh_tokens]`` with ``enabled = true``: its other settings (``None``: off)."""
    rate_limit: Mapping[str, int] | None = None
    """``[rate_limit]`` with ``enabled = true``: its other settings, e.g. ``credentials_window`` (``None``: off)."""
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
    refresh_tokens: bool = False
    """``--refresh-tokens``: an ``[refresh_tokens]`` table (AuthOptions.refresh_tokens)."""
    rate_limit: bool = False
    """``--rate-limit``: a ``[rate_limit]`` table (AuthOptions.rate_limit)."""
    protect: Sequence[str] = DEFAULT_PROTECT
