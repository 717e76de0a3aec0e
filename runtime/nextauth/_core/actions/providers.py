"""GET /providers: the configured providers with their sign-in and callback URLs (no cookies)."""

from __future__ import annotations

from nextauth._core.actions._common import json_response
from nextauth._core.init import Internal
from nextauth._lib.types import AuthResponse


async def providers(internal: Internal) -> AuthResponse:
    base = internal.url.base
    return json_response({p.id: p.public(base) for p in internal.prepared.providers})
