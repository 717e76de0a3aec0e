"""Response shapes shared by the actions."""

from __future__ import annotations

from typing import Any

from nextauth._lib.types import AuthResponse

JSON = {"Content-Type": "application/json"}
NO_CACHE = {
    "Content-Type": "application/json",
    "Cache-Control": "private, no-cache, no-store",
    "Pragma": "no-cache",
    "Expires": "0",
}
HTML = {"Content-Type": "text/html"}


def json_response(body: Any, *, status: int | None = None, no_cache: bool = False) -> AuthResponse:
    return AuthResponse(status=status, headers=dict(NO_CACHE if no_cache else JSON), body=body, is_json=True)


def html_response(html: str, *, status: int | None = None) -> AuthResponse:
    return AuthResponse(status=status, headers=dict(HTML), body=html)


def with_query(url: str, **params: str) -> str:
    """Append ``key=value`` pairs with ``?`` or ``&`` as next-auth does (values must already be encoded)."""
    sep = "&" if "?" in url else "?"
    return url + sep + "&".join(f"{k}={v}" for k, v in params.items())


def user_view(record: Any, image_key: str = "image") -> dict[str, Any]:
    """``{name, email, image}`` with absent keys left out (JavaScript's ``undefined``), ``None`` kept."""
    out: dict[str, Any] = {}
    if isinstance(record, dict):
        for key, src in (("name", "name"), ("email", "email"), ("image", image_key)):
            if src in record:
                out[key] = record[src]
    return out


def token_from_user(user: dict[str, Any]) -> dict[str, Any]:
    """The default JWT claims after a sign-in: ``{name, email, picture, sub}`` (absent keys omitted)."""
    token: dict[str, Any] = {}
    for key, src in (("name", "name"), ("email", "email"), ("picture", "image")):
        if src in user:
            token[key] = user[src]
    if user.get("id") is not None:
        token["sub"] = str(user["id"])
    return token
