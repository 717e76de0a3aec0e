"""Email sign-in (spec §13): address normalisation, verification tokens, and the default sender.

The core calls :func:`normalize_identifier`, :func:`generate_token`, :func:`hash_token` and
:func:`send_verification_request` unless the :class:`~nextauth.providers.email.EmailProvider` replaces
them. The sender speaks SMTP with the standard library's ``smtplib`` in a worker thread
(:mod:`nextauth._lib.email_smtp`): a sign-in sends one message over one short connection, so an async SMTP
client would add a dependency and gain nothing measurable, while the worker thread keeps the event
loop free.

SMTP servers (``EmailProvider.server``, default ``EMAIL_SERVER``), as a URL or a dict:

* ``smtp://user:pass@host:587``: a plain connection upgraded with STARTTLS when the server offers it
  (nodemailer's behaviour). ``?starttls=required`` fails if it is not offered; ``?starttls=never``
  skips it. The default port is 587; port 465 means implicit TLS.
* ``smtps://user:pass@host`` (or ``?secure=true``): implicit TLS, port 465 by default.
* ``?timeout=15``: seconds per network operation (default 15).
* Credentials are never sent over an unencrypted connection to a server that is not on loopback,
  unless ``?allow_insecure_auth=true``. User and password in URLs are percent-decoded
  (``smtp://me%40example.com:p%40ss@host``).
* A dict takes ``host``, ``port``, ``user`` (or ``auth={"user", "pass"}``), ``password``, ``secure``,
  ``starttls``, ``timeout``, ``allow_insecure_auth``, ``local_hostname`` and ``ssl_context`` (an
  ``ssl.SSLContext``, e.g. one that trusts a private CA).
"""

from __future__ import annotations

import hashlib
import html
import logging
import secrets
import unicodedata
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY, SMTPUTF8 as SMTPUTF8_POLICY
from email.utils import formatdate, make_msgid, parseaddr
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from nextauth._lib.email_smtp import EmailDeliveryError, SMTPSettings, deliver, smtp_settings

if TYPE_CHECKING:
    from nextauth.options import ThemeOptions
    from nextauth.providers.email import EmailProvider

__all__ = [
    "EmailDeliveryError",
    "SMTPSettings",
    "build_message",
    "generate_token",
    "hash_token",
    "normalize_identifier",
    "send_verification_request",
    "smtp_settings",
]

log = logging.getLogger("nextauth")

DEFAULT_BRAND_COLOR = "#346df1"
DEFAULT_BUTTON_TEXT = "#fff"
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Co", "Cn"})


# -- identifiers and tokens ---------------------------------------------------------------------------------


def normalize_identifier(identifier: str) -> str:
    """next-auth 4.24.15's email normalisation: ``"  Foo@Example.COM "`` → ``foo@example.com``.

    NFKC, trim, exactly one ``@``, no ``"``, lowercase, both parts non-empty, the domain cut at the
    first ``,``, and the domain must contain a ``.``. Stricter than next-auth in one way: whitespace,
    control and other invisible characters inside the address are refused (they are never part of a
    deliverable unquoted address, and CR/LF would be header injection). ``ValueError`` otherwise.
    """
    if not isinstance(identifier, str) or not identifier:
        raise ValueError("No email address was given")
    value = unicodedata.normalize("NFKC", identifier).strip().strip("\ufeff").strip()
    if value.count("@") != 1:
        raise ValueError("An email address must contain exactly one '@'")
    if '"' in value:
        raise ValueError("Email addresses with quotes are not accepted")
    if any(unicodedata.category(ch) in _INVISIBLE for ch in value):
        raise ValueError("An email address must not contain spaces or invisible characters")
    local, domain = value.lower().split("@")
    domain = domain.split(",", 1)[0]
    if not local or not domain:
        raise ValueError("An email address needs a name before and a domain after the '@'")
    if "." not in domain:
        raise ValueError("The domain of an email address must contain a '.' (e.g. example.com)")
    return f"{local}@{domain}"


def generate_token() -> str:
    """A verification token: 32 random bytes, hex (what the sign-in link carries)."""
    return secrets.token_hex(32)


def hash_token(token: str, secret: str) -> str:
    """What the database stores: ``sha256_hex(token + secret)`` (next-auth's scheme, spec §13)."""
    return hashlib.sha256(f"{token}{secret}".encode()).hexdigest()


# -- the message --------------------------------------------------------------------------------------------


def _site(url: str) -> str:
    """``new URL(url).host``: the host and, if not the default, the port."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    return f"{host}:{parts.port}" if parts.port else host


def _duration(seconds: int) -> str:
    for unit, size, limit in (("hour", 3600, 72 * 3600), ("day", 86400, None), ("minute", 60, None)):
        if seconds >= size and seconds % size == 0 and (limit is None or seconds <= limit):
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} seconds"


def _recipient(identifier: str) -> tuple[str, bool]:
    """The address to send to (domain in IDNA form) and whether it needs SMTPUTF8 (a non-ASCII local part).

    Checked again here because a custom ``normalize_identifier`` may return anything.
    """
    if identifier.count("@") != 1 or any(unicodedata.category(ch) in _INVISIBLE for ch in identifier):
        raise EmailDeliveryError("refusing to send to an address with spaces, control characters or several '@'")
    local, domain = identifier.split("@")
    if not local or not domain:
        raise EmailDeliveryError("refusing to send to an address without a name or a domain")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise EmailDeliveryError("the domain of the address is not a valid domain name") from None
    return f"{local}@{domain}", not local.isascii()


def _sender(from_: str) -> str:
    _name, address = parseaddr(from_)
    if "@" not in address:
        raise EmailDeliveryError(
            "EmailProvider.from_ (EMAIL_FROM) is not an email address: use e.g. 'My App <no-reply@example.com>'"
        )
    return address


def render_html(*, url: str, site: str, theme: ThemeOptions | None, max_age: int) -> str:
    """The HTML part: a button in the theme's brand colour; every interpolated value is escaped."""
    brand = html.escape((theme.brand_color if theme else "") or DEFAULT_BRAND_COLOR)
    button_text = html.escape((theme.button_text if theme else "") or DEFAULT_BUTTON_TEXT)
    logo = (theme.logo if theme else "") or ""
    # A zero-width space before each dot stops mail clients from turning the host into a link.
    shown_site = html.escape(site).replace(".", "&#8203;.")
    href = html.escape(url, quote=True)
    font = "font-family: Helvetica, Arial, sans-serif;"
    logo_row = (
        f'<tr><td align="center" style="padding: 28px 24px 0;"><img src="{html.escape(logo)}" alt="" '
        'height="48" style="display: block; height: 48px; border: 0;"></td></tr>\n'
        if logo.startswith(("https://", "http://"))
        else ""
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>Sign in to {html.escape(site)}</title>
</head>
<body style="margin: 0; padding: 0; background: #f4f5f7;">
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0" style="background: #f4f5f7;">
<tr><td align="center" style="padding: 32px 12px;">
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0"
 style="max-width: 480px; background: #ffffff; border-radius: 12px; border: 1px solid #e3e5e8;">
{logo_row}<tr><td align="center"
 style="padding: 32px 24px 8px; {font} font-size: 22px; line-height: 30px; color: #1f2328;">
Sign in to <strong>{shown_site}</strong>
</td></tr>
<tr><td align="center" style="padding: 20px 24px;">
<table role="presentation" cellspacing="0" cellpadding="0" border="0"><tr>
<td align="center" bgcolor="{brand}" style="border-radius: 6px; background: {brand};">
<a href="{href}" target="_blank"
 style="display: inline-block; padding: 12px 28px; {font} font-size: 17px; font-weight: bold; color: {button_text};
 text-decoration: none; border-radius: 6px; border: 1px solid {brand};">Sign in</a>
</td></tr></table>
</td></tr>
<tr><td align="center" style="padding: 4px 24px 8px; {font} font-size: 14px; line-height: 22px; color: #57606a;">
The link works once and expires in {_duration(max_age)}.<br>
If you did not ask to sign in, ignore this email: nothing happens without a click.
</td></tr>
<tr><td align="center"
 style="padding: 12px 24px 28px; {font} font-size: 12px; line-height: 18px; color: #8c959f; word-break: break-all;">
Button not working? Paste this link into your browser:<br>
<a href="{href}" style="color: {brand};">{html.escape(url)}</a>
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
"""


def build_message(
    *, identifier: str, url: str, provider: EmailProvider, theme: ThemeOptions | None
) -> tuple[EmailMessage, str, str]:
    """The sign-in email, its envelope sender and its recipient (spec §13: subject, text and HTML parts)."""
    recipient, utf8 = _recipient(identifier)
    sender = _sender(provider.from_)
    site = _site(url)
    message = EmailMessage(policy=SMTPUTF8_POLICY if utf8 else SMTP_POLICY)
    try:
        message["Subject"] = f"Sign in to {site}"
        message["From"] = provider.from_
        message["To"] = recipient
    except (ValueError, IndexError) as exc:  # a CR/LF in a header, or an unparsable From
        raise EmailDeliveryError(f"cannot build the email headers: {exc}") from None
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=Address(addr_spec=sender).domain)
    message["Auto-Submitted"] = "auto-generated"
    text = f"Sign in to {site}\n{url}\n\n"
    page = render_html(url=url, site=site, theme=theme, max_age=provider.max_age)
    message.set_content(text, cte=_transfer_encoding(text))
    message.add_alternative(page, subtype="html", cte=_transfer_encoding(page))
    return message, sender, recipient


def _transfer_encoding(text: str) -> str:
    """7bit keeps the link copyable in raw views; quoted-printable only when SMTP's line limit forces it."""
    if text.isascii() and all(len(line) < 990 for line in text.splitlines()):
        return "7bit"
    return "quoted-printable"


# -- sending ------------------------------------------------------------------------------------------------


async def send_verification_request(
    *,
    identifier: str,
    url: str,
    expires: datetime,  # noqa: ARG001  # part of the documented signature; custom senders use it
    provider: EmailProvider,
    theme: ThemeOptions | None = None,
    token: str,  # noqa: ARG001  # idem
) -> None:
    """The default sender: email ``url`` to ``identifier`` through ``provider.server``.

    Raises :class:`EmailDeliveryError` when the server cannot be reached, refuses the login, the sender
    or the recipient. With ``provider.log_link_only`` the link is logged (WARNING) and nothing is sent.
    """
    if provider.log_link_only:
        log.warning(
            "[next-auth][warn][EMAIL_LOG_LINK_ONLY] DEVELOPMENT ONLY (EmailProvider(log_link_only=True)): "
            "no email was sent; sign-in link for %s:\n%s\nAnyone who can read this log can sign in as that user: "
            "never enable this in production.",
            identifier,
            url,
        )
        return
    try:
        settings = smtp_settings(provider.server)
    except ValueError as exc:
        raise EmailDeliveryError(f"EmailProvider.server (EMAIL_SERVER) is invalid: {exc}") from None
    message, sender, recipient = build_message(identifier=identifier, url=url, provider=provider, theme=theme)
    import anyio
    import anyio.to_thread

    budget = settings.timeout * 4  # connect, greeting/EHLO, TLS and login, then the message itself
    try:
        with anyio.fail_after(budget):
            await anyio.to_thread.run_sync(deliver, settings, message, sender, [recipient], abandon_on_cancel=True)
    except TimeoutError:
        raise EmailDeliveryError(f"{settings.describe()} did not finish within {budget:g} s") from None
