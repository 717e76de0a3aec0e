"""The provider catalog: what `nextauth init`, `add-provider` and `providers` know about each provider.

The facts come from the runtime's provider data, ``nextauth/providers/registry.toml``, the file the runtime
builds its providers from: found with ``importlib.util.find_spec`` and read with :mod:`tomllib`, without
importing the ``nextauth`` package (or any provider module, or httpx). Each entry adds what a person setting
a provider up needs: the environment variable names (NextAuth.js v4's docs: ``<P>_CLIENT_ID``/
``<P>_CLIENT_SECRET``/``<P>_ISSUER``, GitHub ``GITHUB_ID``/``GITHUB_SECRET``), where to register the app, the
redirect URI, scopes, discovery or endpoints, setup notes and the options its factory takes.
"""

from __future__ import annotations

import difflib
import importlib.util
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

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
    options: tuple[str, ...] = ()
    """The keyword arguments ``nextauth.toml`` may set for this kind (the runtime's fields and the factory's own)."""

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


_WK = "/.well-known/openid-configuration"
_CLIENT = ("_CLIENT_ID", "_CLIENT_SECRET")


def registry_path() -> Path:
    """``nextauth/providers/registry.toml`` of the installed runtime, found without importing ``nextauth``."""
    spec = importlib.util.find_spec("nextauth")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        path = Path(folder) / "providers" / "registry.toml"
        if path.is_file():
            return path
    raise RuntimeError("the nextauth runtime is not installed: its provider data (registry.toml) was not found")


def _env(data: Mapping[str, Any], cli: Mapping[str, Any]) -> tuple[EnvVar, ...]:
    if "env" in cli:
        return tuple(EnvVar(**var) for var in cli["env"])
    id_suffix, secret_suffix = cli.get("client_env", _CLIENT)
    env = [
        EnvVar(kwarg="client_id", suffix=id_suffix, description="OAuth client ID"),
        EnvVar(kwarg="client_secret", suffix=secret_suffix, description="OAuth client secret", secret=True),
    ]
    if "issuer_example" in data:
        env.append(
            EnvVar(kwarg="issuer", suffix="_ISSUER", description="issuer URL (https)", example=data["issuer_example"])
        )
    env.extend(EnvVar(**var) for var in cli.get("extra_env", ()))
    return tuple(env)


def _url(endpoint: Any) -> str:
    return str(endpoint.get("url", "")) if isinstance(endpoint, Mapping) else str(endpoint)


def _spec(pid: str, data: Mapping[str, Any], options: Mapping[str, list[str]]) -> ProviderSpec:
    cli: Mapping[str, Any] = data.get("cli", {})
    kind = cast(Kind, data["type"])
    discovery = str(cli.get("discovery", ""))
    if not discovery and kind == "oidc":
        discovery = ("{issuer}" if "issuer_example" in data else str(data.get("issuer", ""))) + _WK
    endpoints: tuple[tuple[str, str], ...] = ()
    if kind == "oauth" and "authorization" in data:
        endpoints = tuple((name, _url(data[name])) for name in ("authorization", "token", "userinfo"))
    authorization = data.get("authorization", {})
    scope = authorization.get("params", {}).get("scope", "") if isinstance(authorization, Mapping) else ""
    base = "oauth" if kind == "oidc" else kind
    return ProviderSpec(
        id=pid,
        name=str(cli.get("name", data["name"])),
        type=kind,
        module=str(data["module"]),
        factory=str(data["factory"]),
        prefix=str(cli.get("prefix", env_prefix(pid))),
        env=_env(data, cli),
        scopes=str(cli.get("scopes", scope)),
        docs=str(cli.get("docs", "")),
        console=str(cli.get("console", "")),
        discovery=discovery,
        endpoints=endpoints,
        notes=str(cli.get("notes", "")),
        aliases=tuple(cli.get("aliases", ())),
        options=tuple(sorted({*options[base], *cli.get("options", ())})),
    )


def _load() -> tuple[ProviderSpec, ...]:
    with registry_path().open("rb") as handle:
        data = tomllib.load(handle)
    options = data["options"]
    return tuple(_spec(pid, value, options) for pid, value in data.items() if pid not in ("format", "options"))


_ENTRIES: tuple[ProviderSpec, ...] = _load()

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
