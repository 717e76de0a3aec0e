"""The trust-host switch and the allowed hosts: which ``Host``/``X-Forwarded-Host`` may build the site's URLs.

With the switch on (``AUTH_TRUST_HOST``, ``VERCEL`` or ``AuthOptions(trust_host=True)``) and ``NEXTAUTH_URL``
unset, the origin of every link the runtime builds (sign-in emails, OAuth ``redirect_uri``, redirects) comes
from the request. The allowed hosts bound that: a host outside them is refused before anything is built.

An entry is ``host`` or ``host:port`` (``[::1]:3000`` for IPv6), compared case-insensitively; an entry
without a port allows only the scheme's default port (443 for https, 80 for http). A leading dot,
``.example.com``, allows ``example.com`` and every subdomain of it.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from nextauth.errors import ConfigurationError

ALLOWED_HOSTS_ENV = ("NEXTAUTH_ALLOWED_HOSTS", "AUTH_ALLOWED_HOSTS")
TRUST_HOST_ENV = ("AUTH_TRUST_HOST", "VERCEL")
_OFF = frozenset({"", "0", "false", "no", "off"})

# A DNS name or IPv4 address (letters, digits, "-", "_" and dots), or an IPv6 literal in brackets,
# then an optional port. Anything else (spaces, "@", "/", a comma-joined list, ...) is not a host.
_NAME = r"[a-z0-9_](?:[a-z0-9_.-]{0,251}[a-z0-9_])?"
_IPV6 = r"\[[0-9a-f:.]{2,45}\]"
_HOST = re.compile(rf"(?P<name>{_NAME}|{_IPV6})(?P<dot>\.)?(?::(?P<port>[0-9]{{1,5}}))?", re.ASCII)


def env_is_on(value: str | None) -> bool:
    """Set and not an explicit "off" value. next-auth trusts any non-empty string, so ``AUTH_TRUST_HOST=false``
    turns trust *on* there; a switch that means the opposite of what it says is not copied."""
    return (value or "").strip().lower() not in _OFF


def trust_host_from_env(environ: Mapping[str, str] | None = None) -> bool:
    """The trust-host switch as the environment sets it: ``AUTH_TRUST_HOST`` or ``VERCEL`` on."""
    env = os.environ if environ is None else environ
    return any(env_is_on(env.get(name)) for name in TRUST_HOST_ENV)


def split_host(value: str) -> tuple[str, int | None] | None:
    """``(name, port)`` of a ``Host`` value, the name lower-cased and without the trailing dot of a fully
    qualified name (``example.com.``); ``None`` when it is not a plain host."""
    found = _HOST.fullmatch(value.lower())
    if found is None or (found["dot"] and found["name"].startswith("[")):
        return None
    port = found["port"]
    if port is not None and not 0 < int(port) < 65536:
        return None
    return found["name"], int(port) if port is not None else None


@dataclass(frozen=True, slots=True)
class HostPattern:
    """One allowed-hosts entry."""

    name: str
    port: int | None
    """``None``: the scheme's default port only."""
    subdomains: bool

    def matches(self, name: str, port: int, default_port: int) -> bool:
        if port != (self.port if self.port is not None else default_port):
            return False
        if name == self.name:
            return True
        return self.subdomains and name.endswith("." + self.name)


def parse_allowed_hosts(entries: str | Sequence[str], source: str) -> tuple[HostPattern, ...]:
    """Parse allowed-hosts entries (a comma-separated string or a list); a bad entry names ``source``."""
    items = entries.split(",") if isinstance(entries, str) else list(entries)
    patterns: list[HostPattern] = []
    for item in items:
        if not isinstance(item, str):
            raise ConfigurationError(f"{source}: every entry must be a string, got {type(item).__name__}")
        entry = item.strip()
        if not entry:
            continue
        subdomains = entry.startswith(".")
        parsed = split_host(entry[1:] if subdomains else entry)
        if parsed is None or (subdomains and parsed[0].startswith("[")):
            hint = " (write .example.com to allow example.com and its subdomains)" if "*" in entry else ""
            raise ConfigurationError(
                f"{source}: {entry!r} is not a host; use host or host:port, e.g. app.example.com, localhost:3000, "
                f".example.com{hint}"
            )
        patterns.append(HostPattern(parsed[0], parsed[1], subdomains))
    return tuple(patterns)


@functools.lru_cache(maxsize=8)
def _parse_env(raw: str, name: str) -> tuple[HostPattern, ...]:
    return parse_allowed_hosts(raw, name)


@functools.lru_cache(maxsize=8)
def parse_option(entries: tuple[str, ...]) -> tuple[HostPattern, ...]:
    """``AuthOptions.allowed_hosts`` (normalised to a tuple by the options), parsed once."""
    return parse_allowed_hosts(entries, "allowed_hosts")


def allowed_hosts_from_env(environ: Mapping[str, str] | None = None) -> tuple[HostPattern, ...]:
    """``NEXTAUTH_ALLOWED_HOSTS`` (then ``AUTH_ALLOWED_HOSTS``), parsed; empty when neither is set."""
    env = os.environ if environ is None else environ
    for name in ALLOWED_HOSTS_ENV:
        raw = env.get(name, "").strip()
        if raw:
            return _parse_env(raw, name)
    return ()


def host_allowed(host: str, scheme: str, patterns: Sequence[HostPattern]) -> bool:
    """Whether the request's ``host`` (``name[:port]``), reached over ``scheme``, matches an entry."""
    parsed = split_host(host)
    if parsed is None:
        return False
    name, port = parsed
    default = 80 if scheme == "http" else 443
    # No port and the scheme's default port ("example.com:443" over https) are the same origin.
    effective = default if port is None else port
    return any(p.matches(name, effective, default) for p in patterns)


class HostNotAllowedError(Exception):
    """Trust-host mode met a host outside the allowed hosts, or a value that is not a host name at all;
    answered with a 400, never a 500."""

    def __init__(self, host: str) -> None:
        self.host = host
        self.malformed = split_host(host) is None
        """Not a host name at all (refused in trust-host mode even when no allowed hosts are set)."""
        super().__init__(
            "the request's host is not a host name" if self.malformed else "the request's host is not allowed"
        )
