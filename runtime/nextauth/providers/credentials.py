"""Sign in with a username/password (or any fields) checked by your own ``authorize`` function.

``authorize(credentials, request)`` gets the whole POSTed body (all strings) and a dict with
``query``, ``body``, ``headers`` and ``method``; it returns a user (a dict with an ``id``) to sign in,
``None`` to refuse (``CredentialsSignin``), or raises to refuse with the exception's message. It may be
``async``. Credentials sign-ins always use a JWT session cookie.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from nextauth.providers._base import Provider

__all__ = ["CredentialsProvider"]


def _refuse(*_args: Any, **_kwargs: Any) -> None:
    return None


@dataclass(kw_only=True)
class CredentialsProvider(Provider):
    """``credentials`` maps each form field to its input attributes, e.g.
    ``{"username": {"label": "Username", "type": "text"}}``; it only shapes the built-in sign-in form.
    """

    id: str = "credentials"
    name: str = "Credentials"
    type: Literal["credentials"] = "credentials"
    credentials: dict[str, dict[str, Any]] = field(default_factory=dict)
    authorize: Callable[..., Any] = _refuse
