"""Checks of single values that end up in a project's files: one-line text, origins, base paths, database
URLs, cookie domains. Each returns the reason a value is refused (or raises ``ValueError``); callers add where."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from nextauth_cli._config_model import DEFAULT_BASE_PATH

_HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_BASE_PATH = re.compile(r"(/(?!\.{1,2}(?:/|$))[A-Za-z0-9._~-]+)+")
"""``/api/auth``: URL path segments, never ``.`` or ``..`` (the route file's folders come from it)."""
_LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
MAX_TEXT = 2048
"""The longest URL, name or path nextauth.toml may hold (a bound on what is rendered from it)."""


def base_path_problem(value: Any) -> str | None:
    """What ``value`` should be when it is not a base path (URL segments, no ``.``/``..``), else ``None``."""
    if not isinstance(value, str) or len(value) > 256 or not _BASE_PATH.fullmatch(value):
        return f"a URL path such as {DEFAULT_BASE_PATH!r} (no trailing slash, no '.' or '..' segment)"
    return None


def text_problem(value: str) -> str | None:
    """Why a one-line value (a URL, a name, a path) cannot be written into the project's files, or ``None``."""
    if len(value) > MAX_TEXT:
        return f"is longer than {MAX_TEXT} characters"
    found = _LINE_BREAKING.search(value)
    if found:
        char = found.group()
        what = "undecodable bytes" if _SURROGATE.match(char) else f"a control character ({char!r})"
        return f"contains {what}: it must be one line of text"
    return None


def database_url_problem(value: Any) -> str | None:
    """Why ``value`` is not a database URL nextauth can write into nextauth.toml, .env files and Python."""
    if not isinstance(value, str) or "://" not in value:
        return "must be a database URL such as sqlite:///./nextauth.db"
    problem = text_problem(value)
    if problem:
        return problem
    if re.search(r"\s", value):
        return "contains white space (percent-encode it in a URL: %20)"
    if "${" in value:
        return "contains ${, which .env files expand as a variable (write $ as %24)"
    return None


def check_origin(value: Any, what: str) -> str:
    """``value`` as a normalised origin (``scheme://host[:port]``); ``ValueError`` naming ``what`` otherwise."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be a URL such as https://app.example.com")
    problem = text_problem(value)
    if problem:  # urlsplit would silently drop a tab or a line break: refuse them instead
        raise ValueError(f"{what} {problem}")
    text = value.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise ValueError(f"{what} is not a valid URL: {text!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{what} must start with http:// or https:// and name a host, not {text!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(
            f"{what} must be the site's origin only (scheme, host and port), not {text!r}: "
            "the auth base path is `base_path` in nextauth.toml"
        )
    host = parts.hostname.lower()
    ipv6 = ":" in host and re.fullmatch(r"[0-9a-f:.]+", host) is not None
    if not ipv6 and not all(ch.isalnum() or ch in "-._" for ch in host):
        raise ValueError(f"{what} has a host name with characters a host cannot have: {text!r}")
    shown = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{shown}" + (f":{port}" if port is not None else "")


def normalise_cookie_domain(value: Any) -> str:
    """``.Example.com`` → ``example.com``; refuses single labels (``localhost``, ``com``) and IP addresses."""
    text = str(value).strip().lower().lstrip(".") if isinstance(value, str) else ""
    labels = text.split(".")
    ok = len(labels) >= 2 and all(_HOST_LABEL.fullmatch(label) for label in labels) and not labels[-1].isdigit()
    if not ok:
        message = (
            f"cookie domain {value!r} cannot be shared: use a registered domain such as example.com "
            "(not localhost, an IP address or a single label)"
        )
        raise ValueError(message)
    return text


def host_in_domain(host: str, domain: str) -> bool:
    host = host.lower().rstrip(".")
    return host == domain or host.endswith("." + domain)
