"""The built-in sign-in page (GET ``/signin``): one form per provider, in configuration order.

* OAuth/OIDC: ``POST <base>/signin/<id>`` with hidden ``csrfToken`` and ``callbackUrl``, and a button in the
  provider's colours with its logo.
* Email: ``POST <base>/signin/<id>`` with hidden ``csrfToken`` and an ``email`` field (prefilled from ``email``).
* Credentials: ``POST <base>/callback/<id>`` with hidden ``csrfToken`` and one labelled input per key of
  ``credentials``; shown only when ``credentials`` is not ``None`` (next-auth's "truthy": an empty dict still
  shows a button-only form, the usual "sign in as guest" setup).

An email or credentials block is separated from its neighbours by an ``<hr>`` (drawn as "or"). The
``error`` code selects a fixed message (spec §7); its own text is never rendered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from nextauth.pages._html import attrs, esc, shell, style_vars

if TYPE_CHECKING:
    from nextauth.options import ThemeOptions
    from nextauth.providers import Provider

__all__ = ["SIGNIN_ERRORS", "render_signin"]

PROVIDER_LOGO_BASE = "https://authjs.dev/img/providers"
_TRY_ANOTHER = "Try signing in with a different account."
SIGNIN_ERRORS: Mapping[str, str] = {
    "Signin": _TRY_ANOTHER,
    "OAuthSignin": _TRY_ANOTHER,
    "OAuthCallback": _TRY_ANOTHER,
    "OAuthCreateAccount": _TRY_ANOTHER,
    "EmailCreateAccount": _TRY_ANOTHER,
    "Callback": _TRY_ANOTHER,
    "OAuthAccountNotLinked": "To confirm your identity, sign in with the same account you used originally.",
    "EmailSignin": "The e-mail could not be sent.",
    "CredentialsSignin": "Sign in failed. Check the details you provided are correct.",
    "SessionRequired": "Please sign in to access this page.",
}
DEFAULT_SIGNIN_ERROR = "Unable to sign in."

# Attributes of a credentials input that the page owns (the label is the <label>'s text).
_OWNED = frozenset({"name", "id", "type", "placeholder", "label", "for"})
_REACT_NAMES = {"classname": "class", "htmlfor": "for"}


def _kind(provider: Provider) -> str | None:
    """``oauth``, ``email`` or ``credentials`` when the provider gets a form, else ``None``."""
    if provider.type in ("oauth", "oidc"):
        return "oauth"
    if provider.type == "email":
        return "email"
    if provider.type == "credentials" and getattr(provider, "credentials", None) is not None:
        return "credentials"
    return None


def _csrf(token: str) -> str:
    return f'<input type="hidden" name="csrfToken" value="{esc(token)}">'


def _logo_url(path: str) -> str:
    return PROVIDER_LOGO_BASE + path if path.startswith("/") else path


def _oauth(provider: Provider, base: str, csrf_token: str, callback_url: str) -> str:
    style = getattr(provider, "style", None)
    bg = getattr(style, "bg", "") or ""
    text = getattr(style, "text", "") or ""
    light = getattr(style, "logo", "") or ""
    dark = getattr(style, "logo_dark", "") or ""
    colours = {
        "--p-bg": bg,
        "--p-fg": text,
        "--p-bg-dark": getattr(style, "bg_dark", "") or bg,
        "--p-fg-dark": getattr(style, "text_dark", "") or text,
    }
    logos = ""
    if light or dark:
        for cls, src in (("logo-light", light or dark), ("logo-dark", dark or light)):
            image = attrs(
                (
                    ("class", cls),
                    ("src", _logo_url(src)),
                    ("alt", ""),
                    ("width", 24),
                    ("height", 24),
                    ("loading", "lazy"),
                    ("decoding", "async"),
                    ("referrerpolicy", "no-referrer"),
                )
            )
            logos += f"<img{image}>"
    callback = f'<input type="hidden" name="callbackUrl" value="{esc(callback_url)}">' if callback_url else ""
    button = attrs((("type", "submit"), ("class", "button provider-btn"), ("style", style_vars(colours))))
    return (
        f'<form action="{esc(base)}/signin/{esc(provider.id)}" method="POST">{_csrf(csrf_token)}{callback}'
        f"<button{button}>{logos}<span>Sign in with {esc(provider.name)}</span></button></form>"
    )


def _email(provider: Provider, base: str, csrf_token: str, email: str | None) -> str:
    field_id = f"input-email-for-{provider.id}-provider"
    field = attrs(
        (
            ("id", field_id),
            ("autofocus", True),
            ("type", "email"),
            ("name", "email"),
            ("value", email),
            ("placeholder", "email@example.com"),
            ("autocomplete", "email"),
            ("required", True),
        )
    )
    return (
        f'<form action="{esc(base)}/signin/{esc(provider.id)}" method="POST">{_csrf(csrf_token)}'
        f'<label for="{esc(field_id)}">Email</label><input{field}>'
        f'<button id="submitButton" type="submit" class="button primary">Sign in with {esc(provider.name)}</button>'
        "</form>"
    )


def _attribute_name(key: str) -> str:
    lowered = key.lower()
    return _REACT_NAMES.get(lowered, lowered.replace("_", "-"))


def _autocomplete(key: str, kind: str) -> str | None:
    if kind == "password":
        return "current-password"
    if kind == "email" or key == "email":
        return "email"
    return "username" if key == "username" else None


def _credential_input(provider_id: str, key: str, spec: Mapping[str, Any]) -> str:
    field_id = f"input-{key}-for-{provider_id}-provider"
    kind = spec.get("type") or "text"
    extra = {_attribute_name(k): v for k, v in spec.items() if isinstance(k, str)}
    owned = [
        ("name", key),
        ("id", field_id),
        ("type", kind),
        ("placeholder", spec.get("placeholder") or ""),
    ]
    extra.setdefault("autocomplete", _autocomplete(key, str(kind)))
    rest = [(name, value) for name, value in extra.items() if name not in _OWNED]
    label = spec.get("label") or key
    return f'<div class="field"><label for="{esc(field_id)}">{esc(label)}</label><input{attrs([*owned, *rest])}></div>'


def _credentials(provider: Provider, base: str, csrf_token: str) -> str:
    fields: Mapping[str, Any] = getattr(provider, "credentials", None) or {}
    inputs = "".join(
        _credential_input(provider.id, str(key), spec if isinstance(spec, Mapping) else {})
        for key, spec in fields.items()
    )
    return (
        f'<form action="{esc(base)}/callback/{esc(provider.id)}" method="POST">{_csrf(csrf_token)}{inputs}'
        f'<button type="submit" class="button">Sign in with {esc(provider.name)}</button></form>'
    )


def render_signin(
    *,
    base: str,
    providers: Sequence[Provider],
    csrf_token: str,
    callback_url: str,
    email: str | None,
    error: str | None,
    theme: ThemeOptions,
) -> str:
    """The sign-in page for ``providers`` (in order), with the message for ``error`` when given."""
    shown = [(provider, kind) for provider in providers if (kind := _kind(provider))]
    parts: list[str] = []
    if error:
        message = SIGNIN_ERRORS.get(error, DEFAULT_SIGNIN_ERROR)
        parts.append(f'<div class="error" role="alert"><p>{message}</p></div>')
    for index, (provider, kind) in enumerate(shown):
        boxed = kind != "oauth"
        if boxed and index > 0 and shown[index - 1][1] == "oauth":
            parts.append("<hr>")
        if kind == "oauth":
            block = _oauth(provider, base, csrf_token, callback_url)
        elif kind == "email":
            block = _email(provider, base, csrf_token, email)
        else:
            block = _credentials(provider, base, csrf_token)
        parts.append(f'<div class="provider">{block}</div>')
        if boxed and index + 1 < len(shown):
            parts.append("<hr>")
    return shell(title="Sign In", kind="signin", theme=theme, body=f'<div class="card">{"".join(parts)}</div>')
