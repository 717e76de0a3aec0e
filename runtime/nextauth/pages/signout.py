"""The built-in sign-out page (GET ``/signout``): a confirmation posting to ``<base>/signout``.

Only ``csrfToken`` travels with the form; the redirect target comes from the callback-url cookie.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nextauth.pages._html import esc, shell

if TYPE_CHECKING:
    from nextauth.options import ThemeOptions

__all__ = ["render_signout"]


def render_signout(*, base: str, csrf_token: str, theme: ThemeOptions) -> str:
    """The "Are you sure you want to sign out?" page."""
    body = (
        '<div class="card"><h1>Signout</h1><p>Are you sure you want to sign out?</p>'
        f'<form action="{esc(base)}/signout" method="POST">'
        f'<input type="hidden" name="csrfToken" value="{esc(csrf_token)}">'
        '<button id="submitButton" type="submit" class="button primary">Sign out</button></form></div>'
    )
    return shell(title="Sign Out", kind="signout", theme=theme, body=body)
