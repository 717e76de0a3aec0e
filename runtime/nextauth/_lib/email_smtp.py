"""SMTP for the email provider: server settings (URL or dict) and delivery with ``smtplib`` (blocking: run it
in a worker thread). See :mod:`nextauth._core.email` for the accepted settings.

Security: STARTTLS is used whenever the server offers it (``starttls="required"`` insists on it), the
certificate is verified against the system trust store (or ``ssl_context``), and credentials are not
sent over an unencrypted connection except to a loopback server or with ``allow_insecure_auth``.
"""

from __future__ import annotations

import ipaddress
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, Literal
from urllib.parse import parse_qsl, unquote, urlsplit

from nextauth.errors import EmailDeliveryError

__all__ = ["DEFAULT_TIMEOUT", "EmailDeliveryError", "SMTPSettings", "deliver", "smtp_settings"]

DEFAULT_TIMEOUT = 15.0


@dataclass(frozen=True, slots=True)
class SMTPSettings:
    host: str
    port: int
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    secure: bool = False
    starttls: Literal["auto", "required", "never"] = "auto"
    timeout: float = DEFAULT_TIMEOUT
    allow_insecure_auth: bool = False
    local_hostname: str | None = None
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)

    def describe(self) -> str:
        """``smtps://user@host:465``: for messages (no password)."""
        who = f"{self.user}@" if self.user else ""
        return f"{'smtps' if self.secure else 'smtp'}://{who}{self.host}:{self.port}"


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_URL_OPTIONS = ("starttls", "secure", "timeout", "allow_insecure_auth", "local_hostname")
_DICT_OPTIONS = frozenset(
    {
        "host", "port", "user", "username", "password", "pass", "auth", "secure", "starttls", "require_tls",
        "requireTLS", "ignore_tls", "ignoreTLS", "timeout", "allow_insecure_auth", "local_hostname", "name",
        "ssl_context",
    }
)  # fmt: skip


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"SMTP option {name} must be true or false")


def _starttls(value: Any) -> Literal["auto", "required", "never"]:
    if value is True:
        return "required"
    if value is False:
        return "never"
    text = str(value).strip().lower()
    if text in ("auto", "opportunistic"):
        return "auto"
    if text in ("required", "require", *_TRUE):
        return "required"
    if text in ("never", "ignore", *_FALSE):
        return "never"
    raise ValueError("SMTP option starttls must be auto, required or never")


def _timeout(value: Any) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise ValueError("SMTP option timeout must be a number of seconds") from None
    if not 0 < seconds <= 600:
        raise ValueError("SMTP option timeout must be between 0 and 600 seconds")
    return seconds


def _port(value: Any) -> int:
    try:
        port = int(value)
    except (TypeError, ValueError):
        raise ValueError("the SMTP port must be a number") from None
    if not 0 < port < 65536:
        raise ValueError("the SMTP port must be between 1 and 65535")
    return port


def smtp_settings(server: str | Mapping[str, Any]) -> SMTPSettings:
    """Parse an SMTP URL or dict (see the module docstring). ``ValueError`` says what is wrong, never the password."""
    if isinstance(server, str):
        return _from_url(server)
    if isinstance(server, Mapping):
        return _from_dict(server)
    raise ValueError(f"EmailProvider.server must be an SMTP URL or a dict, not {type(server).__name__}")


def _from_url(text: str) -> SMTPSettings:
    parts = urlsplit(text.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("smtp", "smtps"):
        raise ValueError("the SMTP server URL must start with smtp:// or smtps:// (e.g. smtp://user:pass@host:587)")
    try:
        host, raw_port = parts.hostname, parts.port
    except ValueError:
        raise ValueError("the SMTP server URL has an invalid port") from None
    if not host:
        raise ValueError("the SMTP server URL has no host (e.g. smtp://user:pass@smtp.example.com:587)")
    options: dict[str, str] = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key not in _URL_OPTIONS:
            raise ValueError(f"unknown SMTP URL option {key!r}; supported: {', '.join(_URL_OPTIONS)}")
        options[key] = value
    secure = scheme == "smtps" or (raw_port == 465 and "secure" not in options)
    if "secure" in options:
        secure = _flag("secure", options["secure"])
    return SMTPSettings(
        host=host,
        port=raw_port or (465 if secure else 587),
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        secure=secure,
        starttls=_starttls(options.get("starttls", "auto")),
        timeout=_timeout(options.get("timeout", DEFAULT_TIMEOUT)),
        allow_insecure_auth=_flag("allow_insecure_auth", options.get("allow_insecure_auth", False)),
        local_hostname=options.get("local_hostname") or None,
    )


def _from_dict(server: Mapping[str, Any]) -> SMTPSettings:
    unknown = sorted(set(server) - _DICT_OPTIONS)
    if unknown:
        raise ValueError(
            f"unknown SMTP server option(s) {', '.join(unknown)}; supported: {', '.join(sorted(_DICT_OPTIONS))}"
        )
    host = str(server.get("host") or "").strip()
    if not host:
        raise ValueError("the SMTP server dict needs a 'host'")
    auth = server.get("auth") or {}
    if not isinstance(auth, Mapping):
        raise ValueError("the SMTP server option 'auth' must be a dict with 'user' and 'pass'")
    user = server.get("user") or server.get("username") or auth.get("user") or None
    password = server.get("password") or server.get("pass") or auth.get("pass") or auth.get("password") or None
    port = _port(server["port"]) if server.get("port") is not None else None
    secure = _flag("secure", server["secure"]) if "secure" in server else port == 465
    starttls: Literal["auto", "required", "never"] = "auto"
    if "starttls" in server:
        starttls = _starttls(server["starttls"])
    elif _flag("require_tls", server.get("require_tls", server.get("requireTLS", False))):
        starttls = "required"
    elif _flag("ignore_tls", server.get("ignore_tls", server.get("ignoreTLS", False))):
        starttls = "never"
    context = server.get("ssl_context")
    if context is not None and not isinstance(context, ssl.SSLContext):
        raise ValueError("the SMTP server option 'ssl_context' must be an ssl.SSLContext")
    return SMTPSettings(
        host=host,
        port=port or (465 if secure else 587),
        user=str(user) if user else None,
        password=str(password) if password else None,
        secure=secure,
        starttls=starttls,
        timeout=_timeout(server.get("timeout", DEFAULT_TIMEOUT)),
        allow_insecure_auth=_flag("allow_insecure_auth", server.get("allow_insecure_auth", False)),
        local_hostname=server.get("local_hostname") or server.get("name") or None,
        ssl_context=context,
    )


# -- delivery ---------------------------------------------------------------------------------------------


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {' '.join(text.split())}"


def _is_loopback(client: smtplib.SMTP) -> bool:
    try:
        peer = client.sock.getpeername()[0] if client.sock is not None else ""
        return ipaddress.ip_address(peer.split("%", 1)[0]).is_loopback
    except (OSError, ValueError):
        return False


def deliver(settings: SMTPSettings, message: EmailMessage, sender: str, recipients: Sequence[str]) -> None:
    """Send ``message`` (blocking). Raises :class:`EmailDeliveryError` unless every recipient was accepted."""
    where = settings.describe()
    context = settings.ssl_context or ssl.create_default_context()
    client: smtplib.SMTP
    if settings.secure:
        client = smtplib.SMTP_SSL(local_hostname=settings.local_hostname, timeout=settings.timeout, context=context)
    else:
        client = smtplib.SMTP(local_hostname=settings.local_hostname, timeout=settings.timeout)
    # The TLS server name (SNI, certificate check); smtplib sets it only when __init__ connects.
    client._host = settings.host  # type: ignore[attr-defined]  # private in typeshed, read by starttls()
    try:
        client.connect(settings.host, settings.port)
        client.ehlo_or_helo_if_needed()
        encrypted = settings.secure
        if not settings.secure and settings.starttls != "never":
            if client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
                encrypted = True
            elif settings.starttls == "required":
                raise EmailDeliveryError(f"{where} does not offer STARTTLS, and starttls=required")
        if settings.user:
            if not encrypted and not settings.allow_insecure_auth and not _is_loopback(client):
                raise EmailDeliveryError(
                    f"refusing to send the SMTP password to {where} over an unencrypted connection: use smtps://, "
                    "a server that offers STARTTLS, or allow_insecure_auth=true if the network is trusted"
                )
            client.login(settings.user, settings.password or "")
        refused = client.send_message(message, from_addr=sender, to_addrs=list(recipients))
        if refused:
            details = "; ".join(f"{code} {msg.decode(errors='replace')}" for code, msg in refused.values())
            raise EmailDeliveryError(f"{where} rejected {len(refused)} recipient(s): {details}")
        client.quit()
    except EmailDeliveryError:
        raise
    except smtplib.SMTPRecipientsRefused as exc:
        details = "; ".join(f"{code} {msg.decode(errors='replace')}" for code, msg in exc.recipients.values())
        raise EmailDeliveryError(f"{where} rejected the recipient: {details}") from None
    except smtplib.SMTPAuthenticationError as exc:
        raise EmailDeliveryError(f"{where} refused the login of {settings.user!r}: {_reply(exc)}") from None
    except smtplib.SMTPSenderRefused as exc:
        raise EmailDeliveryError(f"{where} refused the sender {sender!r}: {_reply(exc)}") from None
    except smtplib.SMTPResponseException as exc:
        raise EmailDeliveryError(f"{where} answered {_reply(exc)}") from None
    except smtplib.SMTPNotSupportedError as exc:
        raise EmailDeliveryError(f"{where}: {exc}") from None
    except TimeoutError:
        raise EmailDeliveryError(f"{where} did not answer within {settings.timeout:g} s") from None
    except smtplib.SMTPServerDisconnected as exc:
        if "timed out" in str(exc):  # smtplib turns a read timeout into a disconnect
            raise EmailDeliveryError(f"{where} did not answer within {settings.timeout:g} s") from None
        raise EmailDeliveryError(f"{where} closed the connection unexpectedly") from None
    except ssl.SSLError as exc:
        reason = getattr(exc, "verify_message", None) or exc.reason or type(exc).__name__
        raise EmailDeliveryError(f"TLS with {where} failed: {reason}") from None
    except (OSError, smtplib.SMTPException) as exc:
        raise EmailDeliveryError(f"could not talk to {where}: {type(exc).__name__}: {exc}") from None
    finally:
        client.close()
