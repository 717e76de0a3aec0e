from starlette.requests import Request
from starlette.responses import JSONResponse


def GET(request: Request) -> JSONResponse:
    return JSONResponse({"data": "api data", "method": request.method})


POST = GET
