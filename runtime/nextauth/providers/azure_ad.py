"""Microsoft Entra ID, formerly Azure Active Directory (OpenID Connect).

Register ``<NEXTAUTH_URL>/api/auth/callback/azure-ad`` as a *Web* redirect URI of the app registration
(Entra admin center → App registrations → Authentication). The id stays ``azure-ad``, as in NextAuth.js
v4, so existing registrations and database accounts keep working.

``tenant_id`` selects who may sign in: ``"common"`` (any work, school or personal Microsoft account),
``"organizations"`` (work or school accounts), ``"consumers"`` (personal accounts) or one tenant's ID or
domain (single-tenant apps).

The profile photo is opt-in (``profile_photo_size=48``, ...). NextAuth.js v4 always fetched it from
Microsoft Graph and stored it in the user's ``image`` as a base64 ``data:`` URL: a few kilobytes that
end up in the session cookie (JWT sessions) and in every ``/api/auth/session`` response, which pushes
cookies over the browser's 4 KB limit and requests over servers' header limits (HTTP 431). Prefer
serving the photo from your own endpoint; enable it only if the image must travel in the session.

Docs: https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any, Literal
from urllib.parse import quote

import httpx

from nextauth.errors import InvalidProviderError
from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["PHOTO_SIZES", "AzureADProvider", "MicrosoftEntraIDProvider", "fetch_profile_photo"]

PhotoSize = Literal[48, 64, 96, 120, 240, 360, 432, 504, 648]
PHOTO_SIZES: tuple[int, ...] = (48, 64, 96, 120, 240, 360, 432, 504, 648)
GRAPH_PHOTO_URL = "https://graph.microsoft.com/v1.0/me/photos/{size}x{size}/$value"
_TENANT = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]*")


async def fetch_profile_photo(
    access_token: str, size: int = 48, *, http: httpx.AsyncClient | None = None, timeout: float = 5.0
) -> str | None:
    """The signed-in user's Graph photo as a ``data:`` URL, or ``None`` (no photo, no permission, error).

    Needs the ``User.Read`` delegated permission. Reusable from a custom ``profile``.
    """
    url = GRAPH_PHOTO_URL.format(size=size)
    headers = {"Authorization": f"Bearer {access_token}"}
    try:
        if http is not None:
            response = await http.get(url, headers=headers)
        else:
            async with httpx.AsyncClient(timeout=timeout, trust_env=True) as client:
                response = await client.get(url, headers=headers)
    except httpx.HTTPError:
        return None
    if response.status_code != 200 or not response.content:
        return None
    content_type = response.headers.get("content-type", "image/jpeg").split(";")[0].strip()
    if not content_type.startswith("image/"):
        return None
    return f"data:{content_type};base64,{base64.b64encode(response.content).decode('ascii')}"


def _profile_with_photo(size: int) -> Callable[..., Any]:
    async def profile_with_photo(profile: dict[str, Any], tokens: dict[str, Any]) -> dict[str, Any]:
        token = tokens.get("access_token")
        image = await fetch_profile_photo(token, size) if isinstance(token, str) and token else None
        return {"id": profile.get("sub"), "name": profile.get("name"), "email": profile.get("email"), "image": image}

    return profile_with_photo


def AzureADProvider(
    *,
    client_id: str,
    client_secret: str,
    tenant_id: str = "common",
    profile_photo_size: PhotoSize | None = None,
    **options: Any,
) -> OAuthProvider:  # NextAuth.js's name
    """Microsoft Entra ID: discovery for ``tenant_id``, scope ``openid profile email``, PKCE + state, ID token.

    ``profile_photo_size`` (one of :data:`PHOTO_SIZES`) adds the Graph photo as a ``data:`` URL in
    ``image`` and the ``User.Read`` scope; off by default because it bloats the session cookie.
    """
    pid = str(options.get("id", "azure-ad"))
    if not isinstance(tenant_id, str) or not _TENANT.fullmatch(tenant_id):
        raise InvalidProviderError(
            f"provider {pid!r}: tenant_id {tenant_id!r} is not a tenant: use 'common', 'organizations', "
            "'consumers', your directory (tenant) ID (a GUID) or its domain (contoso.onmicrosoft.com)"
        )
    if profile_photo_size is not None and profile_photo_size not in PHOTO_SIZES:
        raise InvalidProviderError(
            f"provider {pid!r}: profile_photo_size must be one of {', '.join(map(str, PHOTO_SIZES))} "
            f"(or None, the default, for no photo), got {profile_photo_size!r}"
        )
    overrides: dict[str, Any] = {
        "well_known": (
            f"https://login.microsoftonline.com/{tenant_id}/v2.0/.well-known/openid-configuration"
            f"?appid={quote(str(client_id or ''), safe='')}"
        ),
    }
    if profile_photo_size:
        overrides["authorization"] = {"params": {"scope": "openid profile email User.Read"}}
        overrides["profile"] = _profile_with_photo(profile_photo_size)
    return from_data("azure-ad", client_id=client_id, client_secret=client_secret, options=options, overrides=overrides)


MicrosoftEntraIDProvider = AzureADProvider
"""The same provider under Microsoft's current product name (id ``azure-ad``)."""
