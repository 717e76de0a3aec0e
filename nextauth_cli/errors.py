"""Errors the ``nextauth`` command reports to the user, and the exit codes they map to.

    CliError                      exit 1  (code)
    ├── ConfigError               config         nextauth.toml is invalid (syntax, unknown key, bad value)
    ├── UnknownProviderError      unknown-provider
    ├── ProjectExistsError        exists         `init` where a config or a route file already exists
    ├── ConflictError             conflict       `generate` cannot merge your edits with the new render
    ├── WriteError                write          a file could not be written (read-only directory, ...)
    ├── UnsafePathError           unsafe-path    a path from .nextauth/manifest.json or nextauth.toml leads outside
    │                                            the project (``..``, absolute, a symlink out, NUL, too long):
    │                                            nothing was read from or written to it
    ├── UsageError                exit 2  usage  flags that contradict each other
    └── PortInUseError            exit 3  port-in-use  `dev`/`start`: another program listens on the port;
                                                       nothing was started (pick another with --port)

Every message says what was wrong and how to fix it; none contains a secret.
"""

from __future__ import annotations

__all__ = [
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PORT_IN_USE",
    "EXIT_USAGE",
    "CliError",
    "ConfigError",
    "ConflictError",
    "PortInUseError",
    "ProjectExistsError",
    "UnknownProviderError",
    "UnsafePathError",
    "UsageError",
    "WriteError",
]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_PORT_IN_USE = 3  # `dev`/`start`: the port is taken (uvicorn's own code for a failed start-up, now documented)
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


class CliError(Exception):
    """An error the user can fix; ``fix`` is the one-line remedy printed under the message."""

    exit_code: int = EXIT_ERROR
    code: str = "error"

    def __init__(self, message: str, *, fix: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return self.message if not self.fix else f"{self.message}\n{self.fix}"


class ConfigError(CliError):
    code = "config"


class UnknownProviderError(CliError):
    code = "unknown-provider"


class ProjectExistsError(CliError):
    code = "exists"


class ConflictError(CliError):
    code = "conflict"


class WriteError(CliError):
    code = "write"


class UnsafePathError(CliError):
    """A path nextauth was told to read or write leads outside the project (exit 1); nothing was touched."""

    code = "unsafe-path"


class UsageError(CliError):
    exit_code = EXIT_USAGE
    code = "usage"


class PortInUseError(CliError):
    """``dev``/``start`` found the port taken: nothing was started (exit 3, so a script can pick another)."""

    exit_code = EXIT_PORT_IN_USE
    code = "port-in-use"
