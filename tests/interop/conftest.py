"""The real next-auth 4.24.15 (``tests/node``), exactly as its committed ``package-lock.json`` says.

``scripts/bootstrap`` runs ``npm ci --omit=peer`` in ``tests/node`` and stamps the lock it installed; that copy is
used while the stamp matches the lock. Otherwise the same ``npm ci`` runs once per lock file into
``${XDG_CACHE_HOME:-~/.cache}/nextauth-tests/node-<lock digest>/`` (about 9 MB, a second or two from the npm
registry the first time) and later sessions reuse it. The fixture then starts ``tests/node/rpc.cjs`` once for
the session and stops it at the end.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "runtime" / "core"))  # authkit

from nodekit import NODE_DIR, NextAuthNode


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nextauth-tests"


def install_next_auth() -> Path:
    """``node_modules`` with next-auth 4.24.15, installed with ``npm ci`` from this repo's lock file."""
    lock = (NODE_DIR / "package-lock.json").read_bytes()
    in_tree = NODE_DIR / "node_modules"
    stamp = in_tree / ".bootstrap-lock"  # written by scripts/bootstrap after its `npm ci`
    if stamp.is_file() and stamp.read_bytes() == lock and (in_tree / "next-auth" / "package.json").is_file():
        return in_tree
    digest = hashlib.sha256(lock + (NODE_DIR / "package.json").read_bytes()).hexdigest()[:16]
    target = cache_root() / f"node-{digest}"
    marker = target / "node_modules" / "next-auth" / "package.json"
    if marker.is_file():
        return target / "node_modules"
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.fail("the interop tests need Node.js >= 18 and npm on PATH (Debian: apt-get install nodejs npm)")
    cache_root().mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="node-", dir=cache_root()))
    try:
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(NODE_DIR / name, staging / name)
        completed = subprocess.run(
            ["npm", "ci", "--omit=peer", "--ignore-scripts", "--no-audit", "--no-fund"],
            cwd=staging,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if completed.returncode != 0:
            pytest.fail(f"npm ci for next-auth failed (exit {completed.returncode}):\n{completed.stderr[-3000:]}")
        try:
            staging.rename(target)  # atomic: a concurrent run either wins or finds the finished copy
        except OSError:
            if not marker.is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target / "node_modules"


@pytest.fixture(scope="session")
def next_auth() -> Iterator[NextAuthNode]:
    node = NextAuthNode(install_next_auth())
    try:
        assert node.call("decode", token="", secret="x") is None  # up and answering
        yield node
    finally:
        node.close()
