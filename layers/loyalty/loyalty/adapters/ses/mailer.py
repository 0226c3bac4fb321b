"""Mail through Amazon SES (API v2). One MIME message with a plain-text and an HTML part, sent raw so both
reach the customer exactly as built; the recipient's address never reaches our logs unmasked."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from aws_lambda_powertools import Logger

from loyalty.domain.privacy import mask_email
from loyalty.domain.recovery import Mail

logger = Logger(child=True)


def mime_message(sender: str, mail: Mail) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    return message.as_bytes()


class SesMailer:
    def __init__(self, client: Any, sender: str) -> None:
        if "@" not in sender:
            raise ValueError("MAIL_FROM_ADDRESS must be an email address SES may send from")
        self.client = client
        self.sender = sender

    def send(self, mail: Mail) -> None:
        answer = self.client.send_email(
            FromEmailAddress=self.sender,
            Destination={"ToAddresses": [mail.to]},
            Content={"Raw": {"Data": mime_message(self.sender, mail)}},
        )
        logger.info("mail sent", extra={"to": mask_email(mail.to), "messageId": answer.get("MessageId")})
