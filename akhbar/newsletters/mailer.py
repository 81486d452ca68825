"""Sending over any SMTP server, configured by one URL.

``AKHBAR_EMAIL_URL``::

    smtp://user:pass@host:587?tls=1      STARTTLS (user and password URL-encoded)
    smtps://user:pass@host:465           TLS from the first byte
    smtp://127.0.0.1:1025                a local relay (Postfix, the tests' aiosmtpd)
    console://                           print messages to stdout (the default when unset)

Query options: ``timeout`` (seconds, default 30), ``helo`` (name to greet with).

Why smtplib and not Django's mail backends: a bulk sender must know *how* a message failed,
per recipient — refused address (permanent: suppress), server busy (temporary: retry later),
or connection lost after the message body went out (unknown: never resend, or a reader could
get the digest twice). Django's backends fold all of that into one exception or a boolean.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import ssl
import sys
import threading
from dataclasses import dataclass
from enum import Enum
from typing import Protocol, TextIO
from urllib.parse import parse_qs, unquote, urlsplit

from akhbar.core.conf import akhbar_settings

log = logging.getLogger(__name__)


class Outcome(Enum):
    SENT = "sent"
    #: The server refused the recipient or message for good (5xx): suppress, never retry.
    PERMANENT = "permanent"
    #: Nothing was accepted (4xx, refused connection, timeout before the body): retry later.
    TEMPORARY = "temporary"
    #: The body went out but no answer came back: it may have been delivered; never resend.
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    detail: str = ""
    code: int = 0


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class EmailConfig:
    scheme: str
    host: str = ""
    port: int = 0
    username: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = 30.0
    helo: str = ""

    @property
    def display(self) -> str:
        """For logs and the admin: never the password."""
        if self.scheme == "console":
            return "console://"
        user = f"{self.username}@" if self.username else ""
        return f"{self.scheme}://{user}{self.host}:{self.port}{'?tls=1' if self.starttls else ''}"


def parse_email_url(url: str) -> EmailConfig:
    url = (url or "").strip()
    if not url or url.startswith("console:"):
        return EmailConfig("console")
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ConfigError(f"AKHBAR_EMAIL_URL: unsupported scheme {parts.scheme!r} (smtp, smtps)")
    if not parts.hostname:
        raise ConfigError("AKHBAR_EMAIL_URL: missing host")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    truthy = {"1", "true", "yes", "on"}
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
        timeout = float(query.get("timeout", "30"))
    except ValueError as exc:
        raise ConfigError(f"AKHBAR_EMAIL_URL: {exc}") from None
    return EmailConfig(
        scheme=parts.scheme,
        host=parts.hostname,
        port=port,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        starttls=query.get("tls", query.get("starttls", "0")).lower() in truthy,
        timeout=timeout,
        helo=query.get("helo", ""),
    )


def configured() -> EmailConfig:
    return parse_email_url(akhbar_settings.email_url)


class Transport(Protocol):
    def send(
        self, sender: str, recipient: str, message: bytes, *, eight_bit: bool = False
    ) -> Result: ...

    def supports_8bit(self) -> bool: ...

    def close(self) -> None: ...


class _TrackingSMTP(smtplib.SMTP):
    """Remembers whether the message body (ending in CRLF.CRLF) has been written, which is the
    line between "retry" and "may have been delivered" when the connection breaks."""

    body_sent = False

    def send(self, s: bytes | str) -> None:  # type: ignore[override]
        super().send(s)
        if isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):
            self.body_sent = True


class _TrackingSMTPSSL(smtplib.SMTP_SSL, _TrackingSMTP):
    pass


class SMTPTransport:
    """One SMTP connection reused for many messages; reconnects after a failure."""

    def __init__(self, config: EmailConfig) -> None:
        self.config = config
        self._smtp: _TrackingSMTP | None = None

    def _connect(self) -> _TrackingSMTP:
        c = self.config
        helo = c.helo or None
        if c.scheme == "smtps":
            smtp: _TrackingSMTP = _TrackingSMTPSSL(
                c.host,
                c.port,
                local_hostname=helo,
                timeout=c.timeout,
                context=ssl.create_default_context(),
            )
        else:
            smtp = _TrackingSMTP(c.host, c.port, local_hostname=helo, timeout=c.timeout)
            if c.starttls:
                smtp.starttls(context=ssl.create_default_context())
        smtp.ehlo_or_helo_if_needed()
        if c.username:
            smtp.login(c.username, c.password)
        return smtp

    def supports_8bit(self) -> bool:
        """Whether the server announced 8BITMIME (connects if needed; False if it cannot)."""
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            return bool(self._smtp.has_extn("8bitmime"))
        except (smtplib.SMTPException, OSError):
            self._drop()
            return False

    def send(
        self, sender: str, recipient: str, message: bytes, *, eight_bit: bool = False
    ) -> Result:
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            smtp = self._smtp
            smtp.body_sent = False
            # docmd, not smtp.mail()/rcpt(): both addresses are already checked ASCII, and
            # smtplib's re-parsing of them costs a tenth of a millisecond per message.
            body = " BODY=8BITMIME" if eight_bit else ""
            code, reply = smtp.docmd("mail", f"FROM:<{sender}>{body}")
            if code != 250:
                self._reset()
                return _refused(code, reply)
            code, reply = smtp.docmd("rcpt", f"TO:<{recipient}>")
            if code not in (250, 251):
                self._reset()
                return _refused(code, reply)
            code, reply = smtp.data(message)
            if code != 250:
                self._reset()
                return _refused(code, reply)
            return Result(Outcome.SENT, code=code)
        except smtplib.SMTPResponseException as exc:
            # Raised by data() for a non-354 answer to DATA: nothing was sent yet.
            self._drop()
            return _refused(exc.smtp_code, exc.smtp_error)
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            body_sent = self._smtp is not None and self._smtp.body_sent
            self._drop()
            detail = f"{type(exc).__name__}: {exc}"[:300]
            if body_sent:
                return Result(Outcome.UNKNOWN, detail)
            return Result(Outcome.TEMPORARY, detail)

    def _reset(self) -> None:
        try:
            if self._smtp is not None:
                self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            with contextlib.suppress(OSError):
                smtp.close()

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()


def _refused(code: int, reply: bytes | str) -> Result:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    outcome = Outcome.PERMANENT if 500 <= code < 600 else Outcome.TEMPORARY
    return Result(outcome, f"{code} {text}"[:300], code)


class ConsoleTransport:
    """Prints each message (the default without AKHBAR_EMAIL_URL, like Django's console
    backend), so `make run` shows the confirmation link a developer needs to click."""

    _lock = threading.Lock()

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def supports_8bit(self) -> bool:
        return True

    def send(
        self, sender: str, recipient: str, message: bytes, *, eight_bit: bool = False
    ) -> Result:
        with self._lock:
            self.stream.write(f"--- message from {sender} to {recipient} ---\n")
            self.stream.write(message.decode("utf-8", "replace").replace("\r\n", "\n"))
            self.stream.write("\n--- end of message ---\n")
            self.stream.flush()
        return Result(Outcome.SENT)

    def close(self) -> None:
        pass


def open_transport(config: EmailConfig | None = None) -> Transport:
    config = config or configured()
    if config.scheme == "console":
        return ConsoleTransport()
    return SMTPTransport(config)
