"""GET /api/me: a Python API route reading the session (as next-auth's getServerSession) and the raw token."""

from __future__ import annotations

from auth_options import auth_options
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from nextauth import RouteContext, get_server_session, get_token


async def GET(request: Request, context: RouteContext) -> Response:
    session = await get_server_session(request, auth_options)
    token = await get_token(request)
    return JSONResponse({"session": session, "token": token})
