"""Root of the ``nextauth`` command: composes one module per command (heavy imports stay inside them)."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterator, MutableMapping
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

COMMANDS = {
    "init": "init",
    "add-provider": "add_provider",
    "remove-provider": "remove_provider",
    "providers": "providers",
    "generate": "generate",
    "secret": "secret",
    "doctor": "doctor",
    "dev": "dev",
    "start": "start",
    "db": "db",
}
"""Each command and its module in ``nextauth_cli.commands``, in the order ``--help`` lists them."""


def _keep_blocks(doc: str) -> str:
    """``doc`` with its indented paragraphs (the examples) marked ``\\b``, so click prints their lines as written."""
    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join("\b\n" + p if p.startswith(" ") else p for p in paragraphs)


def _doc(info: Any) -> str:
    """The help of a registered command or group: given, else its function's docstring."""
    given = getattr(info, "help", None)
    callback = getattr(info, "callback", None)
    return given if isinstance(given, str) else (callback.__doc__ or "") if callback else ""


class _Listing(TyperGroup):
    """A group whose ``--help`` lists each command with its whole first paragraph (click cuts at ~45 characters)."""

    def summary(self, ctx: Any, name: str) -> str:
        command = self.get_command(ctx, name)
        return command.get_short_help_str(limit=1000) if command is not None else ""

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = [(name, self.summary(ctx, name)) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


class _Commands(MutableMapping[str, Any]):
    """The root's commands by name: every name known at once, each command built on first use."""

    def __init__(self) -> None:
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in COMMANDS:
                raise KeyError(name)
            self._built[name] = _build(name, _typer_of(name))
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:  # pragma: no cover - click never removes a command
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*COMMANDS, *self._built]))

    def __len__(self) -> int:
        return len(dict.fromkeys([*COMMANDS, *self._built]))


class _Root(_Listing):
    """``nextauth``: builds a command only when it runs or its own help is asked for.

    typer builds every parameter of every command it is given (type hints evaluated, a converter each), which
    was most of what ``nextauth --help`` cost; the list of commands needs only each one's first paragraph.
    """

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Commands()

    def list_commands(self, _ctx: Any) -> list[str]:
        return list(self.commands)  # names only: the iteration builds nothing

    def summary(self, _ctx: Any, name: str) -> str:
        sub = _typer_of(name)
        doc = _doc(sub.info) if _is_group(sub) else _doc(sub.registered_commands[0])
        return " ".join(doc.strip().split("\n\n")[0].split())


def _typer_of(name: str) -> typer.Typer:
    app: typer.Typer = importlib.import_module(f"nextauth_cli.commands.{COMMANDS[name]}").app
    return app


def _is_group(sub: typer.Typer) -> bool:
    """typer's own rule: one command and no callback or sub-group make a command, anything else a group."""
    return bool(sub.registered_callback or sub.info.callback or sub.registered_groups) or (
        len(sub.registered_commands) != 1
    )


def _build(name: str, sub: typer.Typer) -> Any:
    """The click command of one ``nextauth_cli.commands`` module: plain help, examples kept as written."""
    sub.rich_markup_mode = None
    sub._add_completion = False  # what typer.Typer(add_completion=False) sets: completion is the root's
    for info in sub.registered_commands:
        info.help = _keep_blocks(_doc(info))
    if _is_group(sub):
        sub.info.cls = _Listing  # db: a group of its own
    command = typer.main.get_command(sub)
    command.name = name
    return command


# Plain click help, not rich's: rendering help through rich costs more than the rest of `nextauth --help`.
app = typer.Typer(
    cls=_Root,
    name="nextauth",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals hold client secrets
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from nextauth_cli import __version__

        typer.echo(f"nextauth {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Scaffold, serve and maintain a NextAuth.js-compatible auth setup in Python.

    Start with `nextauth init`; nextauth.toml is the source of truth, `nextauth generate` keeps the code
    in step with it, `nextauth doctor` checks everything. Every command takes the project directory as DIR
    (default: here). Exit codes: 0 ok, 1 error, 2 usage, 3 port in use (dev, start), 130 interrupted.
    """


def main() -> None:
    app()
