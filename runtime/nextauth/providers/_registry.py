"""The provider data (``registry.toml`` beside this module): one table per built-in provider.

Read with :mod:`tomllib` once per process. The CLI reads the same file without importing this package
(``nextauth_cli.catalog`` finds it through ``importlib.util.find_spec``), so everything here is plain data:
what needs code is named in the data and supplied by the provider's module.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["REGISTRY_PATH", "option_names", "record", "records"]

REGISTRY_PATH = Path(__file__).with_name("registry.toml")
_META = ("format", "options")


@functools.cache
def _load() -> dict[str, Any]:
    with REGISTRY_PATH.open("rb") as handle:
        data: dict[str, Any] = tomllib.load(handle)
    return data


def records() -> dict[str, Mapping[str, Any]]:
    """Every provider's table, by id, in the file's order."""
    return {key: value for key, value in _load().items() if key not in _META}


def record(provider_id: str) -> Mapping[str, Any]:
    """The table of one built-in provider (``KeyError`` for an id the data does not hold)."""
    return records()[provider_id]


def option_names(kind: str) -> tuple[str, ...]:
    """The options every provider of ``kind`` ("oauth", "email", "credentials") accepts."""
    names: list[str] = _load()["options"][kind]
    return tuple(names)
