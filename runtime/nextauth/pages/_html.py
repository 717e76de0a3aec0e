"""HTML building blocks shared by the pages: escaping, attributes, the page shell and the theme.

Everything that reaches the markup goes through :func:`esc` (text and double-quoted attribute values
alike: ``& < > " '`` are all escaped), because the pages render attacker-influenced query values.
Colours from the configuration go into CSS, where HTML escaping does not help, so they must pass
:func:`css_value` (a strict allow-list) or are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from nextauth.pages._css import CSS

if TYPE_CHECKING:
    from nextauth.options import ThemeOptions

__all__ = ["attrs", "css_value", "esc", "host_of", "logo", "shell"]

COLOR_SCHEMES = frozenset({"auto", "dark", "light"})
# Colours such as `#346df1`, `rgb(0 0 0 / 50%)`, `hsl(210, 40%, 50%)`, `rebeccapurple`, `var(--x)`:
# nothing that could end a declaration, a rule or the <style> element.
_CSS_VALUE = re.compile(r"[#\w .,%()+\-/]{1,100}")
_ATTR_NAME = re.compile(r"[a-zA-Z_:][-a-zA-Z0-9_:.]*")
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def esc(value: object) -> str:
    """``value`` as text safe in an element and in a double-quoted attribute."""
    return escape(str(value), quote=True)


def css_value(value: object) -> str | None:
    """``value`` if it is a plain CSS value (a colour), else ``None``."""
    if isinstance(value, str) and _CSS_VALUE.fullmatch(value.strip()):
        return value.strip()
    return None


def attrs(pairs: Iterable[tuple[str, object]]) -> str:
    """`` name="value"`` pairs: ``True`` gives a bare attribute; ``False``, ``None`` and non-scalars are left out.

    Names that are not valid attribute names, and event handlers (``on*``), are dropped: the pages
    carry no script.
    """
    out: list[str] = []
    for name, value in pairs:
        if value is None or value is False or not isinstance(value, str | int | float):
            continue
        if not _ATTR_NAME.fullmatch(name) or name.lower().startswith("on"):
            continue
        out.append(f" {name}" if value is True else f' {name}="{esc(value)}"')
    return "".join(out)


def host_of(origin: str) -> str:
    """The ``host[:port]`` of an origin as a browser shows it (default ports left out)."""
    parts = urlsplit(origin)
    netloc = parts.netloc.rpartition("@")[2]
    host, sep, port = netloc.rpartition(":")
    if sep and "]" not in port and _DEFAULT_PORTS.get(parts.scheme) == port:
        return host
    return netloc


def logo(theme: ThemeOptions) -> str:
    """The theme's logo above the card, or nothing. ``alt=""``: a logo that fails to load leaves no icon."""
    if not theme.logo:
        return ""
    return f'<img class="logo"{attrs((("src", theme.logo), ("alt", "")))}>'


def _theme_css(theme: ThemeOptions) -> str:
    declarations = []
    brand = css_value(theme.brand_color)
    if brand:
        declarations.append(f"--brand:{brand}")
    button_text = css_value(theme.button_text)
    if button_text:
        declarations.append(f"--brand-fg:{button_text}")
    return ":root{" + ";".join(declarations) + "}" if declarations else ""


def scheme_of(theme: ThemeOptions) -> str:
    """``auto``, ``dark`` or ``light``; anything else counts as ``auto``."""
    return theme.color_scheme if theme.color_scheme in COLOR_SCHEMES else "auto"


def shell(*, title: str, kind: str, theme: ThemeOptions, body: str) -> str:
    """The whole document: head (inline CSS, theme colours), body class, and ``div.<kind>`` around ``body``."""
    scheme = scheme_of(theme)
    color_scheme = "light dark" if scheme == "auto" else scheme
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="color-scheme" content="{color_scheme}">'
        '<meta name="robots" content="noindex, nofollow">'
        f"<style>{CSS}{_theme_css(theme)}</style><title>{title}</title></head>"
        f'<body class="__next-auth-theme-{scheme}"><div class="page"><div class="{kind}">'
        f"{logo(theme)}{body}</div></div></body></html>"
    )


def style_vars(values: Mapping[str, object]) -> str | None:
    """An inline ``style`` value setting CSS custom properties; invalid values are left out."""
    declarations = [f"{name}:{value}" for name, raw in values.items() if (value := css_value(raw))]
    return ";".join(declarations) or None
