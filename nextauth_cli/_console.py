"""All terminal output and typed prompts: the only module that imports rich.

Messages go to stdout, errors and warnings to stderr. Lines are never hard-wrapped (soft wrap), so a
redirect URI or a command stays copyable. rich honours ``NO_COLOR`` and plain output when not a terminal.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "ask_choice",
    "ask_confirm",
    "ask_text",
    "diff",
    "error",
    "escape",
    "heading",
    "info",
    "line",
    "success",
    "table",
    "warning",
]


@functools.cache
def _stdout() -> Console:
    from rich.console import Console

    return Console(soft_wrap=True, highlight=False)


@functools.cache
def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True, highlight=False)


def reset() -> None:
    """Forget the consoles (tests swap ``sys.stdout``; the next call binds to the current streams)."""
    _stdout.cache_clear()
    _stderr.cache_clear()


def escape(text: str) -> str:
    """``text`` with rich markup characters escaped, for user-provided values."""
    from rich.markup import escape as _escape

    return _escape(text)


def line(markup: str = "") -> None:
    """One line of output on stdout (rich markup allowed)."""
    _stdout().print(markup)


def info(message: str) -> None:
    _stdout().print(escape(message))


def heading(message: str) -> None:
    _stdout().print(f"\n[bold]{escape(message)}[/bold]")


def success(message: str) -> None:
    _stdout().print(f"[green]✓[/green] {escape(message)}")


def warning(message: str, *, fix: str | None = None) -> None:
    console = _stderr()
    console.print(f"[yellow]warning:[/yellow] {escape(message)}")
    if fix:
        console.print(f"  [dim]fix:[/dim] {escape(fix)}")


def error(message: str, *, fix: str | None = None) -> None:
    """An error in red on stderr, with its fix on the next line."""
    console = _stderr()
    console.print(f"[bold red]error:[/bold red] [red]{escape(message)}[/red]")
    if fix:
        console.print(f"  [dim]fix:[/dim] {escape(fix)}")


def table(columns: Sequence[str], rows: Sequence[Sequence[str]], *, title: str | None = None) -> None:
    from rich.table import Table

    grid = Table(title=title, show_lines=False, header_style="bold", expand=False)
    for column in columns:
        grid.add_column(column, overflow="fold")
    for row in rows:
        grid.add_row(*(escape(cell) for cell in row))
    _stdout().print(grid)


def diff(text: str, *, stderr: bool = False) -> None:
    """A unified diff (or a file with conflict markers), coloured by line kind."""
    console = _stderr() if stderr else _stdout()
    for raw in text.splitlines():
        shown = escape(raw)
        if raw.startswith(("+++", "---")):
            console.print(f"[bold]{shown}[/bold]")
        elif raw.startswith("@@"):
            console.print(f"[cyan]{shown}[/cyan]")
        elif raw.startswith(("+<<<<<<<", "+=======", "+>>>>>>>", "+|||||||")):
            console.print(f"[bold magenta]{shown}[/bold magenta]")
        elif raw.startswith("+"):
            console.print(f"[green]{shown}[/green]")
        elif raw.startswith("-"):
            console.print(f"[red]{shown}[/red]")
        else:
            console.print(shown)


def ask_text(question: str, *, default: str | None = None) -> str:
    """Typed input (used when the terminal cannot show selection lists)."""
    from rich.prompt import Prompt

    if default is None:
        answer = Prompt.ask(question, console=_stdout())
    else:
        answer = Prompt.ask(question, default=default, console=_stdout())
    return (answer or "").strip()


def ask_choice(question: str, choices: Sequence[str], *, default: str) -> str:
    from rich.prompt import Prompt

    return Prompt.ask(question, choices=list(choices), default=default, console=_stdout())


def ask_confirm(question: str, *, default: bool) -> bool:
    from rich.prompt import Confirm

    return bool(Confirm.ask(question, default=default, console=_stdout()))


def is_interactive() -> bool:
    """Whether both ends are a terminal (prompts make sense)."""
    return sys.stdin.isatty() and sys.stdout.isatty()
