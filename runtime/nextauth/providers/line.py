"""LINE Login (OpenID Connect).

Create a *LINE Login* channel with the *Web app* type and register
``<NEXTAUTH_URL>/api/auth/callback/line`` as its *Callback URL*. The *Channel ID* is the client ID and the
*Channel secret* the client secret. The email address needs the *Email address permission* (apply in
the console), then ``authorization={"params": {"scope": "openid profile email"}}``.
Docs: https://developers.line.biz/en/docs/line-login/integrate-line-login/
"""

from __future__ import annotations

from typing import Any

from nextauth.providers._factory import from_data
from nextauth.providers.oauth import OAuthProvider

__all__ = ["LineProvider"]


def LineProvider(*, client_id: str, client_secret: str, **options: Any) -> OAuthProvider:  # NextAuth.js's name
    """LINE: discovery, scope ``openid profile``, state, ID token signed HS256 with the channel secret."""
    return from_data("line", client_id=client_id, client_secret=client_secret, options=options)
