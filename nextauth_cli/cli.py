"""Root of the ``nextauth`` command (placeholder until the CLI lands)."""

from __future__ import annotations

import typer

app = typer.Typer(name="nextauth", no_args_is_help=True, pretty_exceptions_show_locals=False)


@app.callback()
def _root() -> None:
    """Scaffold, serve and maintain a NextAuth.js-compatible auth setup in Python."""


def main() -> None:
    app()
