"""`nextauth doctor`: check a project for the mistakes NextAuth.js users hit most, each with its fix.

The checks follow the ranked pain points (a wrong public URL, ``redirect_uri_mismatch``, a missing or
weak secret, a route that answers HTML, credentials with database sessions, secrets committed to git,
subdomain cookies...). The environment is read as the server reads it: ``.env``, then ``.env.local``,
then the real environment over both. Values of secrets are never printed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from nextauth_cli import _envfile
from nextauth_cli._doctor_env import (
    check_env_modes,
    check_git,
    check_middleware,
    check_providers,
    check_secret,
    check_trust_host,
    check_url,
    secret_strength,
)
from nextauth_cli._doctor_files import check_files
from nextauth_cli._doctor_report import Finding, Report
from nextauth_cli.config import config_problems, load_config
from nextauth_cli.errors import CliError

__all__ = ["Finding", "Report", "diagnose", "secret_strength"]


def load_environment(project: Path, environ: Mapping[str, str] | None = None) -> dict[str, tuple[str, str]]:
    """``{name: (value, where)}`` as the server sees it: .env, .env.local over it, the environment over both."""
    merged: dict[str, tuple[str, str]] = {}
    for name in (".env", ".env.local"):
        for key, value in _envfile.read_env(project / name).items():
            if value is not None:
                merged[key] = (value, name)
    for key, value in (os.environ if environ is None else environ).items():
        merged[key] = (value, "the environment")
    return merged


def diagnose(project: Path, *, online: bool = False, environ: Mapping[str, str] | None = None) -> Report:
    """Run every check; never raises for a broken project (that is what the findings are for)."""
    report = Report(project)
    try:
        config = load_config(project)
    except CliError as exc:
        report.add("config", "error", exc.message, exc.fix or "")
        return report
    report.add("config", "ok", "nextauth.toml is valid")
    for problem in config_problems(config):
        report.add(problem.code, problem.level, problem.message, problem.fix)
    env = load_environment(project, environ)
    check_files(report, project, config)
    check_secret(report, env)
    bounded = check_trust_host(report, project, config, env)
    check_url(report, config, env, trust_host_bounded=bounded)
    check_middleware(report, project, config, env)
    check_providers(report, config, env)
    check_git(report, project)
    check_env_modes(report, project)
    if online:
        from nextauth_cli._doctor_online import check_online

        check_online(report, config, env)
    return report
