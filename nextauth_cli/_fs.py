"""All-or-nothing changes to a project: stage every output first, then commit them together.

Every path a :class:`Changeset` writes or deletes must stay inside its root, symlinks resolved: the whole
changeset is checked before the first byte is written (:class:`~nextauth_cli.errors.UnsafePathError`
otherwise). Secret files (``.env``, ``.env*.local``) are created 0600; a rewrite keeps the file's mode.
A ``kill -9`` mid-commit can leave ``.<name>.<random>.nextauth-tmp`` files beside their targets (git
would track them, and one may hold a copy of ``.env.local``): the next commit removes them, under an
advisory lock on the root so that a concurrent nextauth never loses a temporary file it still needs.

A :class:`Changeset` collects writes and deletions in memory. :meth:`Changeset.commit` writes each new
file to a temporary file in its own directory (same file system, so ``os.replace`` is atomic), and only
when every temporary file is written does it replace the targets. If anything fails or the user presses
Ctrl-C during the commit, every target already replaced gets its previous content back, created files and
directories are removed, and the error is raised again: the project is as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from nextauth_cli.errors import UnsafePathError, WriteError

__all__ = [
    "MAX_PATH_CHARS",
    "TEMP_SUFFIX",
    "Changeset",
    "atomic_write",
    "check_inside",
    "check_relative",
    "clean_stale_temps",
    "is_secret_file",
]

TEMP_SUFFIX = ".nextauth-tmp"
MAX_PATH_CHARS = 1024
"""The longest relative path nextauth accepts from its manifest or config (the file system allows ~4096)."""
_MAX_NAME_BYTES = 255  # one path component, as Linux and macOS file systems allow


def is_secret_file(path: Path) -> bool:
    """``.env`` and ``.env*.local`` (Next.js's files for secrets): created 0600, never world-readable."""
    name = path.name
    return name == ".env" or (name.startswith(".env") and name.endswith(".local"))


def _default_mode(path: Path) -> int:
    return 0o600 if is_secret_file(path) else 0o644


def check_relative(rel: object, *, what: str, fix: str) -> str:
    """``rel`` if it is a plain relative path (``a/b/c``) nextauth may use; :class:`UnsafePathError` otherwise.

    Refused: a non-string, empty, NUL or other control characters, absolute paths (``/x``, ``\\x``,
    ``C:x``), ``.``/``..`` or empty segments, backslashes, a path longer than :data:`MAX_PATH_CHARS` or a
    segment longer than the file system allows. Whether it resolves inside the project (symlinks) is
    :func:`check_inside`'s part.
    """
    shown = repr(rel)[:80] + ("..." if len(repr(rel)) > 80 else "")
    if not isinstance(rel, str) or not rel:
        raise UnsafePathError(f"{what}: {shown} is not a path; nothing was changed", fix=fix)
    problem = ""
    if len(rel) > MAX_PATH_CHARS:
        problem = f"is longer than {MAX_PATH_CHARS} characters"
    elif any(ord(ch) < 0x20 or ord(ch) == 0x7F or 0xD800 <= ord(ch) <= 0xDFFF for ch in rel):
        problem = "contains a control character (NUL, newline, ...) or undecodable bytes"
    elif rel.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", rel):
        problem = "is absolute: it leads outside the project"
    elif "\\" in rel:
        problem = "contains a backslash"
    elif any(part in ("", ".", "..") for part in rel.split("/")):
        problem = "has a '..', '.' or empty segment: it could lead outside the project"
    elif any(len(part.encode("utf-8")) > _MAX_NAME_BYTES for part in rel.split("/")):
        problem = f"has a segment longer than {_MAX_NAME_BYTES} bytes"
    if problem:
        raise UnsafePathError(f"{what}: {shown} {problem}; nothing was changed", fix=fix)
    return rel


def check_inside(root: Path, path: Path, *, what: str, fix: str | None = None) -> Path:
    """``path`` if it stays inside ``root`` once every symlink is resolved; :class:`UnsafePathError` otherwise.

    A symlinked directory or file pointing outside the project counts as outside: nextauth would read
    or write through it.
    """
    top = root.resolve()
    try:
        lexical = Path(os.path.normpath(path if path.is_absolute() else top / path))
        resolved = path.resolve() if path.is_absolute() else (top / path).resolve()
    except (OSError, ValueError, RuntimeError) as exc:  # NUL, a symlink loop, a name too long
        raise UnsafePathError(f"{what}: {path} cannot be resolved ({exc}); nothing was changed", fix=fix) from None
    spelled = Path(os.path.normpath(root.absolute()))  # the project may be reached through a symlink
    inside_lexically = lexical.is_relative_to(top) or lexical.is_relative_to(spelled)
    if not inside_lexically or not resolved.is_relative_to(top):
        where = lexical if not inside_lexically else resolved
        raise UnsafePathError(
            f"{what}: {_shown(path, root)} leads outside the project (to {where}); nothing was changed",
            fix=fix or "nextauth only writes inside the project: remove the symlink or correct the path",
        )
    return path


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


@dataclass
class _Saved:
    path: Path
    previous: bytes | None
    mode: int | None


@dataclass
class Changeset:
    """Pending changes under ``root``: ``{path: text}`` to write and paths to delete."""

    root: Path
    writes: dict[Path, str] = field(default_factory=dict)
    deletes: set[Path] = field(default_factory=set)

    def write(self, path: Path, text: str) -> None:
        self.deletes.discard(path)
        self.writes[path] = text

    def delete(self, path: Path) -> None:
        self.writes.pop(path, None)
        self.deletes.add(path)

    def is_empty(self) -> bool:
        return not self.writes and not self.deletes

    def touched(self) -> list[Path]:
        """Paths that will change (writes whose content differs, and deletions of existing files)."""
        out = [p for p, text in self.writes.items() if _read_bytes(p) != text.encode("utf-8")]
        out += [p for p in self.deletes if p.exists()]
        return sorted(out)

    def check(self) -> None:
        """Every path inside :attr:`root` (symlinks resolved), or :class:`UnsafePathError` before any write."""
        for path in sorted(self.writes.keys() | self.deletes):
            check_inside(self.root, path, what="a file to write")

    def commit(self) -> list[Path]:
        """Apply every change or none; returns the paths that changed.

        Checks every path first (nothing is written when one leads outside the root), then removes the
        temporary files a killed run left in the directories it writes to.
        """
        self.check()
        with _locked(self.root):
            clean_stale_temps(self.root, {p.parent for p in self.writes.keys() | self.deletes})
            return self._commit()

    def _commit(self) -> list[Path]:
        changed = self.touched()
        if not changed:
            return []
        created_dirs: list[Path] = []
        staged: dict[Path, Path] = {}
        saved: list[_Saved] = []
        try:
            for path, text in self.writes.items():
                if path not in changed:
                    continue
                created_dirs += _make_parents(path.parent)
                staged[path] = _stage(path, text)
            for path in changed:
                mode = path.stat().st_mode & 0o7777 if path.exists() else None
                saved.append(_Saved(path, _read_bytes(path), mode))
                if path in staged:
                    if mode is not None:
                        staged[path].chmod(mode)
                    _replace(staged[path], path)
                    del staged[path]
                else:
                    path.unlink()
        except BaseException as exc:
            with _interrupts_ignored():
                for temp in staged.values():
                    with contextlib.suppress(OSError):
                        temp.unlink()
                _rollback(saved, created_dirs)
            if isinstance(exc, OSError):
                raise _write_error(exc) from None
            raise
        for path in self.deletes:
            _prune_empty_parents(path.parent, self.root)
        return changed


def _replace(source: Path, target: Path) -> None:
    """The commit step (a separate function so tests can make it fail midway)."""
    source.replace(target)


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None


def _make_parents(directory: Path) -> list[Path]:
    missing: list[Path] = []
    current = directory
    while not current.exists():
        missing.append(current)
        current = current.parent
    created = list(reversed(missing))  # in creation order: parents first
    for path in created:
        path.mkdir()
    return created


def _stage(path: Path, text: str) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".nextauth-tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            Path(name).unlink()
        raise
    Path(name).chmod(_default_mode(path))  # mkstemp's 0600 stays for secrets: a leftover never leaks one
    return Path(name)


def _rollback(saved: list[_Saved], created_dirs: list[Path]) -> None:
    for entry in reversed(saved):
        with contextlib.suppress(OSError):
            if entry.previous is None:
                entry.path.unlink(missing_ok=True)
            else:
                atomic_write(entry.path, entry.previous, mode=entry.mode)
    for directory in reversed(created_dirs):
        with contextlib.suppress(OSError):
            directory.rmdir()


def _prune_empty_parents(directory: Path, root: Path) -> None:
    """Remove directories left empty by a deletion (a moved route's folders), never ``root`` itself."""
    root = root.resolve()
    current = directory.resolve()
    while current != root and current.is_relative_to(root):
        try:
            current.rmdir()
        except OSError:
            return
        current = current.parent


def atomic_write(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file and ``os.replace``."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".nextauth-tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(name).chmod(mode if mode is not None else _default_mode(path))
        os.replace(name, path)  # noqa: PTH105 - not Path.replace: a rollback must not depend on what failed
    except BaseException:
        with contextlib.suppress(OSError):
            Path(name).unlink()
        raise


def clean_stale_temps(root: Path, directories: set[Path] | None = None) -> list[Path]:
    """Remove ``.*.nextauth-tmp`` files that a killed run left in ``root``, ``root/.nextauth`` and ``directories``.

    Only regular files (or symlinks, which are unlinked, never followed) directly in those directories
    and inside ``root``; returns what was removed. Call it with the root locked (:meth:`Changeset.commit`).
    """
    top = root.resolve()
    if not top.is_dir():
        return []
    dirs = {top, *(d for d in (directories or set()))}
    state = top / ".nextauth"
    if state.is_dir() and not state.is_symlink():
        dirs.update(p for p in state.rglob("*") if p.is_dir() and not p.is_symlink())
    removed = []
    for directory in sorted(dirs):
        try:
            if not directory.resolve().is_relative_to(top):
                continue
            entries = list(directory.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") and entry.name.endswith(TEMP_SUFFIX) and not entry.is_dir():
                with contextlib.suppress(OSError):
                    entry.unlink()
                    removed.append(entry)
    return removed


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """An exclusive advisory lock on ``root`` (or its nearest existing parent) while a commit runs."""
    directory = root
    while not directory.is_dir() and directory != directory.parent:
        directory = directory.parent
    if sys.platform == "win32":  # pragma: no cover - no flock: the clean-up still runs, unlocked
        yield
        return
    import fcntl

    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        yield  # an unreadable directory: the commit reports the real error
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _write_error(exc: OSError) -> WriteError:
    where = exc.filename or ""
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return WriteError(
            f"cannot write {where}: {exc.strerror} (read-only file system or no permission); nothing was changed",
            fix="run nextauth where you may write, or fix the directory's permissions",
        )
    if exc.errno == errno.ENOSPC:
        return WriteError(f"cannot write {where}: the disk is full; nothing was changed", fix="free some space")
    return WriteError(f"cannot write {where}: {exc.strerror or exc}; nothing was changed")


@contextlib.contextmanager
def _interrupts_ignored() -> Iterator[None]:
    """A second Ctrl-C must not interrupt the rollback of the first one."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
