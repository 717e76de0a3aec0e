"""Helpers for the built-in page tests: the conformance kit's HTML fingerprint and the golden page cases.

The fingerprint and masking code is the kit's own (``tests/conformance/kit/transcript.py``, vendored from
``../shared/conformance`` by ``scripts/refresh-vendored``, loaded read-only at test time), so a page that
passes here fingerprints the same way in a conformance run.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import types
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

REPO = Path(__file__).resolve().parents[2]
CONFORMANCE = REPO / "tests" / "conformance" / "kit"  # vendored: scripts/refresh-vendored
GOLDENS = ("next-auth-pages.json", "next-auth-app.json")


@cache
def transcript() -> types.ModuleType:
    """The conformance kit's ``transcript.py`` as a module."""
    path = CONFORMANCE / "transcript.py"
    if not path.is_file():
        raise RuntimeError(f"{path} is missing: restore the vendored kit (git checkout tests/conformance/kit)")
    spec = importlib.util.spec_from_file_location("conformance_transcript", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def fingerprint(html: str, *, base: str, mock: str = "http://127.0.0.1:9400") -> list[str]:
    """The kit's fingerprint lines of ``html``, masked as the kit masks a server at ``base``.

    The kit's masking lives on its ``Scenario`` (per-scenario labels such as ``<csrf#1>``); only its
    masking state is set up here, not its HTTP client.
    """
    kit = transcript()
    scenario = kit.Scenario.__new__(kit.Scenario)
    scenario.r = types.SimpleNamespace(base=base, mock=mock)
    scenario.labels = kit.Labels()
    parser = kit.Fingerprint(lambda value, kind=None: scenario.mask_value(value, kind))
    parser.feed(html)
    parser.close()
    lines: list[str] = parser.result()
    return lines


@dataclass(frozen=True)
class GoldenPage:
    """One HTML page recorded from the real next-auth, and what it was requested with."""

    id: str
    base: str
    action: str
    segment: str | None
    query: dict[str, str]
    status: int
    lines: list[str]

    def hidden(self, name: str) -> str | None:
        """The (unmasked) value of the first hidden input ``name`` in the recorded page."""
        prefix = f"  input type=hidden name={name} value="
        for line in self.lines:
            if line.startswith(prefix):
                return line[len(prefix) :].replace("{BASE}", self.base)
        return None


def golden_pages() -> list[GoldenPage]:
    """Every HTML page of the server under test (not the mock's) in both goldens."""
    pages: list[GoldenPage] = []
    for name in GOLDENS:
        data: dict[str, Any] = json.loads((CONFORMANCE / "golden" / name).read_text())
        base = data["meta"]["base_url"]
        prefix = "{BASE}" + data["meta"]["base_path"] + "/"
        for scenario in data["scenarios"]:
            for index, step in enumerate(scenario["steps"]):
                body = step["response"]["body"]
                url = step["request"]["url"]
                if body.get("kind") != "html" or not url.startswith(prefix):
                    continue
                parts = urlsplit(url[len(prefix) :])
                action, _, segment = parts.path.partition("/")
                pages.append(
                    GoldenPage(
                        id=f"{name.removeprefix('next-auth-').removesuffix('.json')}:{scenario['name']}[{index}]",
                        base=base,
                        action=action,
                        segment=segment or None,
                        query=dict(parse_qsl(parts.query.replace("{BASE}", base), keep_blank_values=True)),
                        status=step["response"]["status"],
                        lines=body["html"],
                    )
                )
    return pages


class Markup(HTMLParser):
    """Every element of a document as ``(tag, attributes)``, with attribute values unescaped."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def tags(self) -> set[str]:
        return {tag for tag, _ in self.elements}

    def find(self, tag: str, **match: str) -> list[dict[str, str | None]]:
        """Attributes of every ``tag`` whose attributes include ``match``."""
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in match.items())]
