"""Writing NEXTAUTH_SECRET into a project's .env.local (the API under `nextauth secret --write`)."""

from __future__ import annotations

from pathlib import Path

from nextauth_cli import _envfile
from nextauth_cli._fs import Changeset
from nextauth_cli.errors import CliError

__all__ = ["write_secret"]

_IGNORED = (".env.local", "*.nextauth-tmp")
"""What the project's .gitignore must cover once .env.local holds a secret."""
_HEADER = "# Local environment of this project: secrets. Never commit it (.gitignore lists it).\n"


def write_secret(project: Path, *, rotate: bool = False, force: bool = False) -> str:
    """Set a fresh NEXTAUTH_SECRET in ``project/.env.local``; returns what was done, in words.

    An existing secret is kept unless ``rotate`` (the new one goes first, the old ones stay after a comma
    so that sessions they encrypted still decrypt) or ``force`` (replaced: every session ends).
    """
    path = project / ".env.local"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = _HEADER
    current = (_envfile.parse_env(text).get("NEXTAUTH_SECRET") or "").strip()
    fresh = _envfile.new_secret()
    if current and not (rotate or force):
        raise CliError(
            "NEXTAUTH_SECRET is already set in .env.local",
            fix="--rotate adds a new current secret and keeps the old one for existing sessions; "
            "--force replaces it (everyone is signed out)",
        )
    value = f"{fresh},{current}" if current and rotate else fresh
    changes = Changeset(project)
    changes.write(path, _envfile.set_value(text, "NEXTAUTH_SECRET", value))
    try:
        ignore = (project / ".gitignore").read_text(encoding="utf-8")
    except FileNotFoundError:
        ignore = ""
    # The secret, and the temporary copy a killed write may leave beside it (what `generate` ignores too).
    missing = [p for p in _IGNORED if not _envfile.is_gitignored(project, _envfile.GITIGNORE_PROBES[p])]
    if missing:
        changes.write(project / ".gitignore", _envfile.gitignore_with(ignore, missing))
    changes.commit()
    if current and rotate:
        kept = len([s for s in current.split(",") if s.strip()])
        return f"rotated NEXTAUTH_SECRET in .env.local: a new secret first, {kept} old one(s) kept for decryption"
    if current:
        return "replaced NEXTAUTH_SECRET in .env.local (existing sessions are no longer valid)"
    return "wrote a new NEXTAUTH_SECRET to .env.local"
