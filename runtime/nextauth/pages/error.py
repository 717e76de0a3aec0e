"""The built-in error page (GET ``/error``) and its HTTP status (spec §6.10).

The code is looked up case-insensitively: ``configuration`` is a 500, ``accessdenied`` and
``verification`` are 403s, and anything else (unknown codes, thrown messages, no code) is a 200
"Error" page linking back to the site. The code's own text never reaches the page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nextauth.pages._html import esc, host_of, shell

if TYPE_CHECKING:
    from nextauth.options import ThemeOptions

__all__ = ["render_error"]


def _signin_button(base: str) -> str:
    return f'<a class="button soft" href="{esc(base)}/signin">Sign in</a>'


def render_error(*, base: str, origin: str, error: str | None, theme: ThemeOptions) -> tuple[int, str]:
    """``(status, html)`` of the error page for the code ``error``."""
    code = (error or "").lower()
    if code == "configuration":
        status, heading = 500, "Server error"
        content = (
            '<div class="message"><p>There is a problem with the server configuration.</p>'
            "<p>Check the server logs for more information.</p></div>"
        )
    elif code == "accessdenied":
        status, heading = 403, "Access Denied"
        content = (
            f'<div class="message"><p>You do not have permission to sign in.</p><p>{_signin_button(base)}</p></div>'
        )
    elif code == "verification":
        status, heading = 403, "Unable to sign in"
        content = (
            '<div class="message"><p>The sign in link is no longer valid.</p>'
            f"<p>It may have been used already or it may have expired.</p></div>{_signin_button(base)}"
        )
    else:
        status, heading = 200, "Error"
        content = f'<div class="message"><p><a class="site" href="{esc(origin)}">{esc(host_of(origin))}</a></p></div>'
    body = f'<div class="card"><h1>{heading}</h1>{content}</div>'
    return status, shell(title="Error", kind="error", theme=theme, body=body)
