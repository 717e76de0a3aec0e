"""The `nextauth init` interview: selection lists in a capable terminal, typed answers otherwise.

Only questions the flags did not answer are asked. In a terminal (and ``TERM`` is not ``dumb``) the
choices are arrow-key lists and check boxes (questionary, which copier uses too); without one, each
question is a typed prompt that reads a line (so answers can be piped in). Ctrl-C or end of input
stops the interview without writing anything.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from nextauth_cli import _console as console, catalog
from nextauth_cli._protect import DEFAULT_PROTECT, protect_problem
from nextauth_cli.config import DEFAULT_DATABASE_URL, DEFAULT_DEV_URL, Answers, Mode, Router, Strategy, check_origin
from nextauth_cli.errors import CliError, UsageError

__all__ = ["Partial", "interview"]

T = TypeVar("T")


@dataclass(kw_only=True)
class Partial:
    """Answers given as flags; ``None`` means "ask" (or take the default with ``--yes``)."""

    router: Router | None = None
    mode: Mode | None = None
    providers: Sequence[str] | None = None
    session: Strategy | None = None
    database_url: str | None = None
    url: str | None = None
    production_url: str | None = None
    cookie_domain: str | None = None
    base_path: str | None = None
    redirect_callback: bool = False
    refresh_tokens: bool = False
    rate_limit: bool = False
    protect: Sequence[str] | None = None
    """``--protect`` patterns (``None``: ask, or :data:`~nextauth_cli._protect.DEFAULT_PROTECT` with ``--yes``)."""


def _selection_lists() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty() and os.environ.get("TERM", "") not in ("", "dumb")


class _Asker:
    """One question at a time, through questionary or typed prompts."""

    def __init__(self, *, lists: bool) -> None:
        self.lists = lists

    def _ask(self, question: Any) -> Any:
        answer = question.ask()
        if answer is None:  # questionary returns None on Ctrl-C
            raise KeyboardInterrupt
        return answer

    def select(self, message: str, choices: Sequence[tuple[str, str]], default: str) -> str:
        if self.lists:
            import questionary

            items = [questionary.Choice(title, value=value) for value, title in choices]
            return cast(str, self._ask(questionary.select(message, choices=items, default=default, qmark="?")))
        for value, title in choices:
            console.line(f"  [bold]{value}[/bold]  {console.escape(title)}")
        return _typed(lambda: console.ask_choice(message, [v for v, _ in choices], default=default))

    def checkbox(self, message: str, choices: Sequence[tuple[str, str]], default: Sequence[str]) -> list[str]:
        if self.lists:
            import questionary

            items = [questionary.Choice(title, value=value, checked=value in default) for value, title in choices]
            question = questionary.checkbox(
                message,
                choices=items,
                qmark="?",
                validate=lambda picked: True if picked else "choose at least one (space toggles, enter confirms)",
            )
            return list(self._ask(question))
        while True:
            raw = _typed(lambda: console.ask_text(f"{message} (comma-separated ids)", default=",".join(default)))
            picked = [part.strip() for part in raw.replace(" ", ",").split(",") if part.strip()]
            try:
                return [catalog.get(p).id for p in picked] or list(default)
            except CliError as exc:
                console.error(exc.message, fix=exc.fix)

    def text(self, message: str, default: str, validate: Callable[[str], str | None]) -> str:
        if self.lists:
            import questionary

            def check(value: str) -> bool | str:
                problem = validate(value.strip())
                return True if problem is None else problem

            return cast(str, self._ask(questionary.text(message, default=default, validate=check, qmark="?"))).strip()
        while True:
            answer = _typed(lambda: console.ask_text(message, default=default))
            problem = validate(answer)
            if problem is None:
                return answer
            console.error(problem)

    def confirm(self, message: str, default: bool) -> bool:
        if self.lists:
            import questionary

            return bool(self._ask(questionary.confirm(message, default=default, qmark="?")))
        return _typed(lambda: console.ask_confirm(message, default=default))


def _typed(ask: Callable[[], T]) -> T:
    try:
        return ask()
    except EOFError:
        raise UsageError(
            "no answer on standard input",
            fix="answer in a terminal, or pass the answers as flags (--yes takes the defaults)",
        ) from None


def _origin_problem(value: str, *, optional: bool = False) -> str | None:
    if optional and not value:
        return None
    try:
        check_origin(value, "the URL")
    except ValueError as exc:
        return str(exc)
    return None


def _provider_choices() -> list[tuple[str, str]]:
    out = []
    for spec in catalog.CATALOG.values():
        if spec.id == "oauth":
            continue
        out.append((spec.id, f"{spec.name} ({spec.id})" if spec.name.lower() != spec.id else spec.name))
    return out


def _protect_problem(answer: str) -> str | None:
    if answer.strip().lower() == "none":
        return None
    for entry in answer.split():
        problem = protect_problem(entry)
        if problem:
            return f"{entry}: {problem}"
    return None


def interview(given: Partial, *, ask: bool) -> Answers:
    """Complete ``given`` by asking (``ask``) or with the defaults; validation is the caller's."""
    asker = _Asker(lists=_selection_lists()) if ask else None

    def pick(value: Any, default: Any, question: Callable[[_Asker], Any]) -> Any:
        if value is not None:
            return value
        return question(asker) if asker is not None else default

    router = pick(
        given.router,
        "app",
        lambda a: a.select(
            "Router layout",
            [
                ("app", "app/api/auth/[...nextauth]/route.py (GET and POST handlers)"),
                ("pages", "pages/api/auth/[...nextauth].py (handler(req, res))"),
            ],
            "app",
        ),
    )
    mode = pick(
        given.mode,
        "simple",
        lambda a: a.select(
            "Initialization",
            [("simple", "NextAuth(auth_options)"), ("advanced", "your code runs on each request before NextAuth")],
            "simple",
        ),
    )
    providers = pick(
        given.providers, ["credentials"], lambda a: a.checkbox("Providers", _provider_choices(), ["credentials"])
    )
    kinds = [catalog.get(p).id for p in providers]
    session: str | None = given.session
    if session is None:
        if "credentials" in kinds and asker is not None:
            # Database sessions would leave credentials users signed out: not offered (flags are refused).
            console.line(
                "[dim]Sessions: jwt, an encrypted cookie (the credentials provider cannot create database sessions)"
                "[/dim]"
            )
            session = "jwt"
        elif "credentials" in kinds or asker is None:
            session = "jwt"
        else:
            session = asker.select(
                "Sessions",
                [("jwt", "an encrypted cookie (no database)"), ("database", "rows in a database (revocable)")],
                "jwt",
            )
    database_url = given.database_url
    if database_url is None and (session == "database" or "email" in kinds) and asker is not None:
        database_url = asker.text(
            "Database URL",
            DEFAULT_DATABASE_URL,
            lambda v: None if "://" in v else "a SQLAlchemy URL such as sqlite:///./nextauth.db",
        )
    url = pick(given.url, DEFAULT_DEV_URL, lambda a: a.text("Development URL", DEFAULT_DEV_URL, _origin_problem))
    production_url = given.production_url
    if production_url is None and asker is not None:
        production_url = (
            asker.text(
                "Production URL (empty if not known yet)", "", lambda v: _origin_problem(v, optional=True)
            ).strip()
            or None
        )
    cookie_domain = given.cookie_domain
    if cookie_domain is None and production_url and asker is not None:
        host = urlsplit(production_url).hostname or ""
        parent = ".".join(host.split(".")[-2:])
        if host.count(".") >= 2 and asker.confirm(f"Share the session with every subdomain of {parent}?", False):
            cookie_domain = parent
    protect = given.protect
    if protect is None:
        protect = DEFAULT_PROTECT
        if asker is not None:
            answer = asker.text(
                "Paths only signed-in users may open (Next.js matchers, space-separated, or none)",
                " ".join(DEFAULT_PROTECT),
                _protect_problem,
            )
            protect = () if answer.strip().lower() == "none" else tuple(answer.split())
    return Answers(
        router=router,
        mode=mode,
        providers=tuple(kinds),
        session=cast(Strategy, session),
        database_url=database_url,
        url=url,
        production_url=production_url,
        cookie_domain=cookie_domain,
        base_path=given.base_path or "/api/auth",
        redirect_callback=given.redirect_callback,
        refresh_tokens=given.refresh_tokens,
        rate_limit=given.rate_limit,
        protect=tuple(protect),
    )
