"""Serve a project's ``pages/`` and ``app/`` trees like Next.js, on Starlette and uvicorn.

::

    from nextauth.server import create_app, serve

    app = create_app("myproject")  # a Starlette app: pages/api/**.py, app/**/route.py, app/**/page.py
    serve("myproject", port=3000, reload=True)  # or: python -m nextauth.server myproject --port 3000

To use a project's routes, or a NextAuth handler alone, inside your own Starlette or FastAPI
application, extend its routes with :func:`routes_from_project` or :func:`auth_routes`.
See ``docs/serving.md`` for the routing rules.
"""

from __future__ import annotations

from nextauth.server._asgi import ProjectRoutes, auth_routes, create_app, routes_from_project
from nextauth.server._env import load_env_files
from nextauth.server._errors import (
    InvalidRouteError,
    ProjectError,
    ProjectNotFoundError,
    RouteConflictError,
    RouteImportError,
)
from nextauth.server._run import PROJECT_DIR_ENV, PortInUseError, create_app_from_env, main, serve

__all__ = [
    "PROJECT_DIR_ENV",
    "InvalidRouteError",
    "PortInUseError",
    "ProjectError",
    "ProjectNotFoundError",
    "ProjectRoutes",
    "RouteConflictError",
    "RouteImportError",
    "auth_routes",
    "create_app",
    "create_app_from_env",
    "load_env_files",
    "main",
    "routes_from_project",
    "serve",
]
