"""Amazon Cognito user pools (OpenID Connect).

Register ``<NEXTAUTH_URL>/api/auth/callback/cognito`` as an *Allowed callback URL* of the user pool's
app client (with a client secret, *Authorization code grant*, OpenID Connect scopes). ``issuer`` is the
user pool's URL, ``https://cognito-idp.<region>.amazonaws.com/<user pool ID>``, not the domain of the
managed login pages (``https://<prefix>.auth.<region>.amazoncognito.com``).
Docs: https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-app-integration.html
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from nextauth.errors import InvalidProviderError
from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["CognitoProvider"]

EXAMPLE = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123"


def CognitoProvider(
    *, client_id: str, client_secret: str, issuer: str, **options: Any
) -> OAuthProvider:  # NextAuth.js's name
    """Cognito: discovery at the user pool ``issuer``, scope ``openid``, PKCE + state, ID token.

    The ``openid`` scope alone puts every attribute the app client may read into the ID token; asking
    for ``email``/``profile`` too fails with ``invalid_scope`` unless the app client allows them.
    """
    host = urlsplit(str(issuer)).hostname or ""
    if host.endswith(".amazoncognito.com"):
        pid = str(options.get("id", "cognito"))
        raise InvalidProviderError(
            f"provider {pid!r}: issuer {issuer!r} is the domain of the managed login pages; the issuer is the "
            f"user pool's URL, https://cognito-idp.<region>.amazonaws.com/<user pool ID>, e.g. issuer={EXAMPLE!r}"
        )
    return from_data("cognito", client_id=client_id, client_secret=client_secret, options=options, issuer=issuer)
