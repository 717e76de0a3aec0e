"""``.env`` files, loaded as Next.js loads them: ``.env``, then ``.env.local`` over it, real variables over both.

Values are never logged; only the names of the files that were read.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from dotenv import dotenv_values

__all__ = ["ENV_FILES", "load_env_files", "project_environ"]

ENV_FILES = (".env", ".env.local")

log = logging.getLogger("nextauth.server")


def load_env_files(project: str | Path = ".") -> list[str]:
    """Set the variables of ``project``'s env files in ``os.environ``; return the names of the files read.

    A variable already in the environment when this is called keeps its value (the environment wins),
    a variable set by ``.env`` is replaced by ``.env.local``, and ``${NAME}`` in ``.env.local`` can refer
    to a variable of ``.env``. Call it once per process: variables it set count as real afterwards.

    ``nextauth dev``/``start`` and :func:`~nextauth.server.create_app` call it for you; an application of
    your own calls it before importing ``auth_options`` (which reads its variables at import)::

        load_env_files(Path(__file__).parent)
    """
    project = Path(project)
    real = frozenset(os.environ)
    loaded: list[str] = []
    for name in ENV_FILES:
        path = project / name
        if not path.is_file():
            continue
        for key, value in dotenv_values(path, encoding="utf-8").items():
            if value is not None and key not in real:
                os.environ[key] = value
        loaded.append(name)
    if loaded:
        log.info("Environments: %s", ", ".join(loaded))
    return loaded


def project_environ(project: Path) -> dict[str, str]:
    """The environment the project will see once :func:`load_env_files` has run, without changing
    ``os.environ`` (the reloader's child must still read the files itself, so that it sees their edits)."""
    merged: dict[str, str] = {}
    for name in ENV_FILES:
        path = project / name
        if path.is_file():
            merged.update({k: v for k, v in dotenv_values(path, encoding="utf-8").items() if v is not None})
    merged.update(os.environ)
    return merged
