"""Errors found while loading a project: raised at startup, never while serving.

    ProjectError                    code
    ├── ProjectNotFoundError        PROJECT_NOT_FOUND
    ├── InvalidRouteError           INVALID_ROUTE       (a file name or an export is wrong)
    ├── RouteConflictError          ROUTE_CONFLICT      (two files claim the same URLs)
    └── RouteImportError            ROUTE_IMPORT_ERROR  (the user's code raised while importing)

Messages name the files involved (relative to the project directory) and say what to change.
"""

from __future__ import annotations

from nextauth.errors import NextAuthError

__all__ = ["InvalidRouteError", "ProjectError", "ProjectNotFoundError", "RouteConflictError", "RouteImportError"]


class ProjectError(NextAuthError, ValueError):
    """The project cannot be served as it is; the message says which file and what to do."""

    code = "PROJECT_ERROR"


class ProjectNotFoundError(ProjectError):
    code = "PROJECT_NOT_FOUND"


class InvalidRouteError(ProjectError):
    code = "INVALID_ROUTE"


class RouteConflictError(ProjectError):
    code = "ROUTE_CONFLICT"


class RouteImportError(ProjectError):
    """Importing a route file raised; the message carries the user's traceback (their code, their frames)."""

    code = "ROUTE_IMPORT_ERROR"
