"""Email, optional: a password reset link can be sent by the practice's own mail server when
one is configured (`KNEECAP_SMTP_URL`), and is printed otherwise. Nothing else sends email.

    smtp://[user:password@]host[:port]?from=kneecap@practice.example         plain (port 25)
    smtp+starttls://user:password@host:587?from=kneecap@practice.example     STARTTLS
    smtps://user:password@host:465?from=kneecap@practice.example             TLS from the start
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from kneecap.app.errors import BadInput

SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
TIMEOUT_S = 20


@dataclass(frozen=True)
class MailServer:
    scheme: str
    host: str
    port: int
    user: str | None
    password: str | None
    sender: str

    @classmethod
    def parse(cls, url: str) -> MailServer:
        """The server a `KNEECAP_SMTP_URL` names; BadInput saying what is wrong."""
        parts = urlsplit(url)
        if parts.scheme not in SCHEMES or not parts.hostname:
            raise BadInput(
                f"KNEECAP_SMTP_URL: give {', '.join(s + '://HOST' for s in SCHEMES)} "
                "with ?from=ADDRESS"
            )
        sender = parse_qs(parts.query).get("from", [""])[0]
        if "@" not in sender:
            raise BadInput("KNEECAP_SMTP_URL: say who the mail is from (?from=kneecap@example.org)")
        return cls(
            parts.scheme,
            parts.hostname,
            parts.port or SCHEMES[parts.scheme],
            unquote(parts.username) if parts.username else None,
            unquote(parts.password) if parts.password else None,
            sender,
        )

    def send(self, to: str, subject: str, body: str) -> None:
        """Send one plain-text message; BadInput with the server's reason when it fails."""
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        message.set_content(body)
        try:
            if self.scheme == "smtps":
                context = ssl.create_default_context()
                server: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=TIMEOUT_S, context=context
                )
            else:
                server = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_S)
            with server:
                if self.scheme == "smtp+starttls":
                    server.starttls(context=ssl.create_default_context())
                if self.user is not None:
                    server.login(self.user, self.password or "")
                server.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise BadInput(
                f"mail: could not send through {self.host}:{self.port}: {exc.__class__.__name__}"
                f" {str(exc)[:120]}"
            ) from None
