"""All-or-nothing changes to a project: stage every output first, then commit them together.

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
import signal
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from nextauth_cli.errors import WriteError

__all__ = ["Changeset", "atomic_write"]


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

    def commit(self) -> list[Path]:
        """Apply every change or none; returns the paths that changed."""
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
    Path(name).chmod(0o644)
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
        Path(name).chmod(mode if mode is not None else 0o644)
        os.replace(name, path)  # noqa: PTH105 - not Path.replace: a rollback must not depend on what failed
    except BaseException:
        with contextlib.suppress(OSError):
            Path(name).unlink()
        raise


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
