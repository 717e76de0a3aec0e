"""Framework-free request and response types that cross the core boundary.

The layout adapters (`nextauth._core.next`) turn a pages-style ``(req, res)`` pair or an app-style web
``Request`` into an :class:`AuthRequest`, run the core, and turn the :class:`AuthResponse` back into
what their layout expects. Nothing in here imports a web framework.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Action = Literal["providers", "session", "csrf", "signin", "signout", "callback", "verify-request", "error", "_log"]
SessionStrategy = Literal["jwt", "database"]
ProviderType = Literal["oauth", "oidc", "email", "credentials"]
SameSite = Literal["lax", "strict", "none"]
Layout = Literal["pages", "app"]

JSONValue = Any
"""A value that ``json.dumps`` accepts (dicts, lists, strings, numbers, booleans, None)."""


@dataclass(slots=True)
class CookieOptions:
    """Attributes of a cookie, in next-auth's vocabulary (``maxAge`` is seconds)."""

    http_only: bool = True
    same_site: SameSite | None = "lax"
    path: str = "/"
    secure: bool = False
    domain: str | None = None
    max_age: int | None = None
    expires: datetime | None = None


@dataclass(slots=True)
class SetCookie:
    """One ``Set-Cookie`` the core wants to send; ``value`` is the raw (not yet percent-encoded) value."""

    name: str
    value: str
    options: CookieOptions

    def __repr__(self) -> str:  # cookie values are tokens: never show them
        return f"SetCookie(name={self.name!r}, value=<{len(self.value)} chars>)"


@dataclass(slots=True)
class AuthRequest:
    """What the core needs from any HTTP request.

    ``action`` and ``provider_id`` are the first two catch-all segments; ``query`` excludes the
    catch-all parameter; ``body`` is the parsed form or JSON object (``None`` when there was none or it
    could not be parsed as either); header names are lower-case; cookie values are already
    percent-decoded.
    """

    method: str
    action: str | None
    provider_id: str | None = None
    query: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    cookies: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    body_is_json: bool = False
    client: str | None = None
    """The peer's address as the server saw it (``None`` when the framework gives none); forwarded headers are
    only believed in trust-host mode (see ``nextauth._core.rate_limit.client_address``)."""

    @property
    def json_mode(self) -> bool:
        """next-auth answers ``{"url": ...}`` instead of a 302 only for the *string* ``json=true``."""
        return self.body is not None and self.body.get("json") == "true"

    def __repr__(self) -> str:
        return (
            f"AuthRequest(method={self.method!r}, action={self.action!r}, provider_id={self.provider_id!r}, "
            f"query_keys={sorted(self.query)!r}, cookie_names={sorted(self.cookies)!r})"
        )


@dataclass(slots=True)
class AuthResponse:
    """The core's answer, before a layout adapter serialises it.

    ``body`` is a ``str`` (HTML or text; its content type, if any, is in ``headers``), a JSON value
    (``dict``/``list``), or ``None`` for an empty body. ``redirect`` wins over ``body``: the adapter sends
    a 302, or ``{"url": redirect}`` in JSON mode.
    """

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: str | dict[str, Any] | list[Any] | None = None
    redirect: str | None = None
    cookies: list[SetCookie] = field(default_factory=list)
    is_json: bool = False
