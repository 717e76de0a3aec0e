"""GET /csrf: the double-submit token (the cookie is set by init when missing or invalid)."""

from __future__ import annotations

from nextauth._init import Internal
from nextauth._types import AuthResponse
from nextauth.actions._common import json_response


async def csrf(internal: Internal) -> AuthResponse:
    return json_response({"csrfToken": internal.csrf_token}, no_cache=True)
