"""Hole 5: trust-host mode took any forwarded host, so an attacker chose the host of sign-in links.

With ``AUTH_TRUST_HOST`` on and ``NEXTAUTH_URL`` unset, the origin of every URL the runtime builds comes
from ``X-Forwarded-Host`` (or ``Host``). The allowed hosts (``NEXTAUTH_ALLOWED_HOSTS`` or
``AuthOptions(allowed_hosts=...)``) bound it: another host is refused with a 400 before any URL is built
or any email sent. The same switch alone decides whether the server started by ``serve()`` believes
``X-Forwarded-For``/``-Proto`` (the real uvicorn tests are at the end, marked slow).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from security_figures import record

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "runtime" / "core"))

from authkit import LAYOUTS, SECRET, Browser, Layout, MemoryAdapter, credentials_provider

from nextauth import AuthOptions
from nextauth.errors import ConfigurationError
from nextauth.providers import EmailProvider, GitHubProvider

ALLOWED = "app.example.com"
EVIL = "evil.example"


@pytest.fixture(params=LAYOUTS)
def layout(request: pytest.FixtureRequest) -> Layout:
    value: Layout = request.param
    return value


class Outbox:
    """The sign-in links the email provider was asked to send."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def send(self, url: str, **_: Any) -> None:
        self.urls.append(url)


def options(outbox: Outbox, **overrides: Any) -> AuthOptions:
    return AuthOptions(
        secret=SECRET,
        adapter=MemoryAdapter(),
        session={"strategy": "jwt"},
        providers=[
            credentials_provider(),
            EmailProvider(send_verification_request=outbox.send),
            GitHubProvider(client_id="client-id", client_secret="client-secret"),
        ],
        **overrides,
    )


async def request_email_link(browser: Browser, headers: dict[str, str]) -> Any:
    """Ask for a sign-in email as a browser behind the given forwarded headers would."""
    csrf = await browser.get("csrf", headers=headers)
    token = csrf.json()["csrfToken"] if csrf.status == 200 else "none"
    return await browser.post(
        "signin/email", form={"email": "victim@example.com", "csrfToken": token, "json": "true"}, headers=headers
    )


def trust_with_env(monkeypatch: pytest.MonkeyPatch, allowed: str = ALLOWED) -> None:
    monkeypatch.setenv("AUTH_TRUST_HOST", "true")
    monkeypatch.setenv("NEXTAUTH_ALLOWED_HOSTS", allowed)


# ------------------------------------------------------------------------------------------ refused
@pytest.mark.parametrize(
    "headers",
    [
        {"x-forwarded-host": EVIL, "x-forwarded-proto": "https"},
        {"host": EVIL},  # no proxy header at all: the Host header is the origin in trust mode
        {"x-forwarded-host": f"{ALLOWED}.{EVIL}"},
        {"host": ALLOWED, "x-forwarded-host": EVIL},
    ],
)
async def test_email_link_never_points_at_a_forwarded_host_outside_the_list(
    layout: Layout, monkeypatch: pytest.MonkeyPatch, headers: dict[str, str]
) -> None:
    trust_with_env(monkeypatch)
    outbox = Outbox()
    result = await request_email_link(Browser.of(options(outbox), layout), headers)
    assert result.status == 400, result
    assert outbox.urls == [], "a sign-in email was sent with a link built from the attacker's host"
    assert EVIL not in result.body.decode() and EVIL not in str(result.headers)


async def test_allowed_host_gets_its_email_link(layout: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    trust_with_env(monkeypatch)
    outbox = Outbox()
    browser = Browser.of(options(outbox), layout)
    result = await request_email_link(browser, {"x-forwarded-host": ALLOWED, "x-forwarded-proto": "https"})
    assert result.status == 200, result
    assert result.json()["url"] == f"https://{ALLOWED}/api/auth/verify-request?provider=email&type=email"
    (link,) = outbox.urls
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", ALLOWED, "/api/auth/callback/email")
    assert parse_qs(parts.query)["callbackUrl"] == [f"https://{ALLOWED}"]


@pytest.mark.parametrize("action", ["providers", "signin", "csrf", "session", "signin/github", "callback/github"])
async def test_every_action_refuses_a_host_outside_the_list(
    layout: Layout, monkeypatch: pytest.MonkeyPatch, action: str
) -> None:
    trust_with_env(monkeypatch)
    result = await Browser.of(options(Outbox()), layout).get(action, headers={"x-forwarded-host": EVIL})
    assert result.status == 400, result
    assert result.location is None and EVIL not in result.body.decode()


async def test_oauth_redirect_uri_is_not_the_attackers(layout: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    """POST /signin/github builds the redirect_uri the provider sends the code to: never to another host."""
    trust_with_env(monkeypatch)
    browser = Browser.of(options(Outbox()), layout)
    csrf = (await browser.get("csrf", headers={"x-forwarded-host": ALLOWED})).json()["csrfToken"]
    evil = await browser.post("signin/github", form={"csrfToken": csrf}, headers={"x-forwarded-host": EVIL})
    assert evil.status == 400 and evil.location is None
    good = await browser.post("signin/github", form={"csrfToken": csrf}, headers={"x-forwarded-host": ALLOWED})
    assert good.status == 302 and good.location is not None
    redirect_uri = parse_qs(urlsplit(good.location).query)["redirect_uri"]
    assert redirect_uri == [f"https://{ALLOWED}/api/auth/callback/github"]


async def test_json_clients_get_a_json_refusal(layout: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    trust_with_env(monkeypatch)
    result = await Browser.of(options(Outbox()), layout).get(
        "session", headers={"x-forwarded-host": EVIL, "accept": "application/json"}
    )
    assert result.status == 400
    assert result.json() == {"message": "Bad Request: this host is not in the allowed hosts"}


async def test_refusal_is_logged_escaped(
    layout: Layout, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    trust_with_env(monkeypatch)
    await Browser.of(options(Outbox()), layout).get("providers", headers={"x-forwarded-host": EVIL})
    (line,) = [r.getMessage() for r in caplog.records if "allowed hosts" in r.getMessage()]
    assert repr(EVIL) in line


HOSTILE_HOSTS = [
    EVIL,
    f"{ALLOWED}.{EVIL}",
    f"evil{ALLOWED}",  # a suffix without the dot is another domain
    f"{ALLOWED}:8443",  # an entry without a port allows the default port only
    f"{ALLOWED}@{EVIL}",
    f"{ALLOWED}:443@{EVIL}",
    f"{EVIL}#{ALLOWED}",
    f"{EVIL}/{ALLOWED}",
    f"{EVIL}?{ALLOWED}",
    f"{EVIL}\\{ALLOWED}",
    f"{ALLOWED},{EVIL}",
    f"{EVIL}, {ALLOWED}",
    f"{ALLOWED} {EVIL}",
    "аpp.example.com",  # Cyrillic "а" (raw: pages layout only, httpx sends ASCII headers)
    "app.example.com\u200b",
    "аpp.example.com".encode("idna").decode(),
    f"[{ALLOWED}]",
    "[::1]",
    "127.0.0.1",
    "localhost",
    f"{ALLOWED}:0",
    f"{ALLOWED}:99999",
    f"{ALLOWED}:-1",
    f"{ALLOWED}:",
    ":443",
    "",
    " ",
    "%2e%2e",
    f"{EVIL}%2f{ALLOWED}",
    "a" * 300,
]


async def test_hostile_forwarded_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Look-alikes, userinfo, lists, paths and junk: none builds a URL, none answers 5xx."""
    trust_with_env(monkeypatch)
    tried = accepted = 0
    for layout in LAYOUTS:
        outbox = Outbox()
        browser = Browser.of(options(outbox), layout)
        cases = [(h, p) for h in HOSTILE_HOSTS for p in ("https", "http")]
        cases += [(f"{ALLOWED}:80", "https"), (f"{ALLOWED}:443", "http")]  # another port than the scheme's
        for host, proto in cases:
            if layout == "app" and not host.isascii():
                continue
            headers = {"x-forwarded-host": host, "x-forwarded-proto": proto}
            if host.strip() == "":
                headers["host"] = EVIL  # an empty forwarded host falls back to Host: refused too
            for action in ("providers", "signin/email"):
                tried += 1
                if action == "providers":
                    result = await browser.get(action, headers=headers)
                else:
                    result = await request_email_link(browser, headers)
                built = result.status != 400 or bool(outbox.urls)
                accepted += built
                assert result.status < 500, (host, result)
                assert not built, (host, proto, result, outbox.urls)
    record("trust-host: forwarded hosts outside the list", tried=tried, accepted=accepted, what="400, no URL built")
    assert accepted == 0


MALFORMED_HOSTS = [f"{ALLOWED}@{EVIL}", "a b", f"{ALLOWED},{EVIL}", f"{EVIL}/x", "x:99999", "[::1", "\u00e9.example"]


async def test_malformed_hosts_are_refused_even_without_a_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """Trust on, no allowed hosts: a value that is not a host name is a 400, never a 500 or a foreign URL."""
    monkeypatch.setenv("AUTH_TRUST_HOST", "1")
    tried = accepted = 0
    for layout in LAYOUTS:
        outbox = Outbox()
        browser = Browser.of(options(outbox), layout)
        for host in MALFORMED_HOSTS:
            if layout == "app" and not host.isascii():
                continue
            for action in ("providers", "signin/email"):
                tried += 1
                headers = {"x-forwarded-host": host}
                if action == "providers":
                    result = await browser.get(action, headers=headers, remember=False)
                else:
                    result = await request_email_link(browser, headers)
                accepted += result.status != 400 or bool(outbox.urls)
                assert result.status == 400, (host, result)
                assert result.text == "Bad Request: the Host or X-Forwarded-Host header is not a host name"
    record("trust-host: malformed hosts, no list", tried=tried, accepted=accepted, what="400, no URL built")
    assert accepted == 0


# ------------------------------------------------------------------------------------------ entries
@pytest.mark.parametrize(
    ("entries", "headers", "origin"),
    [
        ("app.example.com", {"x-forwarded-host": "APP.example.com"}, "https://app.example.com"),
        ("app.example.com", {"x-forwarded-host": "app.example.com:443"}, "https://app.example.com"),
        ("app.example.com", {"x-forwarded-host": "app.example.com."}, "https://app.example.com."),
        ("app.example.com.", {"x-forwarded-host": "app.example.com"}, "https://app.example.com"),
        (
            "app.example.com",
            {"x-forwarded-host": "app.example.com", "x-forwarded-proto": "http"},
            "http://app.example.com",
        ),
        ("localhost:3000", {"host": "localhost:3000"}, "https://localhost:3000"),
        (".example.com", {"x-forwarded-host": "example.com"}, "https://example.com"),
        (".example.com", {"x-forwarded-host": "a.b.example.com"}, "https://a.b.example.com"),
        ("other.example, [::1]:8080", {"x-forwarded-host": "[::1]:8080"}, "https://[::1]:8080"),
        (
            " x.example ,app.example.com:8443 ",
            {"x-forwarded-host": "app.example.com:8443"},
            "https://app.example.com:8443",
        ),
    ],
)
async def test_allowed_entries(
    layout: Layout, monkeypatch: pytest.MonkeyPatch, entries: str, headers: dict[str, str], origin: str
) -> None:
    """Wire-compatible where allowed: the origin is exactly what next-auth builds from the same headers."""
    trust_with_env(monkeypatch, entries)
    result = await Browser.of(options(Outbox()), layout).get("providers", headers=headers)
    assert result.status == 200, result
    assert result.json()["email"]["signinUrl"] == f"{origin}/api/auth/signin/email"


@pytest.mark.parametrize(
    ("entries", "host"),
    [(".example.com", "example.com.evil.example"), (".example.com", "notexample.com"), ("localhost:3000", "localhost")],
)
async def test_entry_forms_do_not_overreach(monkeypatch: pytest.MonkeyPatch, entries: str, host: str) -> None:
    trust_with_env(monkeypatch, entries)
    result = await Browser.of(options(Outbox()), "pages").get("providers", headers={"host": host})
    assert result.status == 400


async def test_option_wins_over_the_environment(layout: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEXTAUTH_ALLOWED_HOSTS", EVIL)
    browser = Browser.of(options(Outbox(), trust_host=True, allowed_hosts=[ALLOWED]), layout)
    assert (await browser.get("providers", headers={"x-forwarded-host": EVIL})).status == 400
    assert (await browser.get("providers", headers={"x-forwarded-host": ALLOWED})).status == 200


async def test_auth_allowed_hosts_is_read_too(layout: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH_TRUST_HOST", "1")
    monkeypatch.setenv("AUTH_ALLOWED_HOSTS", ALLOWED)
    browser = Browser.of(options(Outbox()), layout)
    assert (await browser.get("providers", headers={"x-forwarded-host": EVIL})).status == 400
    assert (await browser.get("providers", headers={"x-forwarded-host": ALLOWED})).status == 200


@pytest.mark.parametrize(
    "entry", ["*.example.com", "*", "https://app.example.com", "app.example.com/x", "a b", "x:70000"]
)
def test_bad_option_entries_fail_at_startup(entry: str) -> None:
    with pytest.raises(ConfigurationError, match="allowed_hosts") as caught:
        options(Outbox(), allowed_hosts=["ok.example", entry])
    if "*" in entry:
        assert ".example.com" in str(caught.value)


def test_option_forms() -> None:
    assert AuthOptions(allowed_hosts=" a.example , b.example:8443,").allowed_hosts == ("a.example", "b.example:8443")
    assert AuthOptions(allowed_hosts=["A.example"]).allowed_hosts == ("A.example",)
    with pytest.raises(ConfigurationError, match="allowed_hosts"):
        AuthOptions(allowed_hosts=[b"a.example"])  # type: ignore[list-item]
    with pytest.raises(ConfigurationError, match="allowed_hosts"):
        AuthOptions.from_mapping({"allowedHosts": ["ok.example", "bad host"]})


async def test_bad_environment_entry_is_a_configuration_error(
    layout: Layout, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    trust_with_env(monkeypatch, "app.example.com, *.example.com")
    result = await Browser.of(options(Outbox()), layout).get("providers", headers={"x-forwarded-host": ALLOWED})
    assert result.status == 500 and result.json() == {
        "message": "There is a problem with the server configuration. Check the server logs for more information."
    }
    assert any("NEXTAUTH_ALLOWED_HOSTS" in r.getMessage() for r in caplog.records)


# ------------------------------------------------------------------------------------------ the switch
async def test_nextauth_url_wins_and_no_host_is_refused(layout: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    """With NEXTAUTH_URL set no URL comes from the request, so the host is not checked (as in next-auth)."""
    trust_with_env(monkeypatch)
    monkeypatch.setenv("NEXTAUTH_URL", f"https://{ALLOWED}")
    outbox = Outbox()
    result = await request_email_link(Browser.of(options(outbox), layout), {"x-forwarded-host": EVIL})
    assert result.status == 200
    assert urlsplit(outbox.urls[0]).netloc == ALLOWED


@pytest.mark.parametrize("switch", ["unset", "false", "option-false"])
async def test_trust_host_off_ignores_forwarded_headers(
    layout: Layout, monkeypatch: pytest.MonkeyPatch, switch: str
) -> None:
    """Off, X-Forwarded-* and Host never reach a URL, and nothing is refused (the list is not consulted)."""
    monkeypatch.setenv("NEXTAUTH_ALLOWED_HOSTS", ALLOWED)
    if switch == "false":
        monkeypatch.setenv("AUTH_TRUST_HOST", "false")
    if switch == "option-false":
        monkeypatch.setenv("AUTH_TRUST_HOST", "1")
    outbox = Outbox()
    opts = options(outbox, trust_host=False) if switch == "option-false" else options(outbox)
    headers = {"host": EVIL, "x-forwarded-host": EVIL, "x-forwarded-proto": "http", "x-forwarded-for": "6.6.6.6"}
    result = await request_email_link(Browser.of(opts, layout), headers)
    assert result.status == 200
    assert urlsplit(outbox.urls[0]).netloc == "localhost:3000"


def test_no_allowed_hosts_keeps_next_auths_behaviour() -> None:
    """Trust on with no list: the forwarded host is used as next-auth uses it (doctor warns about this)."""
    from nextauth._core.init import detect_origin
    from nextauth._lib.types import AuthRequest

    request = AuthRequest(method="GET", headers={"x-forwarded-host": "anything.example"}, action="providers")
    assert detect_origin(request, AuthOptions(trust_host=True)) == "https://anything.example"


# ------------------------------------------------------------------------------------------ real servers
APP_ROUTE = """
    from starlette.responses import JSONResponse

    def GET(request):
        client = request.client
        return JSONResponse({"client": client.host if client else None, "scheme": request.url.scheme})
"""


@contextmanager
def serving(project: Path, env: dict[str, str]) -> Iterator[str]:
    """``serve()`` in a process of its own (as ``nextauth start`` runs it); yields the base URL."""
    log = project / "server.log"
    script = f"from nextauth.server import serve; serve({str(project)!r}, port=0)"
    environ = {k: v for k, v in os.environ.items() if k not in ("AUTH_TRUST_HOST", "VERCEL", "FORWARDED_ALLOW_IPS")}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", script],
            cwd=project,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**environ, **env},
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            found = re.search(r"on (http://127\.0\.0\.1:\d+)", log.read_text(errors="replace"))
            if found:
                try:
                    httpx.get(found[1] + "/api/whoami", timeout=1)
                    break
                except httpx.TransportError:
                    pass
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        yield found[1]
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def whoami_project(root: Path, dotenv: str = "") -> Path:
    route = root / "app" / "api" / "whoami" / "route.py"
    route.parent.mkdir(parents=True)
    route.write_text(textwrap.dedent(APP_ROUTE), encoding="utf-8")
    if dotenv:
        (root / ".env.local").write_text(dotenv, encoding="utf-8")
    return root


FORWARDED = {"x-forwarded-for": "203.0.113.9", "x-forwarded-proto": "https"}


@pytest.mark.slow
@pytest.mark.parametrize("switch", [{}, {"AUTH_TRUST_HOST": "false"}])
def test_served_app_ignores_forwarded_headers_when_trust_is_off(tmp_path: Path, switch: dict[str, str]) -> None:
    """uvicorn's default believes X-Forwarded-For/-Proto from 127.0.0.1; serve() must not when trust is off."""
    with serving(whoami_project(tmp_path), switch) as base:
        seen = httpx.get(base + "/api/whoami", headers=FORWARDED).json()
    assert seen == {"client": "127.0.0.1", "scheme": "http"}


@pytest.mark.slow
@pytest.mark.parametrize("where", ["environment", ".env.local"])
def test_served_app_believes_forwarded_headers_when_trust_is_on(tmp_path: Path, where: str) -> None:
    env = {"AUTH_TRUST_HOST": "true"} if where == "environment" else {}
    dotenv = "AUTH_TRUST_HOST=true\n" if where == ".env.local" else ""
    with serving(whoami_project(tmp_path, dotenv), env) as base:
        seen = httpx.get(base + "/api/whoami", headers=FORWARDED).json()
        plain = httpx.get(base + "/api/whoami").json()
    assert seen == {"client": "203.0.113.9", "scheme": "https"}
    assert plain == {"client": "127.0.0.1", "scheme": "http"}


# ------------------------------------------------------------------------------------------ doctor
def scaffolded(root: Path, **answers: Any) -> Path:
    from nextauth_cli.config import Answers
    from nextauth_cli.project import scaffold

    scaffold(root, Answers(**answers))
    return root


def trust_findings(project: Path, environ: dict[str, str]) -> list[Any]:
    from nextauth_cli.doctor import diagnose

    return [f for f in diagnose(project, environ=environ).findings if f.check == "trust-host"]


@pytest.mark.parametrize("where", ["environment", ".env.local", "code"])
def test_doctor_warns_and_its_fix_followed_literally_clears_it(tmp_path: Path, where: str) -> None:
    project = scaffolded(tmp_path / "site", production_url="https://app.example.com")
    environ = {"AUTH_TRUST_HOST": "true"} if where == "environment" else {}
    env_local = project / ".env.local"
    if where == ".env.local":
        env_local.write_text(env_local.read_text() + "AUTH_TRUST_HOST=1\n")
    if where == "code":
        options_file = project / "auth_options.py"
        text = options_file.read_text()
        options_file.write_text(
            text.replace("auth_options = AuthOptions(\n", "auth_options = AuthOptions(\n    trust_host=True,\n")
        )
    (finding,) = trust_findings(project, environ)
    assert finding.level == "warning", finding
    assert "no allowed hosts" in finding.message
    found = re.fullmatch(r"add (NEXTAUTH_ALLOWED_HOSTS=\S+) to \.env\.local \(.*", finding.fix)
    assert found is not None, finding.fix
    assert found[1] == "NEXTAUTH_ALLOWED_HOSTS=app.example.com,localhost:3000"
    env_local.write_text(env_local.read_text() + found[1] + "\n")  # the fix, word for word
    (after,) = trust_findings(project, environ)
    assert after.level == "ok", after
    # ... and what the fix wrote is what the runtime reads.
    from nextauth._lib.hosts import host_allowed, parse_allowed_hosts

    allowed = parse_allowed_hosts(found[1].split("=", 1)[1], "NEXTAUTH_ALLOWED_HOSTS")
    assert host_allowed("app.example.com", "https", allowed) and host_allowed("localhost:3000", "http", allowed)
    assert not host_allowed(EVIL, "https", allowed)


def test_doctor_is_quiet_when_trust_host_is_off(tmp_path: Path) -> None:
    project = scaffolded(tmp_path / "site")
    assert trust_findings(project, {}) == []
    assert trust_findings(project, {"AUTH_TRUST_HOST": "false"}) == []


def test_doctor_reports_a_bad_allowed_hosts_entry(tmp_path: Path) -> None:
    project = scaffolded(tmp_path / "site")
    (finding,) = trust_findings(project, {"AUTH_TRUST_HOST": "1", "NEXTAUTH_ALLOWED_HOSTS": "*.example.com"})
    assert finding.level == "error" and "'*.example.com' is not a host" in finding.message
    assert ".example.com" in finding.message


def test_doctor_accepts_allowed_hosts_in_the_code(tmp_path: Path) -> None:
    project = scaffolded(tmp_path / "site")
    options_file = project / "auth_options.py"
    options_file.write_text(
        options_file.read_text().replace(
            "auth_options = AuthOptions(\n", "auth_options = AuthOptions(\n    allowed_hosts=['app.example.com'],\n"
        )
    )
    (finding,) = trust_findings(project, {"VERCEL": "1"})
    assert finding.level == "ok"


def test_doctor_accepts_no_nextauth_url_in_bounded_trust_host_mode(tmp_path: Path) -> None:
    """The proxy story of the docs passes doctor: trust-host mode, allowed hosts, NEXTAUTH_URL unset."""
    from nextauth_cli.doctor import diagnose

    project = scaffolded(tmp_path / "site")
    env_local = project / ".env.local"
    env_local.write_text("".join(line for line in env_local.read_text().splitlines(True) if "NEXTAUTH_URL" not in line))
    unbounded = {f.check: f.level for f in diagnose(project, environ={"AUTH_TRUST_HOST": "1"}).findings}
    assert unbounded["url"] == "error" and unbounded["trust-host"] == "warning"
    bounded = diagnose(project, environ={"AUTH_TRUST_HOST": "1", "NEXTAUTH_ALLOWED_HOSTS": "app.example.com"})
    levels = {f.check: f.level for f in bounded.findings}
    assert levels["url"] == "info" and levels["trust-host"] == "ok"
    assert bounded.ok
