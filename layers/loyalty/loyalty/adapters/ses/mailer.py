"""Mail through Amazon SES (API v2). One MIME message with a plain-text and an HTML part, sent raw so both
reach the customer exactly as built; the recipient's address never reaches our logs unmasked."""

from __future__ import annotations

import re
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from aws_lambda_powertools import Logger
from botocore.exceptions import ClientError

from loyalty.app.ports.customers import AddressRefused
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


_ASCII = re.compile(r"[\x21-\x7e]+")


class MailNotSent(RuntimeError):
    """SES refused or failed a mail. Its message names the recipient masked: SES's own error text may carry
    the address, and this error ends up in the logs."""


class SesMailer:
    def __init__(self, client: Any, sender: str) -> None:
        if "@" not in sender:
            raise ValueError("MAIL_FROM_ADDRESS must be an email address SES may send from")
        self.client = client
        self.sender = sender

    def send(self, mail: Mail) -> None:
        try:
            answer = self.client.send_email(
                FromEmailAddress=self.sender,
                Destination={"ToAddresses": [mail.to]},
                Content={"Raw": {"Data": mime_message(self.sender, mail)}},
            )
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "unknown")
            if code == "InvalidParameterValue" and _ASCII.fullmatch(self.sender):
                # SES v2 SendEmail: an address it cannot take is InvalidParameterValue (Amazon SES Developer
                # Guide, "Email address format": the local part must be 7-bit ASCII); our sender is plain ASCII,
                # so the address at fault is the recipient's.
                raise AddressRefused(f"SES refused the address {mask_email(mail.to)} ({code})") from None
            raise MailNotSent(f"SES did not send the mail to {mask_email(mail.to)} ({code})") from None
        logger.info("mail sent", extra={"to": mask_email(mail.to), "messageId": answer.get("MessageId")})
