"""CSRF protection with the double-submit cookie pattern, exactly as next-auth v4 does it.

The cookie holds ``<token>|<sha256_hex(token + secret)>``; a POST is verified when its body field
``csrfToken`` equals the token of a cookie whose hash checks out. The hash binds the cookie to the
server's secret, so a cookie planted by a sibling subdomain cannot be forged without it. See OWASP's
"Cross-Site Request Forgery Prevention Cheat Sheet", section "Signed Double-Submit Cookie".
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Sequence
from dataclasses import dataclass


def csrf_hash(token: str, secret: str | bytes) -> str:
    data = token.encode() + (secret.encode() if isinstance(secret, str) else secret)
    return hashlib.sha256(data).hexdigest()


@dataclass(slots=True)
class CsrfResult:
    token: str
    cookie_value: str | None
    """The value to set when the cookie must be (re)issued, else ``None``."""
    verified: bool


def create_csrf_token(
    *, cookie_value: str | None, secrets_: Sequence[str | bytes], is_post: bool, body_value: object
) -> CsrfResult:
    """Reuse the cookie's token when its hash verifies under any of the secrets, else issue a new one.

    A cookie that verified only under an older (rotated) secret keeps its token but is re-issued with
    the current secret's hash.
    """
    current = secrets_[0]
    if cookie_value and "|" in cookie_value:
        token, _, digest = cookie_value.partition("|")
        for index, secret in enumerate(secrets_):
            if hmac.compare_digest(digest.encode(), csrf_hash(token, secret).encode()):
                verified = (
                    is_post
                    and isinstance(body_value, str)
                    and hmac.compare_digest(token.encode(), body_value.encode("utf-8", "surrogatepass"))
                )
                reissue = f"{token}|{csrf_hash(token, current)}" if index else None
                return CsrfResult(token, reissue, verified)
    token = os.urandom(32).hex()  # secrets.token_hex(32), without its two wrappers
    return CsrfResult(token, f"{token}|{csrf_hash(token, current)}", False)
