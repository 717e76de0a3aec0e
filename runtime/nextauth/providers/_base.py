"""The base every provider config shares, and deep-merging of user options over provider defaults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nextauth._lib.types import ProviderType


@dataclass(kw_only=True)
class Provider:
    """A configured provider. ``id`` appears in URLs (``/signin/<id>``, ``/callback/<id>``)."""

    id: str
    name: str
    type: ProviderType

    def public(self, base: str) -> dict[str, str]:
        """The entry of this provider in ``GET /providers``."""
        return {
            "id": self.id,
            "name": self.name,
            "type": "oauth" if self.type == "oidc" else self.type,
            "signinUrl": f"{base}/signin/{self.id}",
            "callbackUrl": f"{base}/callback/{self.id}",
        }


def deep_merge(defaults: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``overrides`` over ``defaults`` recursively; lists and non-dict values are replaced whole."""
    merged = dict(defaults)
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged
