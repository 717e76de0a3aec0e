"""GET /client.js: the bundle the tests built (its path is in ``BROWSER_TEST_BUNDLE``; 404 without one)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

from nextauth import RouteContext
from nextauth.env import optional

BUNDLE = optional("BROWSER_TEST_BUNDLE")


def GET(request: Request, context: RouteContext) -> Response:
    if BUNDLE is None:
        return PlainTextResponse("no bundle: BROWSER_TEST_BUNDLE is not set", status_code=404)
    return FileResponse(BUNDLE, media_type="text/javascript; charset=utf-8", headers={"cache-control": "no-store"})
