"""The one-time code e-mail, worded in the requester's language, sent through the organisation's SMTP server."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from governance.errors import GovernanceError
from governance.web.config import SmtpConfig

TEMPLATE = "web/privacy/code_email.txt.j2"


def send_code(smtp: SmtpConfig, env, to: str, code: str, org_name: str, ttl_minutes: int) -> None:
    """Send ``code`` to ``to``; a mail server that refuses or cannot be reached raises :class:`GovernanceError`."""
    body = env.get_template(TEMPLATE).render(code=code, org=org_name, minutes=ttl_minutes)
    subject, _, text = body.partition("\n\n")
    message = EmailMessage()
    message["From"] = smtp.sender
    message["To"] = to
    message["Subject"] = subject.strip()
    message["Message-ID"] = make_msgid(domain=smtp.sender.rpartition("@")[2] or "localhost")
    message.set_content(text)
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=20) as client:
            if smtp.starttls:
                client.starttls(context=ssl.create_default_context())
            if smtp.user:
                client.login(smtp.user, smtp.password or "")
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        # the exception text may quote the address; name only its kind
        raise GovernanceError(f"the mail server did not accept the code e-mail ({exc.__class__.__name__})",
                              where=f"smtp://{smtp.host}:{smtp.port}") from None
