"""The real interview: selection lists in a pseudo-terminal (pexpect), typed answers from a pipe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from nextauth_cli._interview import _provider_choices
from nextauth_cli.config import load_config

NEXTAUTH = str(Path(sys.executable).with_name("nextauth"))
DOWN, SPACE, ENTER, CTRL_U = "\x1b[B", " ", "\r", "\x15"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEXTAUTH_", "AUTH_"))}
    # pexpect does not answer cursor-position requests as a terminal would; without this each prompt waits for one
    env.update(TERM="xterm-256color", COLUMNS="120", LINES="40", NO_COLOR="1", PROMPT_TOOLKIT_NO_CPR="1")
    return env


def test_the_interview_in_a_terminal_writes_the_chosen_project(tmp_path: Path) -> None:
    target = tmp_path / "myapp"
    child = pexpect.spawn(
        NEXTAUTH, ["init", str(target)], env=_env(), encoding="utf-8", timeout=30, dimensions=(40, 120)
    )
    try:
        child.expect("Router layout")
        child.send(DOWN + ENTER)  # pages
        child.expect("Initialization")
        child.send(DOWN + ENTER)  # advanced
        child.expect("Providers")
        github = [value for value, _ in _provider_choices()].index("github")
        child.send(DOWN * github + SPACE + ENTER)  # credentials (first) stays checked; add github
        child.expect("Sessions: jwt")  # credentials is chosen: database sessions are not offered, only said
        child.expect("Development URL")
        child.send(CTRL_U + "http://localhost:4000" + ENTER)
        child.expect("Production URL")
        child.send("https://app.example.com" + ENTER)
        child.expect("Share the session with every subdomain of example.com")
        child.send("y")
        child.expect("Paths only signed-in users may open")
        child.send(CTRL_U + "/admin/:path* /dashboard/:path*" + ENTER)
        child.expect("Next steps")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, child.before
    config = load_config(target)
    assert (config.router, config.mode, config.session_strategy) == ("pages", "advanced", "jwt")
    assert [p.id for p in config.providers] == ["credentials", "github"]
    assert (config.dev_url, config.production_url, config.cookie_domain) == (
        "http://localhost:4000",
        "https://app.example.com",
        "example.com",
    )
    assert (target / "pages/api/auth/[...nextauth].py").read_text().count("async def handler(") == 1
    assert config.protect == ("/admin/:path*", "/dashboard/:path*")
    env = (target / ".env.local").read_text()
    assert "NEXTAUTH_URL=http://localhost:4000\n" in env and "GITHUB_ID=\n" in env


def test_ctrl_c_during_the_interview_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "myapp"
    child = pexpect.spawn(
        NEXTAUTH, ["init", str(target)], env=_env(), encoding="utf-8", timeout=30, dimensions=(40, 120)
    )
    child.expect("Router layout")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "interrupted: nothing was changed" in (child.before or "")
    assert not target.exists()


def test_without_a_terminal_the_questions_are_typed(tmp_path: Path) -> None:
    target = tmp_path / "typed"
    # no sessions question (credentials means jwt); the last answer (empty) takes the default protect list
    answers = "pages\nsimple\ncredentials, discord\n\nhttps://shop.example.org\nn\n\n"
    proc = subprocess.run(
        [NEXTAUTH, "init", str(target)], input=answers, capture_output=True, text=True, env=_env(), timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    config = load_config(target)
    assert (config.router, config.mode) == ("pages", "simple")
    assert [p.id for p in config.providers] == ["credentials", "discord"]
    assert (config.dev_url, config.production_url, config.cookie_domain) == (
        "http://localhost:3000",
        "https://shop.example.org",
        None,
    )
    assert config.protect == ("/dashboard/:path*",)  # an empty answer takes the default


def test_a_closed_stdin_is_a_usage_error_not_a_hang(tmp_path: Path) -> None:
    proc = subprocess.run(
        [NEXTAUTH, "init", str(tmp_path / "x")], input="", capture_output=True, text=True, env=_env(), timeout=60
    )
    assert proc.returncode == 2
    assert "no answer on standard input" in proc.stderr and "--yes" in proc.stderr
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("flag", ["--yes", "-y"])
def test_yes_asks_nothing(tmp_path: Path, flag: str) -> None:
    proc = subprocess.run(
        [NEXTAUTH, "init", str(tmp_path / "y"), flag], input="", capture_output=True, text=True, env=_env(), timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert load_config(tmp_path / "y").router == "app"
