"""File-system routes as Next.js defines them: discovery, validation, and a matcher built once at startup.

* ``pages/**.py``: one pages-style API route per file; ``index.py`` maps to its directory.
* ``app/**/route.py`` (route handlers) and ``app/**/page.py`` (pages) map to their directory;
  ``(group)`` folders do not appear in the URL, and other files in ``app/`` are not routed.
* In both trees, files and folders whose name starts with ``_`` or ``.`` are private (not routed);
  a leading ``%5F`` stands for a literal ``_`` in the URL.
* Dynamic segments: ``[id]`` (one segment, a str), ``[...slug]`` (one or more, a list),
  ``[[...slug]]`` (zero or more; no key at all when there are none).

Matching walks a tree of segments: at each level a static name wins over ``[id]``, which wins over
``[...slug]``, which wins over ``[[...slug]]``; when a branch fails deeper down the next kind is tried,
which gives the same answer as Next.js's ordered list of route regexes, without scanning it.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, Literal, TypeVar

from nextauth.server._errors import InvalidRouteError, RouteConflictError

__all__ = ["RouteFile", "RouteTable", "Segment", "SegmentKind", "discover", "find_route_roots"]

Style = Literal["pages", "app", "page"]
T = TypeVar("T")


class SegmentKind(enum.Enum):
    STATIC = "static"
    DYNAMIC = "dynamic"
    CATCH_ALL = "catch-all"
    OPTIONAL_CATCH_ALL = "optional catch-all"


@dataclass(frozen=True, slots=True)
class Segment:
    kind: SegmentKind
    value: str
    """The literal text of a static segment, or the parameter name of a dynamic one."""

    def __str__(self) -> str:
        if self.kind is SegmentKind.DYNAMIC:
            return f"[{self.value}]"
        if self.kind is SegmentKind.CATCH_ALL:
            return f"[...{self.value}]"
        if self.kind is SegmentKind.OPTIONAL_CATCH_ALL:
            return f"[[...{self.value}]]"
        return self.value


@dataclass(frozen=True, slots=True)
class RouteFile:
    """One routed file: its style, where it is, and the URL pattern it serves."""

    style: Style
    path: Path
    rel: str
    """The path relative to the project directory (POSIX separators), used in every message."""
    segments: tuple[Segment, ...]

    @property
    def pattern(self) -> str:
        return "/" + "/".join(str(s) for s in self.segments)


def find_route_roots(project: Path) -> list[tuple[Literal["pages", "app"], Path]]:
    """``pages/`` and ``app/`` in the project, or in ``src/`` when neither is at the top (as Next.js)."""
    for base in (project, project / "src"):
        roots: list[tuple[Literal["pages", "app"], Path]] = [
            (kind, base / kind) for kind in ("pages", "app") if (base / kind).is_dir()
        ]
        if roots:
            return roots
    return []


def discover(project: Path) -> list[RouteFile]:
    """Every routed file of the project, in a stable order; a malformed name raises :class:`InvalidRouteError`."""
    found: list[RouteFile] = []
    for kind, root in find_route_roots(project):
        if kind == "pages":
            _walk_pages(project, root, (), found)
        else:
            _walk_app(project, root, (), found)
    return found


def _rel(project: Path, path: Path) -> str:
    try:
        return path.relative_to(project).as_posix()
    except ValueError:
        return path.as_posix()


def _is_private(name: str) -> bool:
    return name.startswith(("_", "."))


def _entries(directory: Path) -> list[os.DirEntry[str]]:
    with os.scandir(directory) as it:
        return sorted(it, key=lambda e: e.name)


def _walk_pages(project: Path, directory: Path, prefix: tuple[Segment, ...], out: list[RouteFile]) -> None:
    for entry in _entries(directory):
        if _is_private(entry.name):
            continue
        path = Path(entry.path)
        if entry.is_dir():
            segment = parse_segment(entry.name, _rel(project, path))
            _walk_pages(project, path, (*prefix, segment), out)
        elif entry.name.endswith(".py") and entry.is_file():
            stem = entry.name[:-3]
            rel = _rel(project, path)
            segments = prefix if stem == "index" else (*prefix, parse_segment(stem, rel))
            out.append(_checked(RouteFile("pages", path, rel, segments)))


def _walk_app(project: Path, directory: Path, prefix: tuple[Segment, ...], out: list[RouteFile]) -> None:
    entries = _entries(directory)
    for entry in entries:
        if entry.name in ("route.py", "page.py") and entry.is_file():
            path = Path(entry.path)
            style: Style = "app" if entry.name == "route.py" else "page"
            out.append(_checked(RouteFile(style, path, _rel(project, path), prefix)))
    for entry in entries:
        if _is_private(entry.name) or not entry.is_dir():
            continue
        path = Path(entry.path)
        rel = _rel(project, path)
        name = entry.name
        if name.startswith("@"):
            raise InvalidRouteError(
                f"{rel}: parallel routes (@folder) are not supported; "
                "rename the folder (or prefix it with _ to keep it out of routing)"
            )
        if name.startswith("(."):
            raise InvalidRouteError(f"{rel}: intercepting routes ((.)folder) are not supported; rename the folder")
        if name.startswith("(") and name.endswith(")") and len(name) > 2:
            _walk_app(project, path, prefix, out)
            continue
        _walk_app(project, path, (*prefix, parse_segment(name, rel)), out)


def parse_segment(name: str, rel: str) -> Segment:
    """One folder or file name as a URL segment (``rel`` names it in errors)."""
    if not (name.startswith("[") and name.endswith("]")):
        if name.startswith("%5F") or name.startswith("%5f"):
            name = "_" + name[3:]
        return Segment(SegmentKind.STATIC, name)
    if name.startswith("[[") and name.endswith("]]"):
        inner = name[2:-2]
        if not inner.startswith("..."):
            raise InvalidRouteError(
                f"{rel}: optional parameters are only supported as an optional catch-all; "
                f"rename [[{inner}]] to [{inner}] or [[...{inner}]]"
            )
        kind, param = SegmentKind.OPTIONAL_CATCH_ALL, inner[3:]
    elif name.startswith("[..."):
        kind, param = SegmentKind.CATCH_ALL, name[4:-1]
    else:
        kind, param = SegmentKind.DYNAMIC, name[1:-1]
    if not param or param.startswith(".") or any(c in param for c in "[]/"):
        raise InvalidRouteError(f"{rel}: {name!r} is not a valid dynamic segment; use [name], [...name] or [[...name]]")
    return Segment(kind, param)


def _checked(route: RouteFile) -> RouteFile:
    seen: set[str] = set()
    for i, segment in enumerate(route.segments):
        if segment.kind is SegmentKind.STATIC:
            continue
        if segment.kind is not SegmentKind.DYNAMIC and i != len(route.segments) - 1:
            raise InvalidRouteError(f"{route.rel}: {segment} must be the last part of the URL ({route.pattern})")
        if segment.value in seen:
            raise InvalidRouteError(
                f"{route.rel}: the parameter name {segment.value!r} appears twice in {route.pattern}; "
                "give each dynamic segment its own name"
            )
        seen.add(segment.value)
    return route


# -- the matcher ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Entry(Generic[T]):
    source: RouteFile
    target: T


@dataclass(slots=True)
class _Node(Generic[T]):
    static: dict[str, _Node[T]] = field(default_factory=dict)
    dynamic: _Node[T] | None = None
    dynamic_name: str = ""
    dynamic_source: RouteFile | None = None
    catch_all: _Entry[T] | None = None
    optional: _Entry[T] | None = None
    exact: _Entry[T] | None = None


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    source: RouteFile
    target: T
    params: dict[str, str | list[str]]


class RouteTable(Generic[T]):
    """A tree of URL segments; :meth:`add` rejects conflicting definitions, :meth:`match` finds a route."""

    def __init__(self) -> None:
        self._root: _Node[T] = _Node()
        self._entries: list[_Entry[T]] = []

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[tuple[RouteFile, T]]:
        return ((e.source, e.target) for e in self._entries)

    def add(self, source: RouteFile, target: T) -> None:
        entry = _Entry(source, target)
        node = self._root
        for depth, segment in enumerate(source.segments):
            if segment.kind is SegmentKind.STATIC:
                node = node.static.setdefault(segment.value, _Node())
            elif segment.kind is SegmentKind.DYNAMIC:
                if node.dynamic is None:
                    node.dynamic, node.dynamic_name, node.dynamic_source = _Node(), segment.value, source
                elif node.dynamic_name != segment.value:
                    assert node.dynamic_source is not None  # set together with dynamic
                    raise _different_names(node.dynamic_source, node.dynamic_name, source, segment, depth)
                node = node.dynamic
            else:
                self._add_catch_all(node, entry, segment, depth)
                self._entries.append(entry)
                return
        if node.exact is not None:
            raise _same_url(node.exact.source, source)
        if node.optional is not None:
            raise _optional_overlap(node.optional.source, source)
        node.exact = entry
        self._entries.append(entry)

    @staticmethod
    def _add_catch_all(node: _Node[T], entry: _Entry[T], segment: Segment, depth: int) -> None:
        optional = segment.kind is SegmentKind.OPTIONAL_CATCH_ALL
        same = node.optional if optional else node.catch_all
        other = node.catch_all if optional else node.optional
        if same is not None:
            existing = same.source.segments[depth]
            if existing.value != segment.value:
                raise _different_names(same.source, existing.value, entry.source, segment, depth)
            raise _same_url(same.source, entry.source)
        if other is not None:
            raise RouteConflictError(
                f"{other.source.rel} ({other.source.pattern}) and {entry.source.rel} ({entry.source.pattern}) "
                "put a catch-all and an optional catch-all at the same level; keep only one of them"
            )
        if optional and node.exact is not None:
            raise _optional_overlap(entry.source, node.exact.source)
        if optional:
            node.optional = entry
        else:
            node.catch_all = entry

    def match(self, segments: list[str]) -> Match[T] | None:
        """The route for already-decoded path segments (``[]`` is ``/``), with its parameters."""
        found = _match(self._root, segments, 0)
        if found is None:
            return None
        entry, pairs = found
        return Match(entry.source, entry.target, dict(pairs))


def _match(node: _Node[T], segments: list[str], i: int) -> tuple[_Entry[T], list[tuple[str, str | list[str]]]] | None:
    if i == len(segments):
        if node.exact is not None:
            return node.exact, []
        if node.optional is not None:
            return node.optional, []
        return None
    child = node.static.get(segments[i])
    if child is not None:
        found = _match(child, segments, i + 1)
        if found is not None:
            return found
    if node.dynamic is not None:
        found = _match(node.dynamic, segments, i + 1)
        if found is not None:
            found[1].insert(0, (node.dynamic_name, segments[i]))
            return found
    leaf = node.catch_all or node.optional
    if leaf is not None:
        return leaf, [(leaf.source.segments[-1].value, segments[i:])]
    return None


def _same_url(a: RouteFile, b: RouteFile) -> RouteConflictError:
    hint = (
        " (a URL can come from pages/ or from app/, not both)"
        if {a.style, b.style} & {"pages"} and a.style != b.style
        else ""
    )
    return RouteConflictError(f"{a.rel} and {b.rel} both define {b.pattern}{hint}: remove or rename one of them")


def _different_names(a: RouteFile, a_name: str, b: RouteFile, segment: Segment, depth: int) -> RouteConflictError:
    level = "/" + "/".join(str(s) for s in b.segments[:depth])
    return RouteConflictError(
        f"{a.rel} and {b.rel} use different parameter names at the same level of {level.rstrip('/')}/… "
        f"({a_name!r} and {segment.value!r}): use one name in both"
    )


def _optional_overlap(optional: RouteFile, exact: RouteFile) -> RouteConflictError:
    return RouteConflictError(
        f"{optional.rel} ({optional.pattern}, which also matches {exact.pattern}) and {exact.rel} "
        f"({exact.pattern}) both answer {exact.pattern}: remove one of them, or use [...] instead of [[...]]"
    )
