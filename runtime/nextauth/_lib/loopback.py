"""Whether a host is this machine: the one place the runtime and the CLI decide where plain http is allowed.

Loopback is ``localhost`` and every ``*.localhost`` name (RFC 6761 §6.3: they resolve to loopback, and browsers
treat them as secure contexts), the IPv4 block ``127.0.0.0/8``, ``::1`` and ``::ffff:127.x.y.z`` (an IPv4
loopback address written as IPv6). Compared case-insensitively, with ``[...]`` brackets and one trailing
dot removed. Nothing else is: not ``localhost.example.com``, not ``127.0.0.1.nip.io``, not ``0.0.0.0``, not
the shortened forms ``127.1`` or ``2130706433`` (which some resolvers accept and URL parsers disagree on).
"""

from __future__ import annotations

import ipaddress

__all__ = ["is_loopback"]


def is_loopback(host: str | None) -> bool:
    """``True`` when ``host`` (a URL's hostname, with or without brackets) names this machine."""
    if not host:
        return False
    name = host.strip().lower()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    if name.endswith(".") and not name.endswith(".."):
        name = name[:-1]
    if name == "localhost" or (name.endswith(".localhost") and all(name.split("."))):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback
