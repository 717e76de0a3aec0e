"""Passwordless sign-in with a magic link sent by email. Needs an adapter (verification tokens, users).

``server`` is an SMTP URL (``smtp://user:pass@host:587``, ``smtps://...``) or a dict with ``host``,
``port``, ``user``, ``password``, ``secure``; it defaults to ``EMAIL_SERVER``, then
``{"host": "localhost", "port": 25}``. ``from_`` is the sender, default ``EMAIL_FROM``, then
``NextAuth <no-reply@example.com>``. ``max_age`` is how long a link stays valid (24 h).
``send_verification_request(identifier, url, token, expires, provider, theme)`` replaces the built-in
SMTP sender; ``normalize_identifier(identifier)`` replaces the built-in address normaliser;
``generate_verification_token()`` replaces the 32-random-bytes token. ``log_link_only=True`` logs the
link instead of sending it (development only). See :mod:`nextauth._core.email` for the SMTP settings.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from nextauth.errors import ConfigurationError
from nextauth.providers._base import Provider

__all__ = ["EmailProvider"]

DEFAULT_SERVER: dict[str, Any] = {"host": "localhost", "port": 25}
DEFAULT_FROM = "NextAuth <no-reply@example.com>"


@dataclass(kw_only=True)
class EmailProvider(Provider):
    id: str = "email"
    name: str = "Email"
    type: Literal["email"] = "email"
    server: str | dict[str, Any] = field(default="", repr=False)
    """An SMTP URL or dict; empty means ``EMAIL_SERVER``, then localhost:25. Never shown in reprs."""
    from_: str = ""
    """The sender; empty means ``EMAIL_FROM``, then ``NextAuth <no-reply@example.com>``."""
    max_age: int = 24 * 60 * 60
    secret: str | None = field(default=None, repr=False)
    generate_verification_token: Callable[[], Any] | None = None
    normalize_identifier: Callable[[str], Any] | None = None
    send_verification_request: Callable[..., Any] | None = None
    log_link_only: bool = False
    """Development aid: log the sign-in link instead of sending an email (never in production)."""

    def __post_init__(self) -> None:
        source = "server"
        if not self.server:
            from_env = os.environ.get("EMAIL_SERVER", "").strip()
            source = "EMAIL_SERVER" if from_env else source
            self.server = from_env or dict(DEFAULT_SERVER)
        if not self.from_:
            self.from_ = os.environ.get("EMAIL_FROM", "").strip() or DEFAULT_FROM
        max_age: Any = self.max_age
        if isinstance(max_age, bool) or not isinstance(max_age, int | float) or max_age < 1:
            raise ConfigurationError("EmailProvider.max_age must be a positive number of seconds (default 86400)")
        self.max_age = int(max_age)
        if self.send_verification_request is None and not self.log_link_only:
            self._check_smtp(source)

    def _check_smtp(self, source: str) -> None:
        """Reject a malformed server or sender at startup rather than at the first sign-in."""
        from email.utils import parseaddr

        from nextauth._lib.email_smtp import smtp_settings

        try:
            smtp_settings(self.server)
        except ValueError as exc:
            raise ConfigurationError(f"EmailProvider({self.id!r}): {source} is invalid: {exc}") from None
        if "@" not in parseaddr(self.from_)[1]:
            raise ConfigurationError(
                f"EmailProvider({self.id!r}): from_ (EMAIL_FROM) must be an email address, "
                "e.g. 'My App <no-reply@example.com>'"
            )
