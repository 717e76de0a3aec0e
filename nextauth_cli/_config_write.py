"""Writing ``nextauth.toml`` through tomlkit, so the user's comments and layout survive ``add-provider`` and
``remove-provider``; and ``--option key=value`` parsing."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from nextauth_cli import catalog
from nextauth_cli._config_model import CONFIG_NAME, DEFAULT_DATABASE_URL, Answers
from nextauth_cli._config_parse import RATE_LIMIT_DEFAULTS, parse_document
from nextauth_cli.catalog import ProviderSpec
from nextauth_cli.errors import ConfigError

if TYPE_CHECKING:
    import tomlkit.items

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

    if answers.refresh_tokens:
        refresh = tomlkit.table()
        refresh.add(tomlkit.comment("Keep each OAuth provider's access token fresh (docs/refresh-and-limits.md):"))
        refresh.add(tomlkit.comment("refreshed at the token endpoint when a session is read within skew seconds"))
        refresh.add(tomlkit.comment("of its expiry; a failure shows as session.error = RefreshAccessTokenError."))
        refresh.add("enabled", True)
        refresh.add(tomlkit.comment("skew = 60"))
        doc.add(tomlkit.nl())
        doc.add("refresh_tokens", refresh)

    if answers.rate_limit:
        limits = tomlkit.table()
        limits.add(tomlkit.comment("Brute-force limits (docs/refresh-and-limits.md): past one, sign-in answers"))
        limits.add(tomlkit.comment("error=TooManyRequests. Counters are shared through [database] when there is one."))
        limits.add("enabled", True)
        for key, value in RATE_LIMIT_DEFAULTS.items():
            limits.add(tomlkit.comment(f"{key} = {value}"))
        doc.add(tomlkit.nl())
        doc.add("rate_limit", limits)

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
