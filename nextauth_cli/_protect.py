"""Route protection from nextauth.toml: ``[middleware] protect = [...]`` and what it becomes.

``protect`` lists Next.js matcher entries (``/dashboard/:path*``). Each is checked with the runtime's own
matcher compiler, so nextauth.toml never holds an entry the server would refuse at startup. The
generated ``middleware.py`` is next-auth's ``withAuth`` with those entries as its ``config["matcher"]``.

A nextauth.toml without the section (a project created before route protection existed) protects
nothing and gets no ``middleware.py`` and no starter pages; ``nextauth init`` writes the section with
:data:`DEFAULT_PROTECT` (or the ``--protect`` patterns).
"""

from __future__ import annotations

from dataclasses import dataclass

from nextauth._lib.matcher import MatcherError, compile_matcher
from nextauth_cli._config_model import DEFAULT_BASE_PATH, DEFAULT_PROTECT, ProjectConfig
from nextauth_cli._config_values import text_problem
from nextauth_cli._pycode import Call, Dict, Expr, List, Raw, format_statement, literal

__all__ = [
    "DEFAULT_PROTECT",
    "MAX_PATTERNS",
    "PROTECT_FIX",
    "LoopProblem",
    "loop_problems",
    "matcher_statement",
    "middleware_statement",
    "protect_problem",
    "with_auth_pages",
]

MAX_PATTERNS = 64
"""The most entries ``protect`` may hold (a bound on what is compiled and rendered from it)."""
PROTECT_FIX = (
    'list Next.js matchers, e.g. protect = ["/dashboard/:path*", "/admin/:path*"] '
    "(':path*' covers the page and everything below it; see docs/protecting-routes.md)"
)
_AUTH_PROBES = ("signin", "callback/credentials", "session", "csrf")
"""Auth routes a sign-in goes through: a middleware that catches one of them sends sign-ins round in a loop."""


def protect_problem(entry: object) -> str | None:
    """Why ``entry`` is not a matcher entry nextauth can write (TOML, Python) and the server accepts, or ``None``."""
    if not isinstance(entry, str):
        return f"must be a string such as '/dashboard/:path*', not {type(entry).__name__}"
    problem = text_problem(entry)
    if problem:
        return problem
    if not entry.startswith("/"):
        return "must start with '/' (a path such as /dashboard/:path*)"
    try:
        compile_matcher([entry])
    except MatcherError as exc:
        return f"is not a valid matcher: {str(exc).removeprefix(f'{entry!r}: ')}"
    return None


def parse_protect(value: object) -> tuple[str, ...]:
    """``[middleware] protect`` as a tuple of entries; ``ValueError`` saying what is wrong otherwise."""
    if not isinstance(value, list):
        raise ValueError('`middleware.protect` must be a list of paths, e.g. protect = ["/dashboard/:path*"]')
    if len(value) > MAX_PATTERNS:
        raise ValueError(f"`middleware.protect` has {len(value)} entries; the limit is {MAX_PATTERNS}")
    for entry in value:
        problem = protect_problem(entry)
        if problem:
            shown = repr(entry)[:80] if isinstance(entry, str) else type(entry).__name__
            raise ValueError(f"`middleware.protect` entry {shown} {problem}")
    return tuple(dict.fromkeys(value))  # a repeated entry changes nothing: written once


def with_auth_pages(config: ProjectConfig) -> dict[str, str]:
    """``pages`` for ``with_auth``: the sign-in and error pages, when they are not next-auth's defaults.

    ``with_auth`` sends refused requests to ``pages.sign_in`` (default ``/api/auth/signin``) and never checks
    that page itself; with another base path or a custom page it must be told where the page is.
    """
    pages: dict[str, str] = {}
    for key, action in (("sign_in", "signin"), ("error", "error")):
        custom = config.pages.get(key)
        if custom:
            pages[key] = custom
        elif config.base_path != DEFAULT_BASE_PATH:
            pages[key] = f"{config.base_path}/{action}"
    return pages


def middleware_statement(config: ProjectConfig) -> str:
    """``middleware = with_auth(...)`` for the generated middleware.py."""
    kwargs: list[tuple[str, Expr]] = []
    if config.session_strategy == "database":
        # with_auth reads JWTs; database sessions are checked by an authorized() the template defines.
        kwargs.append(("callbacks", Dict([("authorized", Raw("authorized"))])))
    pages = with_auth_pages(config)
    if pages:
        kwargs.append(("pages", literal(pages)))
    return format_statement("middleware", Call("with_auth", (), kwargs))


def matcher_statement(config: ProjectConfig) -> str:
    """``config = {"matcher": [...]}`` for the generated middleware.py ("" when nothing is protected)."""
    if not config.protect:
        return ""
    return format_statement("config", Dict([("matcher", List([literal(p) for p in config.protect]))]))


@dataclass(frozen=True)
class LoopProblem:
    message: str
    fix: str


def _auth_path(nextauth_url: str | None) -> str:
    """The path with_auth takes for the auth routes: NEXTAUTH_URL's, else ``/api/auth`` (as the runtime)."""
    from nextauth._lib.url import parse_url
    from nextauth.errors import ConfigurationError

    try:
        return parse_url(nextauth_url or None).path
    except ConfigurationError:
        return DEFAULT_BASE_PATH


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix.rstrip("/") + "/")


def loop_problems(
    config: ProjectConfig,
    *,
    nextauth_url: str | None,
    env_origin: str,
    where: str,
    middleware_text: str | None,
) -> list[LoopProblem]:
    """Matchers in ``protect`` that catch the auth routes or the sign-in page where ``with_auth`` would not
    let them through: a signed-out visitor would be sent to the sign-in page again and again.

    ``nextauth_url`` is NEXTAUTH_URL as the server sees it (``where`` says where it comes from, ``env_origin``
    is its origin, else the development URL's); ``middleware_text`` is the project's middleware.py.
    """
    if not config.protect:
        return []
    try:
        matcher = compile_matcher(list(config.protect))
    except MatcherError:  # pragma: no cover - nextauth.toml's entries were checked when it was read
        return []
    problems: list[LoopProblem] = []
    base = config.base_path
    auth_path = _auth_path(nextauth_url)
    caught = [f"{base}/{probe}" for probe in _AUTH_PROBES if matcher.matches(f"{base}/{probe}")]
    if caught and not _under(caught[0], auth_path):
        expected = config.nextauth_url(env_origin)
        problems.append(
            LoopProblem(
                f"[middleware] protect selects the auth routes ({', '.join(caught)}), and with_auth recognises them "
                f"by NEXTAUTH_URL's path ({auth_path}): sign-in requests would be sent to the sign-in page "
                "again (a redirect loop)",
                f"set NEXTAUTH_URL={expected} in {where} (its path must be {base})",
            )
        )
    sign_in = config.pages.get("sign_in") or f"{base}/signin"
    if sign_in.startswith("/") and matcher.matches(sign_in) and not _under(sign_in, auth_path):
        named = middleware_text is not None and any(
            f"{quote}{sign_in}{quote}" in middleware_text for quote in ('"', "'")
        )
        if middleware_text is not None and not named:
            problems.append(
                LoopProblem(
                    f"[middleware] protect selects the sign-in page {sign_in}, and middleware.py does not name it "
                    "in with_auth's pages: a signed-out visitor would be sent from the sign-in page to the "
                    "sign-in page (a redirect loop)",
                    f'pass pages={{"sign_in": "{sign_in}"}} to with_auth in middleware.py, or change [middleware] '
                    f"protect in nextauth.toml so that no entry covers {sign_in}",
                )
            )
    return problems
