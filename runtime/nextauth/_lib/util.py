"""Small helpers shared by the runtime: calling user code, key conversion, time."""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from json import encoder as _json_encoder
from typing import Any, TypeVar

T = TypeVar("T")

_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")


def snake_case(name: str) -> str:
    """``maxAge`` -> ``max_age``; snake_case stays as it is (so JavaScript-style option keys work too)."""
    return _CAMEL.sub(r"_\1", name).lower()


def _accepted(fn: Callable[..., Any]) -> tuple[bool, frozenset[str], frozenset[str]] | None:
    """``(takes **kwargs, names it accepts by keyword, names it requires)``; ``None`` if not introspectable.
    Kept per function: reading a signature costs more than most callbacks (the session callbacks run on every
    session read)."""
    try:
        return _accepted_cached(fn)
    except TypeError:  # an unhashable callable
        return _signature_of(fn)


@lru_cache(maxsize=256)
def _accepted_cached(fn: Callable[..., Any]) -> tuple[bool, frozenset[str], frozenset[str]] | None:
    return _signature_of(fn)


def _signature_of(fn: Callable[..., Any]) -> tuple[bool, frozenset[str], frozenset[str]] | None:
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    names: set[str] = set()
    required: set[str] = set()
    var_keyword = False
    for p in sig.parameters.values():
        if p.kind is p.VAR_KEYWORD:
            var_keyword = True
        elif p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY):
            names.add(p.name)
            if p.default is p.empty:
                required.add(p.name)
    return var_keyword, frozenset(names), frozenset(required)


async def call_user(fn: Callable[..., Any], /, **kwargs: Any) -> Any:
    """Call a user callback with keyword arguments, sync or async.

    next-auth passes one object and JavaScript destructures what it needs; the Python equivalent is
    keyword arguments where the callback names only the ones it wants. Arguments the callback does
    not accept are left out, unless it takes ``**kwargs``. A parameter it names without a default that
    this call does not pass (``credentials`` of ``sign_in`` during an OAuth sign-in) gets ``None``, as a
    JavaScript callback destructures ``undefined``; ``**kwargs`` gets exactly what next-auth passes.
    """
    accepted = _accepted(fn)
    if accepted is not None:
        var_keyword, names, required = accepted
        if not var_keyword:
            kwargs = {k: v for k, v in kwargs.items() if k in names}
        kwargs.update((name, None) for name in required if name not in kwargs)
    result = fn(**kwargs)
    if inspect.isawaitable(result):
        result = await result
    return result


async def maybe_await(value: T | Awaitable[T]) -> T:
    """Await ``value`` if it is awaitable (user hooks may be sync or async)."""
    if inspect.isawaitable(value):
        return await value
    return value


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def as_utc(value: object) -> datetime:
    """A stored time (``datetime``, naive means UTC, or an ISO string) as a timezone-aware UTC ``datetime``."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if not isinstance(value, datetime):
        raise TypeError(f"expected a datetime, got {type(value).__name__}")
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def iso_ms(dt: datetime) -> str:
    """JavaScript's ``Date.prototype.toISOString()``: milliseconds and a ``Z``."""
    if dt.tzinfo is not UTC:
        dt = dt.astimezone(UTC)
    # isoformat pads the year to four digits, as JavaScript does (strftime's %Y does not on glibc).
    return dt.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


def as_dict(value: Any) -> dict[str, Any]:
    """A user object (mapping, dataclass or plain object) as a dict."""
    if value is None:
        return {}
    if isinstance(value, Mapping):
        return dict(value)
    if hasattr(value, "__dataclass_fields__"):
        import dataclasses

        return dataclasses.asdict(value)
    if hasattr(value, "model_dump"):
        dumped = value.model_dump()
        if isinstance(dumped, dict):
            return dumped
    if hasattr(value, "__dict__"):
        return {k: v for k, v in vars(value).items() if not k.startswith("_")}
    raise TypeError(f"expected a mapping or an object with attributes, got {type(value).__name__}")


async def call_positional(fn: Callable[..., Any], /, *args: Any) -> Any:
    """Call ``fn`` with as many of ``args`` as it accepts (``profile(profile, tokens)`` may take one)."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        sig = None
    if sig is not None:
        params = list(sig.parameters.values())
        if not any(p.kind is p.VAR_POSITIONAL for p in params):
            positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
            args = args[: len(positional)]
    result = fn(*args)
    if inspect.isawaitable(result):
        result = await result
    return result


def compact_json(default: Callable[[Any], Any] | None = None) -> Callable[[Any], str]:
    """``json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=default)`` as one function made
    once: ``json.dumps`` builds an encoder per call, which costs more than encoding a small response. A value
    that contains itself raises ``RecursionError`` rather than ``ValueError`` (no circular-reference
    bookkeeping, which the C encoder leaves stale after an error when shared)."""
    c_make_encoder = getattr(_json_encoder, "c_make_encoder", None)  # the C encoder json.dumps uses
    encode_basestring = _json_encoder.encode_basestring
    if c_make_encoder is None:  # pragma: no cover - CPython always has it
        encoder = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=default)
        return encoder.encode
    fallback = json.JSONEncoder(ensure_ascii=False, default=default).default
    iterencode = c_make_encoder(None, fallback, encode_basestring, None, ":", ",", False, False, True)

    def encode(value: Any) -> str:
        if isinstance(value, str):
            return str(encode_basestring(value))
        return "".join(iterencode(value, 0))

    return encode
