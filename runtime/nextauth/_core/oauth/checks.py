"""The OAuth check cookies: ``state`` (RFC 6749 §10.12), PKCE (RFC 7636) and the OIDC ``nonce``.

Each value is kept between sign-in and callback in its own cookie, encrypted as a JWE whose key salt is
the cookie's name, with the provider id inside, valid for 15 minutes. At the callback each cookie must be
present, decrypt, belong to this provider, and is then deleted.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import replace
from typing import Any

from nextauth._core.init import Internal
from nextauth._lib.cookies import CHECK_MAX_AGE, CookieDef, deletion, expires_in
from nextauth._lib.types import SetCookie
from nextauth.errors import JWTError, JWTExpiredError, OAuthCallbackError
from nextauth.providers.oauth import OAuthProvider

_LIKELY_CAUSES = (
    "Likely causes: the sign-in started on another host or scheme than the callback arrived on "
    "(check NEXTAUTH_URL: {base}), the browser refused the cookie (SameSite, third-party cookie blocking, "
    "Secure cookies over plain http), or the sign-in took longer than 15 minutes."
)


def random_value() -> str:
    """32 random bytes, base64url without padding (43 characters), as openid-client's generators."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _defs(internal: Internal) -> dict[str, CookieDef]:
    c = internal.cookies
    return {"state": c.state, "pkce": c.pkce_code_verifier, "nonce": c.nonce}


async def create(internal: Internal, provider: OAuthProvider) -> tuple[dict[str, str], list[SetCookie]]:
    """Authorization parameters and cookies for the checks the provider uses."""
    checks = provider.resolved_checks
    params: dict[str, str] = {}
    cookies: list[SetCookie] = []
    defs = _defs(internal)
    for check in ("state", "pkce", "nonce"):
        if check not in checks:
            continue
        value = random_value()
        defn = defs[check]
        token = await internal.jwt.encode(
            {"value": value, "provider": provider.id}, max_age=CHECK_MAX_AGE, salt=defn.name
        )
        cookies.append(SetCookie(defn.name, token, replace(defn.options, expires=expires_in(CHECK_MAX_AGE))))
        await internal.logger.debug(f"CREATE_{'PKCECODEVERIFIER' if check == 'pkce' else check.upper()}", None)
        if check == "state":
            params["state"] = value
        elif check == "pkce":
            params["code_challenge"] = s256(value)
            params["code_challenge_method"] = "S256"
        else:
            params["nonce"] = value
    return params, cookies


async def use(internal: Internal, provider: OAuthProvider) -> tuple[dict[str, str], list[SetCookie]]:
    """The stored check values, and the deletions of their cookies; :class:`OAuthCallbackError` when a
    cookie is missing, unreadable, expired or made for another provider."""
    values: dict[str, str] = {}
    deletions: list[SetCookie] = []
    defs = _defs(internal)
    cause = _LIKELY_CAUSES.format(base=internal.url.base)
    for check in ("state", "pkce", "nonce"):
        if check not in provider.resolved_checks:
            continue
        defn = defs[check]
        raw = internal.request.cookies.get(defn.name)
        label = "PKCE code_verifier" if check == "pkce" else check
        if not raw:
            raise OAuthCallbackError(f"The {label} cookie ({defn.name}) was missing from the callback request. {cause}")
        try:
            payload: dict[str, Any] | None = await internal.jwt.decode(raw, salt=defn.name)
        except JWTExpiredError:
            raise OAuthCallbackError(
                f"The {label} cookie ({defn.name}) expired: more than 15 minutes passed since the sign-in started."
            ) from None
        except JWTError as exc:
            raise OAuthCallbackError(
                f"The {label} cookie ({defn.name}) could not be read ({type(exc).__name__}); was the secret changed "
                "during the sign-in, or the cookie set by another app on this host?"
            ) from None
        if not payload or not isinstance(payload.get("value"), str):
            raise OAuthCallbackError(f"The {label} cookie ({defn.name}) holds no value.")
        if payload.get("provider", provider.id) != provider.id:
            raise OAuthCallbackError(
                f"The {label} cookie ({defn.name}) belongs to the provider {payload.get('provider')!r}, "
                f"not {provider.id!r}: two sign-ins were started in the same browser."
            )
        values[check] = payload["value"]
        deletions.append(deletion(defn))
    return values, deletions
