"""Declarative profile mappings: the ``profile`` table of a provider's data turned into ``profile(profile, tokens)``.

For each of ``id``, ``name``, ``email`` and ``image`` the data gives a *source*:

* ``"claim"``: the profile's value at that key (``None`` when absent, or when the profile is not a dict);
* ``[source, ...]``: alternatives, read as ``a or b or c`` (the first truthy value, else the last one);
* ``{path = ["a", 0, "b"]}``: nested keys and list indexes, ``None`` as soon as one is missing;
* ``{join = [source, ...]}``: the non-empty string parts joined by spaces, ``None`` when there are none;
* ``{from = source, ...}`` with ``when = [source, ...]`` (kept only when each is absent or truthy, as
  ``email_verified`` is read), ``transform = NAME`` (a named function of the value; without ``from``, of the
  whole profile), ``as = "string"`` (``str()`` of a value that must be there) or ``required = true``.

A missing required value raises ``KeyError``, which the callback reports as next-auth's
``OAUTH_PARSE_PROFILE_ERROR``, as a hand-written ``profile["id"]`` would.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["TRANSFORMS", "compile_profile"]

Source = Callable[[Any], Any]
Transform = Callable[[Any], Any]

TRANSFORMS: dict[str, Transform] = {
    "html_unescape": lambda value: html.unescape(value) if isinstance(value, str) and value else None,
}
"""Transforms every provider may name; a provider's module adds its own through ``compile_profile``."""

_FIELDS = ("id", "name", "email", "image")
_TABLE_KEYS = frozenset({"path", "join", "from", "when", "transform", "as", "required"})


def _at(value: Any, key: str | int) -> Any:
    if isinstance(key, int):
        return value[key] if isinstance(value, list) and -len(value) <= key < len(value) else None
    return value.get(key) if isinstance(value, Mapping) else None


def _path(keys: list[str | int]) -> Source:
    def read(profile: Any) -> Any:
        value = profile
        for key in keys:
            value = _at(value, key)
            if value is None:
                return None
        return value

    return read


def _source(spec: Any, transforms: Mapping[str, Transform], where: str) -> Source:
    if spec is None:
        return lambda _profile: None
    if isinstance(spec, str):
        return lambda profile: _at(profile, spec)
    if isinstance(spec, list):
        options = [_source(item, transforms, where) for item in spec]
        if not options:
            raise ValueError(f"{where}: an empty list of alternatives")

        def first(profile: Any) -> Any:
            value = None
            for option in options:
                value = option(profile)
                if value:
                    return value
            return value

        return first
    if isinstance(spec, Mapping):
        return _table(spec, transforms, where)
    raise ValueError(f"{where}: {spec!r} is not a claim, a list or a table")


def _table(spec: Mapping[str, Any], transforms: Mapping[str, Transform], where: str) -> Source:
    unknown = set(spec) - _TABLE_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}")
    for alone in ("path", "join"):  # `{path = [...], as = "string"}` would silently drop the `as`
        if alone in spec and len(spec) > 1:
            raise ValueError(f"{where}: {alone} takes no other key; wrap it: {{from = {{{alone} = [...]}}, ...}}")
    if "path" in spec:
        return _path(list(spec["path"]))
    if "join" in spec:
        parts = [_source(item, transforms, where) for item in spec["join"]]

        def join(profile: Any) -> Any:
            words = [value for part in parts if isinstance(value := part(profile), str) and value]
            return " ".join(words) or None

        return join
    name = spec.get("transform")
    if name is not None and name not in transforms:
        raise ValueError(f"{where}: unknown transform {name!r}")
    transform = transforms[name] if name is not None else None
    if "from" not in spec:
        if transform is None:
            raise ValueError(f"{where}: a table needs path, join, from or transform")
        return transform
    inner = _source(spec["from"], transforms, where)
    conditions = [_source(item, transforms, where) for item in spec.get("when", [])]
    as_string = spec.get("as") == "string"
    required = as_string or bool(spec.get("required"))

    def read(profile: Any) -> Any:
        value = inner(profile)
        if value is None and required:
            raise KeyError(f"{where}: the profile has no value for it")
        if any(condition(profile) is not None and not condition(profile) for condition in conditions):
            return None
        if transform is not None:
            value = transform(value)
        return str(value) if as_string else value

    return read


def compile_profile(
    spec: Mapping[str, Any], *, provider_id: str, transforms: Mapping[str, Transform] | None = None
) -> Callable[..., dict[str, Any]]:
    """``profile(profile, tokens=None)`` mapping a provider's profile to a user, as ``spec`` says."""
    named = {**TRANSFORMS, **(transforms or {})}
    unknown = set(spec) - set(_FIELDS)
    if unknown:
        raise ValueError(f"provider {provider_id!r}: profile maps unknown field(s) {sorted(unknown)}")
    fields = {field: _source(spec.get(field), named, f"{provider_id}.profile.{field}") for field in _FIELDS}

    def profile(profile: Mapping[str, Any], tokens: Mapping[str, Any] | None = None) -> dict[str, Any]:
        del tokens
        return {field: read(profile) for field, read in fields.items()}

    profile.__qualname__ = profile.__name__ = f"{provider_id.replace('-', '_')}_profile"
    return profile
