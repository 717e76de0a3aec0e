"""Built-in OAuth providers made from their data: the one make-then-validate path every factory takes.

A provider module's factory names its id and passes what only code can give (``overrides``: a userinfo
request, a computed endpoint; ``transforms``: a named profile transform). The data (``registry.toml``) gives
the rest. ``type = "oidc"`` providers are found by discovery at their issuer (fixed, default or passed by the
user), with an ID token and PKCE + state unless the data says otherwise.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from nextauth.errors import InvalidProviderError
from nextauth.providers._base import deep_merge
from nextauth.providers._profile import Transform, compile_profile
from nextauth.providers._registry import record
from nextauth.providers._validate import discovery_url, issuer_url, validate_oauth_provider
from nextauth.providers.oauth import Endpoint, OAuthProvider, make_oauth_provider

__all__ = ["from_data"]

_COPIED = ("authorization", "token", "userinfo", "client", "checks", "id_token", "style", "issuer")


def _discovery(data: Mapping[str, Any], pid: str, issuer: object) -> dict[str, Any]:
    """The issuer (checked; a pasted discovery URL reduced to it) and its discovery URL."""
    example = str(data.get("issuer_example") or data.get("issuer") or "")
    url = issuer_url(issuer, provider_id=pid, example=example)
    needs = data.get("issuer_needs")
    if needs and urlsplit(url).path.strip("/") == "":
        raise InvalidProviderError(
            f"provider {pid!r}: issuer {url!r} is the server, not {needs}, e.g. issuer={example!r}"
        )
    return {"issuer": url, "well_known": discovery_url(url)}


def _endpoints_as_dicts(values: Mapping[str, Any]) -> dict[str, Any]:
    """Endpoints as ``{url, params, request}`` so that an override's ``request`` merges with the data's URL."""
    out = dict(values)
    for key in ("authorization", "token", "userinfo"):
        if key in out and out[key] is not None:
            endpoint = Endpoint.of(out[key])
            pairs = (("url", endpoint.url), ("params", endpoint.params), ("request", endpoint.request))
            out[key] = {name: value for name, value in pairs if value}
    return out


def from_data(
    provider_id: str,
    *,
    client_id: str,
    client_secret: str,
    options: Mapping[str, Any],
    issuer: object = None,
    overrides: Mapping[str, Any] | None = None,
    transforms: Mapping[str, Transform] | None = None,
) -> OAuthProvider:
    """The provider ``provider_id`` of the data, the user's ``options`` deep-merged over it, validated.

    ``issuer`` is the user's issuer for providers that take one (required when the data has no default).
    """
    data = record(provider_id)
    pid = str(options.get("id", provider_id))
    defaults: dict[str, Any] = {"id": provider_id, "name": data["name"], "type": "oauth"}
    defaults.update({key: copy.deepcopy(data[key]) for key in _COPIED if key in data})
    if "profile" in data:
        defaults["profile"] = compile_profile(data["profile"], provider_id=provider_id, transforms=transforms)
    if data["type"] == "oidc":
        defaults.setdefault("id_token", True)
        defaults.setdefault("checks", ["pkce", "state"])
        if issuer is not None or "issuer" in data:
            defaults.update(_discovery(data, pid, issuer if issuer is not None else data["issuer"]))
        elif "issuer_example" in data:
            defaults.update(_discovery(data, pid, None))  # raises: the issuer is required
    if overrides:
        defaults = deep_merge(_endpoints_as_dicts(defaults), _endpoints_as_dicts(overrides))
    provider = make_oauth_provider(defaults, {"client_id": client_id, "client_secret": client_secret, **options})
    validate_oauth_provider(provider)
    return provider
