"""A running ``tests/node/rpc.cjs``: the real next-auth 4.24.15 answering JSON requests."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import threading
from pathlib import Path
from typing import Any

NODE_DIR = Path(__file__).resolve().parents[1] / "node"


class NodeError(Exception):
    """next-auth threw; ``name``/``code`` are the JavaScript error's (e.g. ``ERR_JWE_DECRYPTION_FAILED``)."""

    def __init__(self, error: dict[str, Any]) -> None:
        super().__init__(f"{error.get('name')}: {error.get('message')}")
        self.name = error.get("name")
        self.code = error.get("code")


class NextAuthNode:
    """A running ``rpc.cjs``: ``call("encode", token=..., secret=...)`` returns next-auth's answer."""

    def __init__(self, node_modules: Path) -> None:
        env = {**os.environ, "NEXTAUTH_TEST_NODE_MODULES": str(node_modules)}
        for name in ("NEXTAUTH_URL", "NEXTAUTH_SECRET", "AUTH_SECRET", "VERCEL"):
            env.pop(name, None)
        self._process = subprocess.Popen(
            ["node", str(NODE_DIR / "rpc.cjs")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self._ids = itertools.count()
        self._lock = threading.Lock()

    def call(self, op: str, **args: Any) -> Any:
        with self._lock:
            request_id = next(self._ids)
            assert self._process.stdin is not None and self._process.stdout is not None
            self._process.stdin.write(json.dumps({"id": request_id, "op": op, **args}) + "\n")
            self._process.stdin.flush()
            line = self._process.stdout.readline()
        if not line:
            stderr = self._process.stderr.read() if self._process.stderr else ""
            raise RuntimeError(f"rpc.cjs exited: {stderr[-2000:]}")
        answer = json.loads(line)
        assert answer["id"] == request_id
        if not answer["ok"]:
            raise NodeError(answer["error"])
        return answer["result"]

    def close(self) -> None:
        process = self._process
        if process.stdin:
            process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()
