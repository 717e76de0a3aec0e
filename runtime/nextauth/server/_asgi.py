"""The project as Starlette routes: one route object holding the matcher built at startup.

Path handling follows Next.js: the raw path is split on ``/`` before each segment is percent-decoded
(so ``a%2Fb`` is one segment), a trailing slash or a run of slashes (or a backslash) is answered with
``308`` to the normalised path, and a segment with a malformed escape is a ``400``.
"""

from __future__ import annotations

import inspect
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.datastructures import URLPath
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import Receive, Scope, Send

from nextauth._lib.asgi import (
    Endpoint,
    HeaderLimit,
    Params,
    UserCallable,
    head_safe,
    headers_over_limit,
    send_bytes,
    send_header_limit,
)
from nextauth._lib.cookies import decode_uri_component
from nextauth.server._app import AppEndpoint, PageEndpoint
from nextauth.server._env import load_env_files
from nextauth.server._errors import ProjectNotFoundError
from nextauth.server._modules import import_route, load_middleware, prepare_import_path
from nextauth.server._pages import PagesEndpoint
from nextauth.server._routes import RouteFile, RouteTable, Segment, SegmentKind, discover, find_route_roots

__all__ = ["ProjectApp", "ProjectRoutes", "auth_routes", "create_app", "load_project", "routes_from_project"]

log = logging.getLogger("nextauth.server")

_SCOPE_KEY = "nextauth.server.match"
_SLASHES = re.compile(r"[/\\]{2,}|\\")

_LOADERS: dict[str, Callable[..., Endpoint]] = {
    "pages": PagesEndpoint.from_module,
    "app": AppEndpoint.from_module,
    "page": PageEndpoint.from_module,
}


@dataclass(frozen=True, slots=True)
class _Found:
    endpoint: Endpoint
    params: Params


@dataclass(frozen=True, slots=True)
class _Redirect:
    location: str


class _BadPath(ValueError):
    pass


def _decode(segment: str) -> str:
    try:
        return decode_uri_component(segment)
    except ValueError:
        raise _BadPath(segment) from None


def raw_paths(scope: Scope) -> tuple[str, str]:
    """``(prefix, path)``: the still-encoded path below ``root_path``, and the raw prefix above it."""
    path: str = scope["path"]
    raw_bytes = scope.get("raw_path")
    raw = raw_bytes.decode("latin-1") if raw_bytes else quote(path, safe="/:@!$&'()*+,;=-._~\\")
    root: str = scope.get("root_path", "")
    if not root or not path.startswith(root) or (len(path) > len(root) and path[len(root)] != "/"):
        return "", raw
    depth = root.rstrip("/").count("/")
    parts = raw.split("/")
    return "/".join(parts[: depth + 1]), "/" + "/".join(parts[depth + 1 :])


def normalize_path(raw: str) -> str:
    """Backslashes to ``/``, runs of ``/`` to one, no trailing ``/`` (Next.js's 308 targets)."""
    cleaned = _SLASHES.sub("/", raw)
    return cleaned.rstrip("/") or "/"


def split_segments(raw: str) -> list[str]:
    """Decoded segments of a normalised raw path; :class:`_BadPath` for a malformed escape."""
    if raw in ("", "/"):
        return []
    return [_decode(s) for s in raw[1:].split("/")]


def _needs_redirect(raw: str) -> bool:
    return (len(raw) > 1 and raw.endswith("/")) or "//" in raw or "\\" in raw


class ProjectRoutes(BaseRoute):
    """A Starlette route answering every URL of a route table (all methods; the endpoint decides).

    It only claims requests it can answer, so it composes with other routes of a Starlette or FastAPI
    application; put it where its precedence should apply.
    """

    def __init__(self, table: RouteTable[Endpoint], *, name: str = "nextauth") -> None:
        self.table = table
        self.name = name
        self._resolved: dict[PathKey, _Found | None] = {}
        """Paths already resolved (not the redirects, whose target carries the query): the same few URLs
        arrive again and again. Bounded: emptied when full, so that a client sending new paths only costs the
        cache its hits."""

    def __repr__(self) -> str:
        return f"ProjectRoutes({[source.pattern for source, _ in self.table]!r})"

    def resolve(self, scope: Scope) -> _Found | _Redirect | None:
        key = _path_key(scope)
        try:
            found = self._resolved[key]
        except KeyError:
            pass
        else:
            # Each request gets its own params (a handler may change the lists it is given).
            return None if found is None else _Found(found.endpoint, _fresh(found.params))
        resolved = self._resolve(scope)
        if not isinstance(resolved, _Redirect):
            if len(self._resolved) >= _RESOLVED_MAX:
                self._resolved.clear()
            self._resolved[key] = None if resolved is None else _Found(resolved.endpoint, _fresh(resolved.params))
        return resolved

    def _resolve(self, scope: Scope) -> _Found | _Redirect | None:
        prefix, raw = raw_paths(scope)
        redirect = _needs_redirect(raw)
        if redirect:
            raw = normalize_path(raw)
        try:
            segments = split_segments(raw)
        except _BadPath:
            return None
        found = self.table.match(segments)
        if found is None:
            return None
        if redirect:
            return _Redirect(_location(prefix + raw, scope))
        return _Found(found.target, found.params)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http":
            return Match.NONE, {}
        resolved = self.resolve(scope)
        if resolved is None:
            return Match.NONE, {}
        params = resolved.params if isinstance(resolved, _Found) else {}
        return Match.FULL, {_SCOPE_KEY: resolved, "path_params": params}

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        raise NoMatchFound(name, path_params)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if headers_over_limit(scope):  # also inside someone else's app, where create_app's guard is absent
            await send_header_limit(send)
            return
        resolved = scope.get(_SCOPE_KEY) or self.resolve(scope)
        if isinstance(resolved, _Redirect):
            # As Next.js: the body is the target (a HEAD gets none).
            await send_bytes(head_safe(scope, send), 308, resolved.location.encode(), [("location", resolved.location)])
        elif isinstance(resolved, _Found):
            await resolved.endpoint(scope, receive, send, resolved.params)
        else:
            await send_bytes(send, 404, b"Not Found", [("content-type", "text/plain; charset=utf-8")])


_RESOLVED_MAX = 1024
PathKey = tuple[str, str, bytes | None]


def _path_key(scope: Scope) -> PathKey:
    """What resolving a request's path (and the middleware's bypass) depends on, and nothing else."""
    return scope.get("root_path", ""), scope["path"], scope.get("raw_path")


def _fresh(params: Params) -> Params:
    return {name: list(value) if isinstance(value, list) else value for name, value in params.items()}


def _location(path: str, scope: Scope) -> str:
    # One leading slash only: "//host" or "/\host" would send the browser to another site.
    location = "/" + path.lstrip("/\\")
    query: bytes = scope.get("query_string", b"")
    return f"{location}?{query.decode('latin-1')}" if query else location


# -- building ------------------------------------------------------------------------------------------


def resolve_project(project_dir: str | Path) -> Path:
    project = Path(project_dir).expanduser().resolve()
    if not project.is_dir():
        raise ProjectNotFoundError(f"{project_dir}: no such directory (give the directory that holds pages/ or app/)")
    return project


def load_project(project_dir: str | Path, *, load_env: bool = True, debug: bool = False) -> RouteTable[Endpoint]:
    """Discover, import and check every route file of the project; errors are :class:`ProjectError`."""
    project = resolve_project(project_dir)
    if not find_route_roots(project):
        raise ProjectNotFoundError(
            f"{project}: found neither pages/ nor app/; "
            "create pages/api/<name>.py or app/<path>/route.py (or run `nextauth init`)"
        )
    if load_env:
        load_env_files(project)
    sources = discover(project)
    # Check the whole tree for conflicts before running any user code.
    check: RouteTable[RouteFile] = RouteTable()
    for source in sources:
        check.add(source, source)
    prepare_import_path(project)
    loaded: RouteTable[Endpoint] = RouteTable()
    for source in sources:
        module = import_route(source, project)
        loaded.add(source, _LOADERS[source.style](source, module, debug=debug))
    for source, endpoint in loaded:
        log.debug("route %s -> %s (%s)", source.pattern, source.rel, endpoint.style)
    if not sources:
        log.warning("%s: no route files found in pages/ or app/", project)
    return loaded


def routes_from_project(project_dir: str | Path, *, load_env: bool = True, debug: bool = False) -> list[BaseRoute]:
    """The project's ``pages/`` and ``app/`` routes, to include in any Starlette or FastAPI application.

    Env files are loaded first (``load_env=False`` to skip), then every route file is imported; a broken
    project raises :class:`~nextauth.server.ProjectError` naming the file. The routes claim only the URLs
    the project defines (plus the 308 to them from a trailing-slash form), so they sit beside your own::

        app = FastAPI()
        app.router.routes.extend(routes_from_project("."))
    """
    return [ProjectRoutes(load_project(project_dir, load_env=load_env, debug=debug))]


# -- application --------------------------------------------------------------------------------------

_NOT_FOUND_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>404: This page could not be found.</title>
<style>body{{font-family:system-ui,sans-serif;height:100vh;margin:0;display:flex;align-items:center;\
justify-content:center}}h1{{font-size:24px;font-weight:500;margin:0 20px 0 0;padding-right:20px;\
border-right:1px solid rgba(0,0,0,.3)}}h2{{font-size:14px;font-weight:400;margin:0}}</style></head>
<body><h1>404</h1><h2>This page could not be found{detail}.</h2></body></html>
"""


async def _not_found(request: Request, exc: Exception) -> Response:
    """404 for unknown URLs, after Next.js's normalising redirect and its 400 for malformed escapes."""
    _, raw = raw_paths(request.scope)
    if _needs_redirect(raw):
        location = _location(normalize_path(raw), request.scope)
        return Response(location, 308, headers={"location": location})  # the body is the target, as Next.js
    try:
        split_segments(raw)
    except _BadPath:
        return PlainTextResponse("Bad Request", status_code=400)
    detail = exc.detail if isinstance(exc, HTTPException) and exc.detail != "Not Found" else ""
    if "text/html" in request.headers.get("accept", ""):
        return HTMLResponse(_NOT_FOUND_HTML.format(detail=f": {escape(detail)}" if detail else ""), status_code=404)
    return PlainTextResponse(f"404: {detail or 'This page could not be found.'}", status_code=404)


class ProjectApp(Starlette):
    """The project server's application: a Starlette app whose project routes are also reached directly.

    A request for one of the project's routes that the project's ``middleware.py`` does not select goes straight
    from here to its endpoint, past Starlette's middleware stack and router, which would only pass it along
    (the header limit is checked here first, as the outermost middleware would). The result is the same; only
    the layers are skipped. Anything else (another route added to the app, middleware added with
    ``add_middleware``, a request the middleware selects, a redirect, a 404) takes the full Starlette path.
    """

    _project_routes: ProjectRoutes | None = None
    _own_middleware: list[Middleware] | None = None
    _bypass: Callable[[Scope], bool] | None = None
    _passed: dict[PathKey, bool]

    def direct(
        self, routes: ProjectRoutes, middleware: list[Middleware], bypass: Callable[[Scope], bool] | None
    ) -> None:
        """Turn the direct path on for ``routes`` while the app's middleware is exactly ``middleware``;
        ``bypass(scope)`` says whether the project's middleware leaves a request alone (``None``: no middleware)."""
        self._project_routes = routes
        self._own_middleware = list(middleware)
        self._bypass = bypass
        self._passed = {}  # bypass(scope) by path: it depends on nothing else

    def _direct_routes(self) -> ProjectRoutes | None:
        routes = self._project_routes
        mine = self.router.routes
        if routes is None or len(mine) != 1 or mine[0] is not routes or self.user_middleware != self._own_middleware:
            return None
        return routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not headers_over_limit(scope):
            routes = self._direct_routes()
            found = routes.resolve(scope) if routes is not None else None
            if isinstance(found, _Found) and (self._bypass is None or self._passes(scope)):
                scope["app"] = self
                scope["router"] = self.router
                scope["path_params"] = found.params
                try:
                    await found.endpoint(scope, receive, send, found.params)
                except HTTPException as exc:  # what Starlette's exception middleware would turn into a response
                    await self._http_exception(scope, receive, send, exc)
                return
        await super().__call__(scope, receive, send)

    def _passes(self, scope: Scope) -> bool:
        key = _path_key(scope)
        passed = self._passed.get(key)
        if passed is None:
            assert self._bypass is not None
            passed = self._bypass(scope)
            if len(self._passed) >= _RESOLVED_MAX:
                self._passed.clear()
            self._passed[key] = passed
        return passed

    async def _http_exception(self, scope: Scope, receive: Receive, send: Send, exc: HTTPException) -> None:
        handler = self.exception_handlers.get(exc.status_code) or self.exception_handlers.get(HTTPException)
        request = Request(scope, receive)
        if handler is None:
            if exc.status_code in (204, 304):
                response: Response = Response(status_code=exc.status_code, headers=exc.headers)
            else:
                response = PlainTextResponse(exc.detail, status_code=exc.status_code, headers=exc.headers)
        else:
            result = handler(request, exc)
            response = await result if inspect.isawaitable(result) else result
        await response(scope, receive, send)


def _middleware_bypass(middleware: list[Middleware]) -> Callable[[Scope], bool] | None:
    """For the project's ``middleware.py`` entry, whether a request passes it untouched (see ``direct``)."""
    from nextauth.middleware import NextAuthMiddleware

    for entry in middleware:
        cls: Any = entry.cls
        if cls is NextAuthMiddleware:
            args: Any = entry.args
            kwargs: Any = entry.kwargs
            probe = NextAuthMiddleware(_never_called, *args, **kwargs)
            return probe.passes_through
    return None


async def _never_called(_scope: Scope, _receive: Receive, _send: Send) -> None:  # pragma: no cover - a probe's app
    raise RuntimeError("the middleware probe never calls its app")


def create_app(project_dir: str | Path, *, load_env: bool = True, debug: bool = False) -> Starlette:
    """A Starlette application serving the project's ``pages/`` and ``app/`` trees like Next.js.

    Loads ``.env`` then ``.env.local`` (``load_env=False`` to skip), imports every route file, and
    checks the tree; a broken project raises :class:`~nextauth.server.ProjectError` naming the file.
    Unknown URLs get a 404 (a small HTML page when the client accepts HTML). A request with more than 256
    headers or more than 64 KB of them is answered ``431`` before any route runs.

    ``debug=True`` is for development only: a route's exception is also sent to the client, with its
    traceback. Run the result with any ASGI server, e.g. ``uvicorn.run(create_app("."))``.
    """
    routes = routes_from_project(project_dir, load_env=load_env, debug=debug)
    # Too many or too large request headers are refused (431) before anything looks at them.
    # The project's middleware.py (if any) runs next, before routing, as Next.js runs middleware.ts.
    project_middleware = load_middleware(resolve_project(project_dir), debug=debug)
    middleware = [Middleware(HeaderLimit), *project_middleware]
    app = ProjectApp(debug=debug, routes=routes, exception_handlers={404: _not_found}, middleware=middleware)
    assert isinstance(routes[0], ProjectRoutes)
    # Project routes are reached without Starlette's layers when nothing in them would act (see ProjectApp).
    app.direct(routes[0], app.user_middleware, _middleware_bypass(project_middleware) if project_middleware else None)
    return app


def auth_routes(handler: Callable[..., Any], base_path: str = "/api/auth") -> list[BaseRoute]:
    """Mount a NextAuth handler into a Starlette or FastAPI application without a project tree.

    ``handler`` is what ``NextAuth(options)`` returns (or any ``(request, context)`` function returning a
    ``Response``); it answers GET and POST under ``base_path/...``, with
    ``context.params == {"nextauth": [segments]}``, as ``app/api/auth/[...nextauth]/route.py`` would.
    HEAD, OPTIONS and other methods behave as for an app-style route::

        app = FastAPI()
        app.router.routes.extend(auth_routes(NextAuth(auth_options)))
    """
    if not callable(handler):
        raise TypeError(f"auth_routes() needs the handler NextAuth(options) returns, not {type(handler).__name__}")
    stripped = base_path.strip("/")
    parts = stripped.split("/") if stripped else []
    if not base_path.startswith("/") or any(not p or "[" in p or "]" in p or "\\" in p for p in parts):
        raise ValueError(f"base_path must be a path such as '/api/auth', not {base_path!r}")
    segments: Sequence[Segment] = [Segment(SegmentKind.STATIC, p) for p in parts]
    source = RouteFile(
        "app",
        Path("<auth_routes>"),
        f"auth_routes({base_path!r})",
        (*segments, Segment(SegmentKind.CATCH_ALL, "nextauth")),
    )
    call = UserCallable.of(handler, 2)
    table: RouteTable[Endpoint] = RouteTable()
    table.add(source, AppEndpoint(source, {"GET": call, "POST": call}, debug=False))
    return [ProjectRoutes(table, name="nextauth_auth")]
