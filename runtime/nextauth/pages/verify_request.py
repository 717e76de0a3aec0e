"""The built-in "Check your email" page (GET ``/verify-request``), shown after an email sign-in link is sent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nextauth.pages._html import esc, host_of, shell

if TYPE_CHECKING:
    from nextauth.options import ThemeOptions

__all__ = ["render_verify_request"]


def render_verify_request(*, origin: str, theme: ThemeOptions) -> str:
    """The page telling the user to open the link in their inbox, with a link back to the site."""
    body = (
        '<div class="card"><h1>Check your email</h1><p>A sign in link has been sent to your email address.</p>'
        f'<p><a class="site" href="{esc(origin)}">{esc(host_of(origin))}</a></p></div>'
    )
    return shell(title="Verify Request", kind="verify-request", theme=theme, body=body)
