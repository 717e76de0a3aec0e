"""The ``nextauth`` command: scaffold and maintain a NextAuth-style setup.

The command is a thin shell over this API (imported lazily, so ``nextauth --help`` stays fast)::

    from pathlib import Path
    from nextauth_cli import Answers, scaffold, regenerate, add_provider, diagnose

    scaffold(Path("myapp"), Answers(router="app", providers=["credentials", "github"]))
    add_provider(Path("myapp"), "google")
    assert regenerate(Path("myapp"), check=True).up_to_date
    assert diagnose(Path("myapp")).ok
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nextauth.__about__ import __version__
    from nextauth_cli.config import Answers, ProjectConfig, load_config
    from nextauth_cli.doctor import Report, diagnose
    from nextauth_cli.project import Result, add_provider, regenerate, remove_provider, scaffold
    from nextauth_cli.secret import write_secret

__all__ = [
    "Answers",
    "ProjectConfig",
    "Report",
    "Result",
    "__version__",
    "add_provider",
    "diagnose",
    "load_config",
    "regenerate",
    "remove_provider",
    "scaffold",
    "write_secret",
]

_LAZY = {
    "Answers": "nextauth_cli.config",
    "ProjectConfig": "nextauth_cli.config",
    "load_config": "nextauth_cli.config",
    "Report": "nextauth_cli.doctor",
    "diagnose": "nextauth_cli.doctor",
    "Result": "nextauth_cli.project",
    "add_provider": "nextauth_cli.project",
    "regenerate": "nextauth_cli.project",
    "remove_provider": "nextauth_cli.project",
    "scaffold": "nextauth_cli.project",
    "write_secret": "nextauth_cli.secret",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        # The one place the version is written (the wheel's version comes from it too); read on demand, not
        # through importlib.metadata at import time, which costs more than the rest of `nextauth --help`.
        from nextauth.__about__ import __version__

        return __version__
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'nextauth_cli' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
