"""Passwordless sign-in with a magic link sent by email. Needs an adapter (verification tokens, users).

``server`` is an SMTP URL (``smtp://user:pass@host:587``, ``smtps://...``) or a dict with ``host``,
``port``, ``user``, ``password``, ``secure``; ``from_`` is the sender. ``max_age`` is how long a link
stays valid (24 h). ``send_verification_request(identifier, url, token, expires, provider, theme)``
replaces the built-in SMTP sender; ``normalize_identifier(identifier)`` replaces the built-in address
normaliser; ``generate_verification_token()`` replaces the 32-random-bytes token.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from nextauth.providers._base import Provider

__all__ = ["EmailProvider"]


@dataclass(kw_only=True)
class EmailProvider(Provider):
    id: str = "email"
    name: str = "Email"
    type: Literal["email"] = "email"  # type: ignore[assignment]  # narrows the base's Literal
    server: str | dict[str, Any] = field(default_factory=lambda: {"host": "localhost", "port": 25}, repr=False)
    from_: str = "NextAuth <no-reply@example.com>"
    max_age: int = 24 * 60 * 60
    secret: str | None = field(default=None, repr=False)
    generate_verification_token: Callable[[], Any] | None = None
    normalize_identifier: Callable[[str], Any] | None = None
    send_verification_request: Callable[..., Any] | None = None
    log_link_only: bool = False
    """Development aid: log the sign-in link instead of sending an email (never in production)."""
