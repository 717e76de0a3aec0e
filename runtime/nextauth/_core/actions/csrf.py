"""GET /csrf: the double-submit token (the cookie is set by init when missing or invalid)."""

from __future__ import annotations

from nextauth._core.actions._common import json_response
from nextauth._core.init import Internal
from nextauth._lib.types import AuthResponse


async def csrf(internal: Internal) -> AuthResponse:
    return json_response({"csrfToken": internal.csrf_token}, no_cache=True)
