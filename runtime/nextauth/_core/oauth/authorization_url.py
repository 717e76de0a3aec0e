"""Build the provider's authorization URL (POST /signin/:provider for an OAuth provider).

Parameter order follows openid-client's ``authorizationUrl``, which next-auth uses: ``client_id``,
``scope`` (``openid`` unless the provider sets one), ``response_type``, ``redirect_uri``, the provider's
``authorization.params``, the query of the sign-in request (``signIn(id, opts, authorizationParams)``),
then ``state``, ``code_challenge``/``code_challenge_method`` and ``nonce``. Values are encoded like
``encodeURIComponent`` (spaces as ``%20``).
"""

from __future__ import annotations

from typing import Any

from nextauth._core.init import Internal
from nextauth._core.oauth import checks
from nextauth._core.oauth._metadata import http_client, metadata
from nextauth._lib.cookies import encode_uri_component
from nextauth._lib.types import AuthResponse
from nextauth.providers.oauth import OAuthProvider


def _query(params: dict[str, Any]) -> str:
    return "&".join(f"{encode_uri_component(str(k))}={encode_uri_component(str(v))}" for k, v in params.items())


async def authorization_url(internal: Internal, provider: OAuthProvider) -> AuthResponse:
    if provider.is_oauth1:
        from nextauth._core.oauth import oauth1

        return await oauth1.authorization_url(internal, provider)
    async with http_client(provider, internal.options.http_timeout) as http:
        meta = await metadata(provider, http)
    if not meta.authorization_endpoint:
        raise ValueError(f"provider {provider.id!r} has no authorization endpoint: set `authorization` or `well_known`")
    params: dict[str, Any] = {
        "client_id": provider.client_id,
        "scope": "openid",
        "response_type": "code",
        "redirect_uri": f"{internal.url.base}/callback/{provider.id}",
    }
    params.update({k: v for k, v in provider.authorization.params.items() if v is not None})
    params.update(internal.request.query)
    check_params, cookies = await checks.create(internal, provider)
    params.update(check_params)
    endpoint = meta.authorization_endpoint
    url = f"{endpoint}{'&' if '?' in endpoint else '?'}{_query(params)}"
    await internal.logger.debug("GET_AUTHORIZATION_URL", {"url": endpoint, "provider": provider.id})
    return AuthResponse(redirect=url, cookies=cookies)
