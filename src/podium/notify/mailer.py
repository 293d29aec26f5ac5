"""Sending e-mail over SMTP (``PODIUM_SMTP_*``): one real SMTP conversation per message."""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import replace
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr

from podium.config import Settings
from podium.errors import Conflict, DomainError
from podium.resilience import BreakerPolicy, Breakers

__all__ = ["MailFailed", "MailServerDown", "Mailer"]

log = logging.getLogger("podium.notify")

# After the server fails to answer, its circuit opens (``podium.resilience``; one failure is
# enough, as each one held the relay a whole timeout): sends fail fast for the cool-down
# (PODIUM_CIRCUIT_COOLDOWN_SECONDS) instead of making every queued event wait out a
# connection timeout (the relay retries them with back-off), then one probe goes through.
_FAILURES_TO_OPEN = 1


class MailServerDown(ConnectionError):
    pass


class MailFailed(DomainError):
    """The SMTP server could not take a message (for callers that answer a person)."""

    status = 503
    code = "email_unavailable"


class Mailer:
    def __init__(self, settings: Settings) -> None:
        self.host = settings.smtp_host
        self.port = settings.smtp_port
        self.username = settings.smtp_username
        self.password = settings.smtp_password
        self.starttls = settings.smtp_starttls
        self.sender = settings.smtp_from
        self.timeout = settings.smtp_timeout_seconds
        self.breakers = Breakers(
            "smtp", BreakerPolicy(_FAILURES_TO_OPEN, 60.0, settings.circuit_cooldown_seconds)
        )

    @property
    def rest_seconds(self) -> float:
        """How long sends fail fast after the server failed to answer."""
        return self.breakers.policy.cooldown

    @rest_seconds.setter
    def rest_seconds(self, seconds: float) -> None:
        self.breakers = Breakers("smtp", replace(self.breakers.policy, cooldown=seconds))

    @property
    def enabled(self) -> bool:
        return bool(self.host)

    def compose(
        self,
        *,
        to: str,
        subject: str,
        text: str,
        html: str,
        sender: str | None = None,
        reply_to: str | None = None,
        attachments: Sequence[tuple[str, bytes, str]] = (),
        message_key: str | None = None,
    ) -> EmailMessage:
        """A multipart/alternative message: the text part first, the HTML part preferred;
        then any ``attachments`` (file name, bytes, MIME type), making it multipart/mixed.
        ``message_key`` (unique; characters other than ``[A-Za-z0-9._-]`` become ``-``) makes
        the Message-ID stable: the same e-mail sent again after a crash carries the same one,
        so mail systems show it once."""
        message = EmailMessage()
        message["From"] = sender or self.sender
        message["To"] = to
        message["Subject"] = subject
        if reply_to:
            message["Reply-To"] = reply_to
        domain = parseaddr(message["From"])[1].rpartition("@")[2] or "podium.local"
        message["Message-ID"] = (
            f"<{re.sub(r'[^A-Za-z0-9._-]', '-', message_key)}@{domain}>"
            if message_key
            else make_msgid(domain=domain)
        )
        message.set_content(text)
        message.add_alternative(html, subtype="html")
        for filename, data, mime in attachments:
            maintype, _, subtype = mime.partition("/")
            message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
        return message

    def send(self, message: EmailMessage) -> str:
        """Hand the message to the SMTP server; returns its Message-ID."""
        if not self.host:
            raise Conflict("E-mail is not configured: set PODIUM_SMTP_HOST.", code="email_disabled")
        breaker = self.breakers(f"{self.host}:{self.port}")
        if not breaker.allow():
            raise MailServerDown(
                f"SMTP server {self.host}:{self.port} did not answer recently "
                f"(next try in {breaker.retry_in():.0f} s)"
            )
        smtp_class = smtplib.SMTP_SSL if self.port == 465 else smtplib.SMTP
        try:
            with smtp_class(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls and smtp_class is smtplib.SMTP:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as exc:
            if isinstance(exc, smtplib.SMTPConnectError):  # 421 at the greeting: busy
                breaker.failed()
            else:
                breaker.succeeded()  # it answered (refused a recipient, say): it is up
            raise
        except OSError as exc:  # no answer, a dropped connection, a timeout
            breaker.failed()
            log.warning("SMTP server %s:%s is unavailable: %s", self.host, self.port, exc)
            raise
        breaker.succeeded()
        return str(message["Message-ID"])
