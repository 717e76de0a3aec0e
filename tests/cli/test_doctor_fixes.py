"""Issue 14, trap 4: every `doctor` finding's fix, followed as written, makes that finding go away.

Each case plants one fault in a fresh project, checks that doctor reports it with the fix text the case
follows, then follows it: a command in backticks is run as printed (in a shell, from the project directory,
the `nextauth` program first on PATH), an edit is made as the text says. Doctor runs again: the finding is gone.
Not covered here: `trust-host` (tests/cli/test_doctor.py follows its fix), the `--online` checks (they need the
provider and the server), `duplicate-provider` (TOML cannot hold one key twice), `middleware` (its own tests).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from clikit import new_project

from nextauth_cli.doctor import Finding, diagnose

BIN = Path(sys.executable).parent


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path.name, old)
    path.write_text(text.replace(old, new, 1))


def _set_env(project: Path, name: str, value: str | None) -> None:
    """Set (or with ``None`` remove) ``name`` in .env.local, as a user edits the file."""
    env = project / ".env.local"
    lines = [line for line in env.read_text().splitlines() if not line.startswith(f"{name}=")]
    if value is not None:
        lines.append(f"{name}={value}")
    env.write_text("\n".join(lines) + "\n")


def _toml(project: Path) -> Path:
    return project / "nextauth.toml"


def _run_the_command(project: Path, fix: str) -> None:
    """The first command in backticks of ``fix``, run as printed."""
    found = re.search(r"`([^`]+)`", fix)
    assert found, f"no command in {fix!r}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEXTAUTH_", "AUTH_"))}
    env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
    done = subprocess.run(found.group(1), shell=True, cwd=project, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, (found.group(1), done.stdout, done.stderr)


@dataclass(frozen=True)
class Case:
    check: str
    says: str  # part of the finding's message: which finding this is
    fix: str  # what the fix text must say (what `follow` does)
    plant: Callable[[Path], None]
    follow: Callable[[Path, str], None]  # (project, the printed fix)
    providers: tuple[str, ...] = ("credentials", "github")


def _no_providers(p: Path) -> None:
    text = _toml(p).read_text()
    _toml(p).write_text(text[: text.index("[providers.")])


def _stray(p: Path) -> None:
    stray = p / "pages/api/auth/[...nextauth].py"
    stray.parent.mkdir(parents=True)
    stray.write_text("async def handler(req, res):\n    pass\n")


def _markers(p: Path) -> None:
    options = p / "auth_options.py"
    options.write_text(options.read_text() + "<<<<<<< your version\nx = 1\n=======\nx = 2\n>>>>>>> new render\n")


def _resolve_markers(p: Path, fix: str) -> None:
    options = p / "auth_options.py"
    kept = [line for line in options.read_text().splitlines() if not line.startswith(("<<<<<<<", "=======", ">>>>>>>"))]
    options.write_text("\n".join(line for line in kept if line not in ("x = 1", "x = 2")) + "\n")


def _git_commit_env_local(p: Path) -> None:
    for args in (["init", "-q"], ["add", "-f", ".env.local"]):
        subprocess.run(["git", *args], cwd=p, check=True, capture_output=True)


def _prefix_redirect(p: Path) -> None:
    callbacks = p / "auth_callbacks.py"
    callbacks.write_text(
        callbacks.read_text()
        + "\n\ndef redirect(url: str, base_url: str) -> str:\n"
        + "    return url if url.startswith(base_url) else base_url\n"
    )


def _origin_redirect(p: Path, fix: str) -> None:
    """What the fix asks: parsed origins compared, no prefix test."""
    callbacks = p / "auth_callbacks.py"
    text = callbacks.read_text()
    callbacks.write_text(
        text.replace(
            "    return url if url.startswith(base_url) else base_url\n",
            "    from urllib.parse import urlsplit\n\n"
            "    same = urlsplit(url)[:2] == urlsplit(base_url)[:2]\n"
            "    return url if same else base_url\n",
        )
    )


def _replace_demo_authorize(p: Path, fix: str) -> None:
    callbacks = p / "auth_callbacks.py"
    text = callbacks.read_text()
    start = text.index("def authorize(")
    end = text.index("\n\n\n", start)
    callbacks.write_text(
        text[:start]
        + "def authorize(credentials: dict[str, object], request: object) -> dict[str, object] | None:\n"
        + "    return None  # look the user up in your own store\n"
        + text[end:]
    )


def _hostile_manifest(p: Path) -> None:
    """A route path that leads out of the project: `generate` refuses to run (issue 11)."""
    manifest = p / ".nextauth" / "manifest.json"
    _edit(manifest, '"app/api/auth/[...nextauth]/route.py"', '"../x"')


CASES = [
    Case(
        "no-providers",
        "no provider is configured",
        "`nextauth add-provider credentials`",
        _no_providers,
        _run_the_command,
    ),
    Case(
        "credentials-database",
        "credentials sign-ins only work with JWT sessions",
        'set [session] strategy = "jwt" in nextauth.toml and run `nextauth generate`',
        lambda p: _edit(_toml(p), 'strategy = "jwt"', 'strategy = "database"\n\n[database]\nurl = "sqlite://"'),
        lambda p, fix: (
            _edit(_toml(p), 'strategy = "database"', 'strategy = "jwt"'),
            _run_the_command(p, fix),
        ),
    ),
    Case(
        "database-missing",
        'session strategy "database" needs a database',
        'add [database] with url = "sqlite:///./nextauth.db"',
        lambda p: _edit(_toml(p), 'strategy = "jwt"', 'strategy = "database"'),
        lambda p, fix: _toml(p).write_text(_toml(p).read_text() + '\n[database]\nurl = "sqlite:///./nextauth.db"\n'),
        providers=("github",),
    ),
    Case(
        "email-without-database",
        "the email provider needs a database",
        'add [database] with url = "sqlite:///./nextauth.db"',
        lambda p: _edit(
            _toml(p),
            "[database]\n# DATABASE_URL in the environment wins; create the tables with "
            '`nextauth db init`.\nurl = "sqlite:///./nextauth.db"\n',
            "",
        ),
        lambda p, fix: _toml(p).write_text(_toml(p).read_text() + '\n[database]\nurl = "sqlite:///./nextauth.db"\n'),
        providers=("email",),
    ),
    Case(
        "cookie-domain",
        "does not contain the production host 'app.other.net'",
        "set cookies.domain to 'other.net'",
        lambda p: _toml(p).write_text(
            _toml(p)
            .read_text()
            .replace('# production = "https://app.example.com"', 'production = "https://app.other.net"')
            + '\n[cookies]\ndomain = "example.com"\n'
        ),
        lambda p, fix: _edit(_toml(p), 'domain = "example.com"', 'domain = "other.net"'),
    ),
    Case(
        "cookie-domain",
        "cookies.domain is set but urls.production is not",
        "set urls.production (e.g. https://app.example.com)",
        lambda p: _toml(p).write_text(_toml(p).read_text() + '\n[cookies]\ndomain = "example.com"\n'),
        lambda p, fix: _edit(
            _toml(p), '# production = "https://app.example.com"', 'production = "https://app.example.com"'
        ),
    ),
    Case(
        "production-http",
        "is plain http",
        "set urls.production to the https:// URL",
        lambda p: _edit(_toml(p), '# production = "https://app.example.com"', 'production = "http://app.example.com"'),
        lambda p, fix: _edit(
            _toml(p), 'production = "http://app.example.com"', 'production = "https://app.example.com"'
        ),
    ),
    Case(
        "provider-option",
        "is the server, not a realm",
        "correct [providers.keycloak] in nextauth.toml",
        lambda p: _toml(p).write_text(_toml(p).read_text() + 'issuer = "https://kc.example.com"\n'),
        lambda p, fix: _edit(
            _toml(p), 'issuer = "https://kc.example.com"', 'issuer = "https://kc.example.com/realms/app"'
        ),
        providers=("keycloak",),
    ),
    Case(
        "config",
        "invalid TOML",
        "correct the TOML syntax at that line and column",
        lambda p: _edit(_toml(p), 'mode = "simple"', "mode = simple"),
        lambda p, fix: _edit(_toml(p), "mode = simple", 'mode = "simple"'),
    ),
    Case(
        "route",
        "is missing",
        "`nextauth generate`",
        lambda p: (p / "app/api/auth/[...nextauth]/route.py").unlink(),
        _run_the_command,
    ),
    Case(
        "route",
        "does not define POST",
        "`rm 'app/api/auth/[...nextauth]/route.py' && nextauth generate`",
        lambda p: _edit(p / "app/api/auth/[...nextauth]/route.py", "POST = handler\n", ""),
        _run_the_command,
    ),
    Case(
        "route",
        "also exists",
        "delete it",
        _stray,
        lambda p, fix: (p / "pages/api/auth/[...nextauth].py").unlink(),
    ),
    Case(
        "options",
        "auth_options.py is missing",
        "`nextauth generate`",
        lambda p: (p / "auth_options.py").unlink(),
        _run_the_command,
    ),
    Case(
        "callbacks",
        "auth_callbacks.py is missing",
        "`nextauth generate`",
        lambda p: (p / "auth_callbacks.py").unlink(),
        _run_the_command,
    ),
    Case(
        "callbacks",
        "lacks authorize",
        "`nextauth generate`",
        lambda p: _edit(p / "auth_callbacks.py", "def authorize(", "def authorise("),
        _run_the_command,
    ),
    Case("conflict", "unresolved conflict markers", "resolve them, remove the markers", _markers, _resolve_markers),
    Case(
        "generated",
        "out of date with nextauth.toml",
        "`nextauth generate`",
        lambda p: _toml(p).write_text(
            _toml(p).read_text().replace("[providers.github]\n", '[providers.github]\nname = "GH"\n')
        ),
        _run_the_command,
    ),
    Case(
        "generated",
        "`nextauth generate` cannot run: .nextauth/manifest.json (the route file): '../x'",
        "`rm .nextauth/manifest.json`",
        _hostile_manifest,
        _run_the_command,
    ),
    Case(
        "secret",
        "NEXTAUTH_SECRET is not set",
        "`nextauth secret --write`",
        lambda p: _set_env(p, "NEXTAUTH_SECRET", None),
        _run_the_command,
    ),
    Case(
        "secret",
        "is a well-known word",
        "`nextauth secret --write --force`",
        lambda p: _set_env(p, "NEXTAUTH_SECRET", "changeme"),
        _run_the_command,
    ),
    Case(
        "secret",
        "(secret 2) from .env.local is",
        "`nextauth secret --write --force`",
        lambda p: _set_env(p, "NEXTAUTH_SECRET", "q" * 8 + "Zk3-Xw9vLmT2rYpB6nHcJ4sDfGhE1aUo," + "short"),
        _run_the_command,
    ),
    Case(
        "url",
        "NEXTAUTH_URL is not set",
        "set NEXTAUTH_URL=http://localhost:3000 in .env.local",
        lambda p: _set_env(p, "NEXTAUTH_URL", None),
        lambda p, fix: _set_env(p, "NEXTAUTH_URL", "http://localhost:3000"),
    ),
    Case(
        "url",
        "is not a valid URL",
        "NEXTAUTH_URL=http://localhost:3000",
        lambda p: _set_env(p, "NEXTAUTH_URL", "http://localhost:99999"),
        lambda p, fix: _set_env(p, "NEXTAUTH_URL", "http://localhost:3000"),
    ),
    Case(
        "url",
        "has the path '/auth'",
        "NEXTAUTH_URL=http://localhost:3000",
        lambda p: _set_env(p, "NEXTAUTH_URL", "http://localhost:3000/auth"),
        lambda p, fix: _set_env(p, "NEXTAUTH_URL", "http://localhost:3000"),
    ),
    Case(
        "url",
        "matches neither urls.development nor urls.production",
        "set NEXTAUTH_URL=http://localhost:3000 in .env.local",
        lambda p: _set_env(p, "NEXTAUTH_URL", "http://localhost:4000"),
        lambda p, fix: _set_env(p, "NEXTAUTH_URL", "http://localhost:3000"),
    ),
    Case(
        "url",
        "is plain http on a public host",
        "use the https:// URL",
        lambda p: (
            _edit(_toml(p), '# production = "https://app.example.com"', 'production = "https://app.example.com"'),
            _set_env(p, "NEXTAUTH_URL", "http://app.example.com"),
        ),
        lambda p, fix: _set_env(p, "NEXTAUTH_URL", "https://app.example.com"),
    ),
    Case(
        "env",
        "GITHUB_SECRET is not set",
        "set GITHUB_SECRET in .env.local",
        lambda p: _set_env(p, "GITHUB_ID", "id"),
        lambda p, fix: _set_env(p, "GITHUB_SECRET", "a-secret"),
        providers=("github",),
    ),
    Case(
        "env",
        "KEYCLOAK_ISSUER must be an https:// URL",
        "KEYCLOAK_ISSUER=https://",
        lambda p: (
            _set_env(p, "KEYCLOAK_ID", "id"),
            _set_env(p, "KEYCLOAK_SECRET", "s"),
            _set_env(p, "KEYCLOAK_ISSUER", "http://kc.example.com/realms/x"),
        ),
        lambda p, fix: _set_env(p, "KEYCLOAK_ISSUER", "https://kc.example.com/realms/x"),
        providers=("keycloak",),
    ),
    Case(
        "account-linking",
        "links accounts by email address",
        "remove allow_dangerous_email_account_linking",
        lambda p: _edit(
            _toml(p), "[providers.github]\n", "[providers.github]\nallow_dangerous_email_account_linking = true\n"
        ),
        lambda p, fix: _edit(_toml(p), "allow_dangerous_email_account_linking = true\n", ""),
    ),
    Case(
        "cookie-size",
        "puts the profile photo in the session",
        "remove profile_photo_size",
        lambda p: _edit(_toml(p), "[providers.azure-ad]\n", "[providers.azure-ad]\nprofile_photo_size = 48\n"),
        lambda p, fix: _edit(_toml(p), "profile_photo_size = 48\n", ""),
        providers=("azure-ad",),
    ),
    Case(
        "gitignore",
        ".env.local is not ignored by git",
        "add the line .env.local to .gitignore",
        lambda p: (p / ".gitignore").unlink(),
        lambda p, fix: (p / ".gitignore").write_text(".env.local\n"),
    ),
    Case(
        "gitignore",
        ".env.local is committed to git",
        "`git rm --cached .env.local`",
        _git_commit_env_local,
        _run_the_command,
    ),
    Case(
        "env-mode",
        ".env.local holds secrets (AUTH_DEMO_PASSWORD, NEXTAUTH_SECRET) and other users can read it (mode 644)",
        "`chmod 600 .env.local`",
        lambda p: (p / ".env.local").chmod(0o644),
        _run_the_command,
    ),
    Case(
        "redirect",
        "compares a callback URL with startswith()",
        "compare parsed origins",
        _prefix_redirect,
        _origin_redirect,
    ),
    Case(
        "demo-user",
        "still accepts the generated demo user",
        "replace authorize()",
        lambda p: None,
        _replace_demo_authorize,
    ),
]


def _matching(findings: list[Finding], case: Case) -> list[Finding]:
    return [f for f in findings if f.check == case.check and case.says in f.message and f.level != "ok"]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.check}:{c.says[:40]}" for c in CASES])
def test_following_the_fix_clears_the_finding(tmp_path: Path, case: Case) -> None:
    project = new_project(tmp_path / "app", providers=list(case.providers))
    case.plant(project)
    found = _matching(diagnose(project, environ={}).findings, case)
    assert found, [(f.check, f.message) for f in diagnose(project, environ={}).findings]
    fix = found[0].fix
    assert case.fix in fix, fix
    case.follow(project, fix)
    after = diagnose(project, environ={}).findings
    assert not _matching(after, case), [(f.message, f.fix) for f in after if f.level != "ok"]
