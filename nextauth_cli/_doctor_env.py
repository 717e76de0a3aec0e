"""Doctor's checks of the environment as the server reads it: the secret, NEXTAUTH_URL, trust-host mode,
route protection, each provider's variables, and .env.local's place in git."""

from __future__ import annotations

import ast
import math
import os
import re
import stat
import subprocess
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from nextauth_cli._config_model import DEFAULT_BASE_PATH, ProjectConfig
from nextauth_cli._config_values import host_in_domain
from nextauth_cli._doctor_report import Level, Report
from nextauth_cli._envfile import is_gitignored, read_env
from nextauth_cli._pynames import keyword_arguments
from nextauth_cli._render import env_groups, layout

Env = Mapping[str, tuple[str, str]]
"""``{name: (value, where)}``: what doctor.load_environment returns."""
MIN_SECRET_LENGTH = 32
MIN_SECRET_BITS = 128
_WEAK = {"secret", "changeme", "change-me", "password", "nextauth", "development", "test", "supersecret"}


def secret_strength(secret: str) -> str | None:
    """Why ``secret`` is too weak, or ``None``: length, known words, and a Shannon-entropy estimate."""
    if secret.lower() in _WEAK:
        return "is a well-known word"
    if len(secret) < MIN_SECRET_LENGTH:
        return f"is {len(secret)} characters long (use at least {MIN_SECRET_LENGTH} random ones)"
    counts = Counter(secret)
    per_char = -sum(c / len(secret) * math.log2(c / len(secret)) for c in counts.values())
    if per_char * len(secret) < MIN_SECRET_BITS or len(counts) < 10:
        return f"looks guessable (about {int(per_char * len(secret))} bits of entropy; want {MIN_SECRET_BITS}+)"
    return None


def check_secret(report: Report, env: Mapping[str, tuple[str, str]]) -> None:
    raw, where = env.get("NEXTAUTH_SECRET") or env.get("AUTH_SECRET") or ("", "")
    secrets = [s.strip() for s in raw.split(",") if s.strip()]
    if not secrets:
        report.add(
            "secret",
            "error",
            "NEXTAUTH_SECRET is not set: sessions cannot be encrypted (next-auth's NO_SECRET)",
            "`nextauth secret --write` (development); in production, set it in the server's environment",
        )
        return
    for index, secret in enumerate(secrets):
        problem = secret_strength(secret)
        if problem:
            label = "NEXTAUTH_SECRET" if len(secrets) == 1 else f"NEXTAUTH_SECRET (secret {index + 1})"
            # Rotating would keep this secret for decryption (and this finding): a weak secret must go.
            fix = (
                "replace it in the server's environment with a new one (`nextauth secret` prints one); "
                "everyone signs in again"
                if where == "the environment"
                else "`nextauth secret --write --force` (a new secret in .env.local; everyone signs in again: "
                "sessions a weak secret encrypted are not safe to keep)"
            )
            report.add("secret", "error", f"{label} from {where} {problem}", fix)
            return
    note = f" ({len(secrets)} secrets: the first encrypts)" if len(secrets) > 1 else ""
    report.add("secret", "ok", f"NEXTAUTH_SECRET is set in {where} and strong{note}")


def check_url(
    report: Report, config: ProjectConfig, env: Mapping[str, tuple[str, str]], *, trust_host_bounded: bool = False
) -> None:
    value, where = env.get("NEXTAUTH_URL", ("", ""))
    expected = config.nextauth_url(config.dev_url)
    if not value.strip() and trust_host_bounded:
        report.add(
            "url",
            "info",
            "NEXTAUTH_URL is not set: URLs are built from the request's host (trust-host mode, allowed hosts set)",
        )
        return
    if not value.strip():
        report.add(
            "url",
            "error",
            "NEXTAUTH_URL is not set: redirects and callback URLs would follow the request's Host header",
            f"set NEXTAUTH_URL={expected} in .env.local (the public https URL in production)",
        )
        return
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        report.add("url", "error", f"NEXTAUTH_URL from {where} is not a valid URL", f"e.g. NEXTAUTH_URL={expected}")
        return
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        report.add(
            "url", "error", f"NEXTAUTH_URL {value!r} must be an absolute http(s) URL", f"e.g. NEXTAUTH_URL={expected}"
        )
        return
    path = parts.path.rstrip("/")
    allowed = {config.base_path} | ({""} if config.base_path == DEFAULT_BASE_PATH else set())
    if path not in allowed:
        report.add(
            "url",
            "error",
            f"NEXTAUTH_URL {value!r} has the path {parts.path!r}; nextauth serves its routes at {config.base_path}",
            f"NEXTAUTH_URL={config.nextauth_url(f'{parts.scheme}://{parts.netloc}')}",
        )
        return
    origin = f"{parts.scheme}://{parts.hostname}" + (f":{port}" if port else "")
    known = {
        config.dev_url: "urls.development",
        **({config.production_url: "urls.production"} if config.production_url else {}),
    }
    if origin not in known:
        report.add(
            "url",
            "warning",
            f"NEXTAUTH_URL ({origin}, from {where}) matches neither urls.development nor urls.production: "
            "the redirect URIs registered at your providers must use this origin",
            f"set NEXTAUTH_URL={expected} in .env.local, or set urls.development = {origin!r} in nextauth.toml, "
            "run `nextauth generate` and register the matching redirect URIs",
        )
    else:
        report.add("url", "ok", f"NEXTAUTH_URL is {origin} ({known[origin]})")
    from nextauth._lib.loopback import is_loopback

    if parts.scheme == "http" and not is_loopback(parts.hostname):
        report.add(
            "url",
            "error",
            f"NEXTAUTH_URL {origin} is plain http on a public host: cookies lose their Secure flag",
            "serve the site over https and use the https:// URL",
        )
    if config.cookie_domain and not host_in_domain(parts.hostname, config.cookie_domain):
        report.add(
            "cookie-domain",
            "info",
            f"the session cookie is shared with *.{config.cookie_domain} only when NEXTAUTH_URL is on that domain; "
            f"{parts.hostname} keeps a host-only cookie",
        )


def check_middleware(report: Report, project: Path, config: ProjectConfig, env: Mapping[str, tuple[str, str]]) -> None:
    """Route protection: none configured (info), or matchers that would send sign-ins round in a loop."""
    from nextauth_cli._protect import loop_problems

    if config.protect is None:
        report.add(
            "middleware",
            "info",
            "no route is protected (nextauth.toml has no [middleware] section)",
            'add [middleware] with protect = ["/dashboard/:path*"] to nextauth.toml and run `nextauth generate`: '
            "it writes middleware.py, / and /dashboard",
        )
        return
    value, where = env.get("NEXTAUTH_URL", ("", ".env.local"))
    try:
        parts = urlsplit(value.strip())
        origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else config.dev_url
    except ValueError:
        origin = config.dev_url
    middleware = project / "middleware.py"
    try:
        text = middleware.read_text(encoding="utf-8") if middleware.is_file() else None
    except (OSError, UnicodeDecodeError):
        text = None
    problems = loop_problems(
        config,
        nextauth_url=value.strip() or None,
        env_origin=origin,
        where=where,
        middleware_text=text,
    )
    for problem in problems:
        report.add("middleware", "warning", problem.message, problem.fix)
    if config.protect and text is not None and not problems:
        report.add("middleware", "ok", f"middleware.py protects {' '.join(config.protect)}")


def _host_of(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    default = 443 if parts.scheme == "https" else 80
    return f"{host}:{parts.port}" if parts.port and parts.port != default else host


def check_trust_host(report: Report, project: Path, config: ProjectConfig, env: Mapping[str, tuple[str, str]]) -> bool:
    """Trust-host mode builds every link from the request's host: without allowed hosts, any host.
    True when trust-host mode is on and bounded by valid allowed hosts."""
    from nextauth._lib.hosts import ALLOWED_HOSTS_ENV, TRUST_HOST_ENV, env_is_on, parse_allowed_hosts

    paths = layout(config)
    keywords: dict[str, ast.expr] = {}
    for role in ("options", "callbacks"):
        keywords.update(keyword_arguments(project / paths[role], ("trust_host", "allowed_hosts")))
    trust_kw = keywords.get("trust_host")
    if isinstance(trust_kw, ast.Constant) and trust_kw.value in (True, False):
        trusted = bool(trust_kw.value)
        source = "trust_host=True in the code"
    else:
        names = [name for name in TRUST_HOST_ENV if env_is_on(env.get(name, ("", ""))[0])]
        trusted = bool(names)
        source = f"{names[0]} from {env[names[0]][1]}" if names else ""
    if not trusted:
        return False
    allowed_kw = keywords.get("allowed_hosts")
    if allowed_kw is not None and not (isinstance(allowed_kw, ast.Constant) and allowed_kw.value is None):
        report.add("trust-host", "ok", f"trust-host mode ({source}) with allowed_hosts set in the code")
        return True
    for name in ALLOWED_HOSTS_ENV:
        raw, where = env.get(name, ("", ""))
        if raw.strip():
            try:
                count = len(parse_allowed_hosts(raw, name))
            except ValueError as exc:  # ConfigurationError: the server would refuse to build any URL
                report.add(
                    "trust-host",
                    "error",
                    f"{exc} (from {where})",
                    f"fix {name}: comma-separated host or host:port entries, .example.com for a domain and its "
                    "subdomains",
                )
                return False
            report.add("trust-host", "ok", f"trust-host mode ({source}) allows {count} host(s) ({name}, {where})")
            return True
    hosts = ",".join(dict.fromkeys(_host_of(u) for u in (config.production_url, config.dev_url) if u))
    report.add(
        "trust-host",
        "warning",
        f"trust-host mode is on ({source}) and no allowed hosts are set: whoever sends the request chooses "
        "the host of the links it builds (sign-in emails, OAuth redirect_uri, redirects) through Host or "
        "X-Forwarded-Host",
        f"add NEXTAUTH_ALLOWED_HOSTS={hosts} to .env.local (the public hosts your proxy forwards, comma-separated; "
        "in production set it in the server's environment), or turn AUTH_TRUST_HOST off and set NEXTAUTH_URL",
    )
    return False


def _https_or_loopback(url: str) -> bool:
    from nextauth._lib.loopback import is_loopback

    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and is_loopback(parts.hostname))


def check_providers(report: Report, config: ProjectConfig, env: Mapping[str, tuple[str, str]]) -> None:
    for group in env_groups(config):
        for var in group.vars:
            if var.name in ("NEXTAUTH_URL", "NEXTAUTH_SECRET"):
                continue
            if var.name == "DATABASE_URL" and config.database_url:
                continue
            value = env.get(var.name, ("", ""))[0].strip()
            if value or var.optional:
                continue
            provider = config.provider(var.provider) if var.provider else None
            console_hint = f" (from {provider.spec.console})" if provider and provider.spec.console else ""
            level: Level = "warning" if provider and provider.spec.type == "credentials" else "error"
            what = f"provider `{var.provider}`" if var.provider else "the database"
            report.add(
                "env",
                level,
                f"{var.name} is not set: {what} cannot work without it ({var.comment})",
                f"set {var.name} in .env.local{console_hint}",
            )
        for var in group.vars:
            if var.name.endswith("_ISSUER"):
                value = env.get(var.name, ("", ""))[0].strip()
                if value and not _https_or_loopback(value):
                    report.add(
                        "env", "error", f"{var.name} must be an https:// URL", f"e.g. {var.name}=https://id.example.com"
                    )
    for provider in config.providers:
        if provider.options.get("allow_dangerous_email_account_linking") is True:
            report.add(
                "account-linking",
                "warning",
                f"provider `{provider.id}` links accounts by email address: anyone who controls that address at "
                "the provider takes over the account",
                "keep it only for providers that verify email addresses (remove allow_dangerous_email_account_linking)",
            )
        if provider.options.get("profile_photo_size"):
            report.add(
                "cookie-size",
                "warning",
                f"provider `{provider.id}` puts the profile photo in the session (kilobytes in every cookie and "
                "request: HTTP 431 risk)",
                "remove profile_photo_size and serve the photo from your own endpoint",
            )
    for provider in config.oauth_providers:
        dev = provider.redirect_uri(config.dev_url, config.base_path)
        prod = provider.redirect_uri(config.production_url, config.base_path) if config.production_url else None
        where = f" at {provider.spec.console}" if provider.spec.console else ""
        report.add(
            "redirect-uri",
            "info",
            f"{provider.name}: register {dev}" + (f" and {prod}" if prod else "") + where,
            "a different scheme, host, port or path is a redirect_uri_mismatch",
        )


def _git(project: Path, *args: str) -> bool:
    """Whether ``git -C project <args>`` succeeds (False without git or outside a repository)."""
    try:
        done = subprocess.run(["git", "-C", str(project), *args], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def check_git(report: Report, project: Path) -> None:
    env_local = project / ".env.local"
    if not env_local.exists():
        return
    # A committed file is never "ignored" for git: check that first, or the fix would be to add a line
    # .gitignore already holds.
    if _git(project, "ls-files", "--error-unmatch", "--", ".env.local"):
        listed = _git(project, "check-ignore", "--no-index", "-q", "--", ".env.local")
        report.add(
            "gitignore",
            "error",
            ".env.local is committed to git" + (" although .gitignore lists it" if listed else ""),
            "`git rm --cached .env.local`"
            + ("" if listed else ", add the line .env.local to .gitignore")
            + ", then rotate the secrets it held",
        )
        return
    if not is_gitignored(project, ".env.local"):
        report.add(
            "gitignore",
            "error",
            ".env.local is not ignored by git: its secrets would be committed",
            "add the line .env.local to .gitignore",
        )
        return
    report.add("gitignore", "ok", ".env.local is ignored by git")


_SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|_KEY$|^DATABASE_URL$|^EMAIL_SERVER")
"""Names whose values are secrets (a database or SMTP URL carries its password)."""


def check_env_modes(report: Report, project: Path) -> None:
    """.env / .env.local holding a secret but readable by other users of the machine (POSIX modes only)."""
    if os.name != "posix":
        return
    for name in (".env.local", ".env"):
        path = project / name
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
            values = read_env(path) if stat.S_ISREG(path.stat().st_mode) else {}
        except (OSError, UnicodeDecodeError):
            continue
        secrets = sorted(k for k, v in values.items() if v and _SECRET_NAME.search(k.upper()))
        if not secrets or not mode & 0o077:
            continue
        shown = ", ".join(secrets[:3]) + (f" and {len(secrets) - 3} more" if len(secrets) > 3 else "")
        report.add(
            "env-mode",
            "warning",
            f"{name} holds secrets ({shown}) and other users can read it (mode {mode:03o})",
            f"`chmod 600 {name}`",
        )
