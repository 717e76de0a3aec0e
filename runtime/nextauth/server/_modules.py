"""Importing the project's route files by path, as Next.js bundles each route file on its own.

Every route file becomes a module with a unique name derived from its path (brackets and dots in
``[...nextauth]`` make the real dotted path unusable), with the project directory first on
``sys.path`` so a route file can ``import auth_options``. Relative imports are not available in route
files; shared code lives in ordinary modules of the project.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import re
import sys
import traceback
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any

from nextauth.errors import NextAuthError
from nextauth.server._errors import InvalidRouteError, RouteImportError
from nextauth.server._routes import RouteFile

__all__ = ["import_route", "load_middleware", "prepare_import_path"]

_KEEP = frozenset({"__main__", "nextauth", "nextauth_cli"})
_PACKAGE = Path(__file__).resolve().parents[1]  # the nextauth package


def prepare_import_path(project: Path) -> None:
    """Put ``project`` first on ``sys.path`` and forget modules it shadows.

    A module imported earlier from another directory under a name this project also defines (a second
    project's ``auth_options`` in the same process, as in a test run) would otherwise be reused; the
    project's own module is what a fresh process would import, so that one must win. Only modules from
    outside the interpreter's own prefixes are forgotten.
    """
    entry = str(project)
    if entry in sys.path:
        sys.path.remove(entry)
    sys.path.insert(0, entry)
    importlib.invalidate_caches()
    names = {p.stem for p in project.glob("*.py")} | {p.parent.name for p in project.glob("*/__init__.py")}
    prefixes = tuple({str(Path(p).resolve()) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)})
    for name in names - _KEEP - set(sys.stdlib_module_names):
        module = sys.modules.get(name)
        where = getattr(module, "__file__", None) if module is not None else None
        if not where:
            continue
        location = Path(where).resolve()
        if location.is_relative_to(project) or str(location).startswith(prefixes):
            continue
        for loaded in [n for n in sys.modules if n == name or n.startswith(name + ".")]:
            del sys.modules[loaded]


def module_name(route: RouteFile, project: Path) -> str:
    digest = hashlib.sha256(f"{project}\0{route.rel}".encode()).hexdigest()[:10]
    return f"nextauth_route_{re.sub(r'[^0-9A-Za-z]+', '_', route.rel).strip('_')}_{digest}"


def import_route(route: RouteFile, project: Path) -> ModuleType:
    """Execute the route file as a fresh module; any exception becomes a :class:`RouteImportError`."""
    name = module_name(route, project)
    spec = importlib.util.spec_from_file_location(name, route.path)
    if spec is None or spec.loader is None:  # pragma: no cover - a .py path always has a source loader
        raise RouteImportError(f"{route.rel}: cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException as exc:
        sys.modules.pop(name, None)
        if not isinstance(exc, Exception):
            raise
        raise RouteImportError(describe_import_error(route, exc, project)) from None
    return module


def describe_import_error(route: RouteFile, exc: Exception, project: Path | None = None) -> str:
    """What went wrong in the user's code, with their frames only (not the import machinery's)."""
    frames = _user_frames(exc.__traceback__)
    if isinstance(exc, NextAuthError):
        # nextauth's own configuration errors already say what to do: point at the user's line, no traceback.
        where = ""
        own = [f for f in traceback.extract_tb(frames) if not Path(f.filename).is_relative_to(_PACKAGE)]
        if own:
            path = Path(own[-1].filename)
            shown = path.relative_to(project).as_posix() if project and path.is_relative_to(project) else str(path)
            where = f" ({shown}:{own[-1].lineno})"
        return f"{route.rel} could not be imported{where}: {exc}"
    exc.__traceback__ = frames
    details = "".join(traceback.format_exception(exc)).rstrip()
    return f"{route.rel} could not be imported: {type(exc).__name__}: {exc}\n\n{details}"


def _user_frames(tb: TracebackType | None) -> TracebackType | None:
    """Drop the leading frames of this module and of importlib, so the traceback starts in user code."""
    own = {__file__}
    while tb is not None and (tb.tb_frame.f_code.co_filename in own or _is_import_machinery(tb)):
        tb = tb.tb_next
    return tb


def _is_import_machinery(tb: TracebackType) -> bool:
    filename = tb.tb_frame.f_code.co_filename
    return filename.startswith("<frozen importlib")


# -- middleware.py -------------------------------------------------------------------------------------

MIDDLEWARE_FILE = "middleware.py"


def find_middleware(project: Path) -> Path | None:
    """``middleware.py`` at the project root, or in ``src/`` when the routes live there (as Next.js)."""
    for base in (project, project / "src"):
        candidate = base / MIDDLEWARE_FILE
        if candidate.is_file():
            return candidate
        if (base / "pages").is_dir() or (base / "app").is_dir():
            return None
    return None


def load_middleware(project: Path, *, debug: bool = False) -> list[Any]:
    """The project's ``middleware.py`` as a Starlette ``Middleware`` entry (an empty list without one).

    The file exports ``middleware(request)`` and optionally ``config = {"matcher": ...}``; the matcher is
    compiled here, once, and a mistake in either is a :class:`~nextauth.server.ProjectError` naming the file.
    Call after :func:`prepare_import_path`.
    """
    path = find_middleware(project)
    if path is None:
        return []
    # Imported here: nextauth.middleware imports the server's plumbing, which imports this module.
    from starlette.middleware import Middleware

    from nextauth._lib.matcher import MatcherError, compile_matcher
    from nextauth.middleware import NextAuthMiddleware

    source = RouteFile("app", path, path.relative_to(project).as_posix(), ())
    module = import_route(source, project)
    fn = getattr(module, "middleware", None)
    if not callable(fn):
        found = "" if fn is None else f" (found a {type(fn).__name__})"
        raise InvalidRouteError(
            f"{source.rel}: must define a function middleware(request){found}; "
            "for example: from nextauth.middleware import with_auth as middleware"
        )
    config = getattr(module, "config", None)
    if config is not None and not isinstance(config, dict):
        raise InvalidRouteError(f'{source.rel}: config must be a dict such as {{"matcher": ["/dashboard/:path*"]}}')
    config = config or {}
    unknown = sorted(set(config) - {"matcher"})
    if unknown:
        raise InvalidRouteError(f"{source.rel}: config supports only 'matcher', not {', '.join(map(repr, unknown))}")
    try:
        matcher = compile_matcher(config.get("matcher"))
    except MatcherError as exc:
        raise InvalidRouteError(f"{source.rel}: config['matcher']: {exc}") from None
    return [Middleware(NextAuthMiddleware, middleware=fn, matcher=matcher, slash_redirects=True, debug=debug)]
