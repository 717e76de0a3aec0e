"""``nextauth init --refresh-tokens --rate-limit`` (issue 17): the settings go into nextauth.toml and the options
module, they parse back with their values, bad values are refused, and without the flags nothing changes."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from clikit import Invoke

from nextauth.options import RateLimitOptions, RefreshTokensOptions
from nextauth_cli._config_parse import RATE_LIMIT_DEFAULTS
from nextauth_cli.config import parse_config
from nextauth_cli.errors import ConfigError


def test_init_writes_both_features(cli: Invoke, tmp_path: Path) -> None:
    dest = tmp_path / "app"
    result = cli("init", str(dest), "-p", "github", "-p", "credentials", "--refresh-tokens", "--rate-limit", "--yes")
    assert result.exit_code == 0, result.output
    config = parse_config((dest / "nextauth.toml").read_text())
    assert config.refresh_tokens == {} and config.rate_limit == {}
    options = (dest / "auth_options.py").read_text()
    assert "refresh_tokens=RefreshTokensOptions()," in options and "rate_limit=RateLimitOptions()," in options
    # The module builds real options (the runtime accepts what the CLI wrote).
    code = (
        "import auth_options as m; o = m.auth_options; "
        "print(type(o.refresh_tokens).__name__, type(o.rate_limit).__name__)"
    )
    env = {"NEXTAUTH_SECRET": "x" * 32, "GITHUB_ID": "id", "GITHUB_SECRET": "s", "PATH": "/usr/bin:/bin"}
    ran = subprocess.run([sys.executable, "-c", code], cwd=dest, env=env, capture_output=True, text=True, check=False)
    assert ran.stdout.split() == ["RefreshTokensOptions", "RateLimitOptions"], ran.stderr


def test_without_the_flags_there_is_no_table(cli: Invoke, tmp_path: Path) -> None:
    dest = tmp_path / "app"
    assert cli("init", str(dest), "--yes").exit_code == 0
    text = (dest / "nextauth.toml").read_text()
    assert "[refresh_tokens]" not in text and "[rate_limit]" not in text
    assert "RateLimit" not in (dest / "auth_options.py").read_text()


def test_settings_parse_and_render() -> None:
    from nextauth_cli._codegen import options_statement

    text = (
        'router = "app"\n[refresh_tokens]\nenabled = true\nskew = 30\n'
        "[rate_limit]\nenabled = true\ncredentials_per_identifier = 3\nemail_window = 600\n"
    )
    config = parse_config(text)
    assert config.refresh_tokens == {"skew": 30}
    assert config.rate_limit == {"credentials_per_identifier": 3, "email_window": 600}
    statement = options_statement(config)
    assert "RefreshTokensOptions(skew=30)" in statement
    assert "RateLimitOptions(credentials_per_identifier=3, email_window=600)" in statement
    off = parse_config('router = "app"\n[rate_limit]\nenabled = false\ncredentials_window = 60\n')
    assert off.rate_limit is None


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("[rate_limit]\nenabled = true\ncredentials_window = -1\n", "rate_limit.credentials_window"),
        ('[rate_limit]\nenabled = true\nemail_window = "1; import os"\n', "rate_limit.email_window"),
        ("[rate_limit]\nenabled = true\ncredentials_window = true\n", "rate_limit.credentials_window"),
        ('[refresh_tokens]\nenabled = "yes"\n', "refresh_tokens.enabled"),
        ("[refresh_tokens]\nenabled = true\nsekw = 3\n", "refresh_tokens.sekw"),
    ],
)
def test_bad_settings_are_refused(table: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace(".", r"\.")):
        parse_config('router = "app"\n' + table)


def test_the_defaults_shown_are_the_runtimes() -> None:
    runtime = {f.name: f.default for f in dataclasses.fields(RateLimitOptions)}
    assert {k: runtime[k] for k in RATE_LIMIT_DEFAULTS} == RATE_LIMIT_DEFAULTS
    assert {f.name for f in dataclasses.fields(RefreshTokensOptions)} >= {"enabled", "skew"}
