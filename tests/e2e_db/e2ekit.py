"""End-to-end kit for database sessions and email sign-in: real servers, a real database, real browsers' HTTP.

* :func:`write_project` writes a small project (``auth_options.py`` + ``app/api/auth/[...nextauth]/route.py``)
  whose options come from the environment: ``SQLAlchemyAdapter(DATABASE_URL)``, three OAuth providers against
  the mock OpenID provider (``mock``, ``mock2``, ``mock-danger`` with dangerous email linking), three email
  providers (``email`` over SMTP, ``magic`` with a custom sender writing to ``E2E_OUTBOX``, ``devlink`` with
  ``log_link_only``) and a credentials provider. Events are appended to ``E2E_EVENTS`` as JSON lines.
* :class:`Server` runs ``python -m nextauth.server DIR --port P`` (uvicorn) and stops only that process.
* :class:`Browser` is one simulated browser: one httpx client and one cookie jar, no automatic redirects.
* :class:`Database` reads (and, to move time, edits) the four tables from the test process.
* :class:`Stack` is one database with its schema, the project, and the servers started on it.
* :class:`Mailbox` is what the loopback SMTP server (aiosmtpd) received since a mark.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import httpx
import sqlalchemy as sa

TESTS = Path(__file__).resolve().parents[1]
for _helper_dir in (TESTS / "runtime" / "core", TESTS / "email"):  # oidcmock, authkit, smtpkit
    if str(_helper_dir) not in sys.path:
        sys.path.insert(0, str(_helper_dir))

from authkit import SetCookieLine, parse_set_cookie  # noqa: E402
from oidcmock import MockProvider, free_port  # noqa: E402
from smtpkit import Received, SMTPServer  # noqa: E402

from nextauth.adapters.sqlalchemy import accounts, database_url, sessions, users, verification_tokens  # noqa: E402

__all__ = [
    "PASSWORD",
    "SECRET",
    "SESSION_COOKIE",
    "Browser",
    "Database",
    "Mailbox",
    "MockProvider",
    "Server",
    "SetCookieLine",
    "Stack",
    "free_port",
    "mock_users",
    "write_project",
]

SECRET = "e2e-db-secret-3f9c2a7d5e8b1f4a6c0d9e2b7a5f3c1d"
PASSWORD = "open sesame"
SESSION_COOKIE = "next-auth.session-token"
_CLEARED_PREFIXES = ("NEXTAUTH_", "AUTH_")
_TLS = httpx.create_ssl_context()  # made once: building one per client costs ~20 ms of CPU (the CA bundle)
_CLEARED_NAMES = {
    *("VERCEL", "VERCEL_URL", "NODE_ENV", "EMAIL_SERVER", "EMAIL_FROM", "DATABASE_URL"),
    *("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"),  # the server must reach the mock provider on loopback directly
}

AUTH_OPTIONS = '''
"""The end-to-end project's options; everything that varies between test servers comes from the environment."""

from __future__ import annotations

import hmac
import json
import os
from typing import Any

from nextauth import AuthOptions, CallbacksOptions, EventsOptions, SessionOptions
from nextauth.adapters.sqlalchemy import SQLAlchemyAdapter
from nextauth.env import require
from nextauth.providers.credentials import CredentialsProvider
from nextauth.providers.email import EmailProvider
from nextauth.providers.oauth import OAuthProvider

PASSWORD = "open sesame"
EVENTS = os.environ.get("E2E_EVENTS")
OUTBOX = os.environ.get("E2E_OUTBOX")


def _record(path: str | None, entry: dict[str, Any]) -> None:
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(entry, default=str) + "\\n")


def profile(claims: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": claims["sub"],
        "name": claims.get("name"),
        "email": claims.get("email"),
        "image": claims.get("picture"),
    }


def oidc(id: str, name: str, **extra: Any) -> OAuthProvider:
    return OAuthProvider(
        id=id,
        name=name,
        client_id=f"{id}-client",
        client_secret=f"{id}-secret",
        well_known=require("MOCK_WELL_KNOWN"),
        id_token=True,
        checks=["pkce", "state"],
        authorization={"params": {"scope": "openid email profile"}},
        profile=profile,
        **extra,
    )


def authorize(credentials: dict[str, Any]) -> dict[str, Any] | None:
    username = str(credentials.get("username", ""))
    if not username or not hmac.compare_digest(str(credentials.get("password", "")).encode(), PASSWORD.encode()):
        return None
    return {"id": f"cred:{username}", "name": username, "email": f"{username}@cred.example"}


async def write_outbox(identifier: str, url: str, token: str, expires: Any, provider: Any) -> None:
    _record(OUTBOX, {"identifier": identifier, "url": url, "token": token, "expires": expires, "provider": provider.id})


def session(
    session: dict[str, Any], user: Any = None, token: Any = None, new_session: Any = None, trigger: Any = None
) -> dict[str, Any]:
    session["user"]["id"] = user["id"] if user else (token or {}).get("sub")
    if trigger == "update" and isinstance(new_session, dict):
        session["user"]["name"] = new_session.get("name", session["user"].get("name"))
        session["trigger"] = trigger
    return session


def _event(name: str):
    def handler(**kwargs: Any) -> None:
        entry: dict[str, Any] = {"event": name}
        user = kwargs.get("user")
        if isinstance(user, dict):
            entry["user_id"] = user.get("id")
            entry["email"] = user.get("email")
        account = kwargs.get("account")
        if isinstance(account, dict):
            entry["provider"] = account.get("provider")
            entry["provider_account_id"] = account.get("provider_account_id")
        if "is_new_user" in kwargs:
            entry["is_new_user"] = kwargs["is_new_user"]
        if isinstance(kwargs.get("session"), dict) and name == "sign_out":
            entry["session_user_id"] = kwargs["session"].get("user_id")
        _record(EVENTS, entry)

    return handler


def _events() -> EventsOptions:
    def sign_in(user: Any, account: Any, is_new_user: Any = None) -> None:
        _event("sign_in")(user=user, account=account, is_new_user=is_new_user)

    def sign_out(session: Any = None, token: Any = None) -> None:
        _event("sign_out")(session=session, token=token)

    def create_user(user: Any) -> None:
        _event("create_user")(user=user)

    def update_user(user: Any) -> None:
        _event("update_user")(user=user)

    def link_account(user: Any, account: Any) -> None:
        _event("link_account")(user=user, account=account)

    return EventsOptions(
        sign_in=sign_in, sign_out=sign_out, create_user=create_user, update_user=update_user, link_account=link_account
    )


auth_options = AuthOptions(
    providers=[
        oidc("mock", "Mock OIDC"),
        oidc("mock2", "Mock Two"),
        oidc("mock-danger", "Mock Danger", allow_dangerous_email_account_linking=True),
        EmailProvider(),  # EMAIL_SERVER, EMAIL_FROM
        EmailProvider(id="magic", name="Magic", send_verification_request=write_outbox),
        EmailProvider(id="devlink", name="Dev link", log_link_only=True),
        CredentialsProvider(
            credentials={"username": {"label": "Username"}, "password": {"label": "Password", "type": "password"}},
            authorize=authorize,
        ),
    ],
    adapter=SQLAlchemyAdapter(require("DATABASE_URL")),
    session=SessionOptions(
        strategy=os.environ.get("SESSION_STRATEGY", "database"),
        max_age=int(os.environ.get("SESSION_MAX_AGE", "3600")),
        update_age=int(os.environ.get("SESSION_UPDATE_AGE", "60")),
    ),
    callbacks=CallbacksOptions(session=session),
    events=_events(),
)
'''

ROUTE = """
from nextauth import NextAuth

from auth_options import auth_options

handler = NextAuth(auth_options)
GET = POST = handler
"""


def write_project(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "auth_options.py").write_text(textwrap.dedent(AUTH_OPTIONS).lstrip(), encoding="utf-8")
    route = root / "app" / "api" / "auth" / "[...nextauth]" / "route.py"
    route.parent.mkdir(parents=True, exist_ok=True)
    route.write_text(textwrap.dedent(ROUTE).lstrip(), encoding="utf-8")
    return root


def mock_users() -> list[dict[str, Any]]:
    """The mock provider's predefined users (``--user-claims``): approving ``sub=<sub>`` signs in with these claims."""

    def person(sub: str, email: str, name: str) -> dict[str, Any]:
        return {"sub": sub, "email": email, "name": name, "picture": f"http://127.0.0.1/{sub}.png"}

    people = [
        person("alice", "alice@example.org", "Alice"),
        person("carol", "carol@example.org", "Carol"),
        person("carol-work", "carol@work.example", "Carol at work"),
        person("dave", "dave@example.org", "Dave"),
        person("dave-alt", "dave@example.org", "Dave again"),  # same email, another account
        person("erin", "erin@example.org", "Erin"),
        person("erin-danger", "erin@example.org", "Erin (dangerous linking)"),
        person("frank", "frank@example.org", "Frank"),
        person("grace", "grace@example.org", "Grace"),
        person("heidi", "heidi@example.org", "Heidi"),
        person("ivan", "ivan@example.org", "Ivan"),
        person("judy", "judy@example.org", "Judy"),
        person("mallory", "mallory@example.org", "Mallory"),
        person("olivia", "olivia@example.org", "Olivia"),
        person("peggy", "peggy@example.org", "Peggy"),
        person("trent", "trent@example.org", "Trent"),
        person("victor", "victor@example.org", "Victor"),
        person("walter", "walter@example.org", "Walter"),
        person("xavier", "xavier@example.org", "Xavier"),
        person("yvonne", "yvonne@example.org", "Yvonne"),
        person("zoe", "zoe@example.org", "Zoe"),
    ]
    people += [person(f"conc{i:02d}", f"conc{i:02d}@example.org", f"Concurrent {i}") for i in range(24)]
    people += [person(f"scale{i}", f"scale{i}@example.org", f"Scale-out {i}") for i in range(4)]  # scale_out
    people += [{"sub": f"ghost{i}", "name": f"Ghost {i}"} for i in range(4)]  # a provider that gives no email
    return people


def server_env(**extra: str) -> dict[str, str]:
    """This process's environment without anything that changes how nextauth behaves, plus ``extra``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.upper().startswith(_CLEARED_PREFIXES) and k.upper() not in _CLEARED_NAMES
    }
    env.update(extra)
    return env


# ------------------------------------------------------------------------------------------ server
class Server:
    """``python -m nextauth.server PROJECT --port P`` with ``NEXTAUTH_URL`` at its own loopback address.

    Its output goes to ``<workdir>/<name>.log``, its events to ``<name>.events.jsonl`` and the ``magic``
    provider's messages to ``<name>.outbox.jsonl``.
    """

    def __init__(self, project: Path, env: Mapping[str, str], workdir: Path, name: str) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.base = f"{self.url}/api/auth"
        self.log_path = workdir / f"{name}.log"
        self.events_path = workdir / f"{name}.events.jsonl"
        self.outbox_path = workdir / f"{name}.outbox.jsonl"
        defaults = {
            "NEXTAUTH_URL": self.url,
            "NEXTAUTH_SECRET": SECRET,
            "E2E_EVENTS": str(self.events_path),
            "E2E_OUTBOX": str(self.outbox_path),
        }
        self.env = server_env(**{**defaults, **env})
        self.project = project
        self._process: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        """The command that serves the project (a subclass may run ``nextauth start`` instead)."""
        return [sys.executable, "-m", "nextauth.server", str(self.project), "--port", str(self.port)]

    def start(self) -> Server:
        argv = self.command()
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                [*argv, "--log-level", "warning"],
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the server exited with {self._process.returncode}:\n{self.log()[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.base}/providers", timeout=1, trust_env=False).status_code == 200:
                    return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the server did not answer within 30 s:\n{self.log()[-3000:]}")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGINT)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def events(self, event: str | None = None) -> list[dict[str, Any]]:
        return [e for e in read_jsonl(self.events_path) if event is None or e["event"] == event]

    def outbox(self) -> list[dict[str, Any]]:
        return read_jsonl(self.outbox_path)

    def errors(self) -> list[str]:
        """next-auth's error reports (``[next-auth][error][CODE]`` with the line after it, which names the
        exception) and tracebacks in the server's output."""
        lines = self.log().splitlines()
        return [
            " ".join(lines[i : i + 2]) if "[next-auth][error]" in line else line
            for i, line in enumerate(lines)
            if "[next-auth][error]" in line or line.startswith("Traceback")
        ]

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# ------------------------------------------------------------------------------------------ browser
class _Forms(HTMLParser):
    """The forms of a page: ``[{"action": ..., "fields": {name: value}}]`` (submit buttons left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": values.get("action", ""), "method": values.get("method", ""), "fields": {}})
        elif tag == "input" and self.forms and values.get("name"):
            self.forms[-1]["fields"][values["name"]] = values.get("value", "")


def forms_of(html: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


@dataclass
class Browser:
    """One browser: its cookie jar lives in one httpx client; redirects are followed by the tests, step by step."""

    server: Server
    client: httpx.AsyncClient = field(
        default_factory=lambda: httpx.AsyncClient(timeout=30, trust_env=False, follow_redirects=False, verify=_TLS)
    )

    async def __aenter__(self) -> Browser:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    def url(self, path: str, server: Server | None = None) -> str:
        return urljoin(f"{(server or self.server).base}/", path)

    async def get(self, path_or_url: str, *, server: Server | None = None) -> httpx.Response:
        return await self.client.get(self.url(path_or_url, server))

    async def post(self, path: str, *, server: Server | None = None, **kwargs: Any) -> httpx.Response:
        return await self.client.post(self.url(path, server), **kwargs)

    async def csrf(self, *, server: Server | None = None) -> str:
        token: str = (await self.get("csrf", server=server)).json()["csrfToken"]
        return token

    @property
    def session_token(self) -> str | None:
        """The session cookie the browser would send now (``None`` once it expired or was deleted)."""
        for cookie in self.client.cookies.jar:
            if cookie.name == SESSION_COOKIE and not cookie.is_expired():
                return cookie.value
        return None

    def set_session_token(self, value: str) -> None:
        self.client.cookies.set(SESSION_COOKIE, value, domain="127.0.0.1", path="/")

    async def session(self, *, server: Server | None = None) -> Any:
        response = await self.get("session", server=server)
        assert response.status_code == 200, response.text
        return response.json()

    async def oauth_sign_in(
        self,
        mock: MockProvider,
        sub: str,
        *,
        provider: str = "mock",
        callback_url: str = "/done",
        server: Server | None = None,
    ) -> httpx.Response:
        """POST /signin/<provider> → the provider's authorize form, approved as ``sub`` → our callback's response."""
        csrf = await self.csrf(server=server)
        start = await self.post(
            f"signin/{provider}", server=server, data={"csrfToken": csrf, "callbackUrl": callback_url}
        )
        assert start.status_code == 302, (start.status_code, start.text[:300])
        authorize = start.headers["location"]
        assert authorize.startswith(mock.url), authorize
        approved = await self.client.post(authorize, data={"sub": sub})  # the provider's form, submitted as sub
        assert approved.status_code == 302, (approved.status_code, approved.text[:300])
        back = approved.headers["location"]
        assert back.startswith(f"{(server or self.server).base}/callback/{provider}?"), back
        return await self.client.get(back)

    async def credentials_sign_in(
        self, username: str, *, callback_url: str = "/done", password: str = PASSWORD
    ) -> httpx.Response:
        csrf = await self.csrf()
        form = {"csrfToken": csrf, "callbackUrl": callback_url, "username": username, "password": password}
        return await self.post("callback/credentials", data=form)

    async def request_email_link(
        self, email: str, *, provider: str = "email", callback_url: str | None = None
    ) -> httpx.Response:
        """As a person does: open the sign-in page, fill in the provider's email form, submit it."""
        page = await self.get(
            "signin" if callback_url is None else f"signin?{urlencode({'callbackUrl': callback_url})}"
        )
        assert page.status_code == 200, page.text[:300]
        (form,) = [f for f in forms_of(page.text) if f["action"] == f"{self.server.base}/signin/{provider}"]
        assert form["method"].upper() == "POST"
        fields = dict(form["fields"])
        assert fields.get("csrfToken"), fields
        fields["email"] = email
        return await self.client.post(form["action"], data=fields)

    async def sign_out(self, *, server: Server | None = None, callback_url: str = "/bye") -> httpx.Response:
        csrf = await self.csrf(server=server)
        return await self.post("signout", server=server, data={"csrfToken": csrf, "callbackUrl": callback_url})


def set_cookies(response: httpx.Response) -> list[SetCookieLine]:
    return [parse_set_cookie(line) for line in response.headers.get_list("set-cookie")]


def session_cookie(response: httpx.Response) -> SetCookieLine | None:
    found = [c for c in set_cookies(response) if c.name.startswith(SESSION_COOKIE)]
    assert len(found) <= 1, [c.line for c in found]
    return found[0] if found else None


# ------------------------------------------------------------------------------------------ email
class Mailbox:
    """What the SMTP server received from now on (it is shared by the whole session)."""

    def __init__(self, smtp: SMTPServer) -> None:
        self.smtp = smtp
        self.mark = len(smtp.received)
        self._taken = self.mark

    def messages(self, to: str | None = None) -> list[Received]:
        """Everything that arrived since this mailbox was made (for ``to`` only, if given)."""
        return [r for r in self.smtp.received[self.mark :] if to is None or to in r.rcpt_tos]

    async def one(self, to: str) -> Received:
        """The one message that arrived for ``to`` since the last call (the sender finishes before the
        verify-request redirect; the server is allowed a moment all the same)."""

        def fresh() -> list[Received]:
            return [r for r in self.smtp.received[self._taken :] if to in r.rcpt_tos]

        deadline = time.monotonic() + 5
        while not fresh() and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        (found,) = fresh()
        self._taken = len(self.smtp.received)
        return found


def link_in(message: EmailMessage) -> str:
    """The sign-in link: the second line of the plain-text part (``Sign in to <host>\\n<url>``)."""
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    lines = body.get_content().splitlines()
    assert lines[0].startswith("Sign in to "), lines
    return lines[1]


# ------------------------------------------------------------------------------------------ database
class Database:
    """The adapter's tables as the test sees them (a separate connection pool from the server's)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = sa.create_engine(database_url(url), poolclass=sa.pool.NullPool)

    def close(self) -> None:
        self.engine.dispose()

    def _all(self, table: sa.Table, *where: Any) -> list[dict[str, Any]]:
        """Rows of ``table`` as records keyed by column key (``user_id``, not ``userId``)."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(table).where(*where)).all()
        return [{c.key: row._mapping[c] for c in table.c} for row in rows]

    def users(self, email: str | None = None) -> list[dict[str, Any]]:
        return self._all(users, *([users.c.email == email] if email is not None else []))

    def user(self, email: str) -> dict[str, Any]:
        (found,) = self.users(email)
        return found

    def accounts(self, *, user_id: str | None = None, provider: str | None = None) -> list[dict[str, Any]]:
        where = []
        if user_id is not None:
            where.append(accounts.c.user_id == user_id)
        if provider is not None:
            where.append(accounts.c.provider == provider)
        return self._all(accounts, *where)

    def account(self, provider: str, provider_account_id: str) -> dict[str, Any] | None:
        found = [a for a in self.accounts(provider=provider) if a["provider_account_id"] == provider_account_id]
        assert len(found) <= 1
        return found[0] if found else None

    def sessions(self, *, user_id: str | None = None) -> list[dict[str, Any]]:
        return self._all(sessions, *([sessions.c.user_id == user_id] if user_id is not None else []))

    def session(self, token: str) -> dict[str, Any] | None:
        rows = self._all(sessions, sessions.c.session_token == token)
        return rows[0] if rows else None

    def tokens(self, identifier: str | None = None) -> list[dict[str, Any]]:
        t = verification_tokens
        return self._all(t, *([t.c.identifier == identifier] if identifier is not None else []))

    def count(self, table: sa.Table) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())

    def set_session_expires(self, token: str, expires: datetime) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(
                sa.update(sessions).where(sessions.c.session_token == token).values(expires=expires)
            ).rowcount
        assert done == 1

    def set_token_expires(self, identifier: str, expires: datetime) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(
                sa.update(verification_tokens)
                .where(verification_tokens.c.identifier == identifier)
                .values(expires=expires)
            ).rowcount
        assert done >= 1


# ------------------------------------------------------------------------------------------ files
def read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass
class Stack:
    """One database (SQLite file or PostgreSQL database) with its schema, the project, and the servers on it."""

    backend: str
    db_url: str
    workdir: Path
    mock: MockProvider
    smtp_url: str
    project: Path = field(init=False)
    db: Database = field(init=False)
    servers: list[Server] = field(default_factory=list)

    def __post_init__(self) -> None:
        from nextauth.adapters.sqlalchemy import create_schema

        self.project = write_project(self.workdir / "project")
        create_schema(self.db_url)  # what `nextauth db init` does
        self.db = Database(self.db_url)

    def env(self, **extra: str) -> dict[str, str]:
        return {
            "DATABASE_URL": self.db_url,
            "MOCK_WELL_KNOWN": self.mock.well_known,
            "EMAIL_SERVER": self.smtp_url,
            "EMAIL_FROM": "Sign-in <auth@e2e.example>",
            **extra,
        }

    def start(self, name: str, **extra: str) -> Server:
        server = Server(self.project, self.env(**extra), self.workdir, name)
        self.servers.append(server)
        return server.start()

    def close(self) -> None:
        for server in self.servers:
            server.stop()
        self.db.close()
