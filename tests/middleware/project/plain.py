"""The plain routes of the kit's options.md: each answers ``<name> <METHOD>`` as text (GET and POST)."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import PlainTextResponse


def text_route(name: str, status: int = 200) -> tuple[Callable[..., PlainTextResponse], ...]:
    def handler(request: Request) -> PlainTextResponse:
        return PlainTextResponse(f"{name} {request.method}\n", status_code=status)

    return handler, handler
