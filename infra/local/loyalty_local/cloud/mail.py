"""Amazon SES, locally: moto's SES takes the mail the functions send, and `GET /_local/mail?to=<email>` lists it
(`{"messages": [{"to", "subject", "text", "html", "sentAt"}]}`, newest first) so a developer or a test can open
a recovery link without a mailbox. Local stack only: nothing of it is in template.yaml."""

from __future__ import annotations

import contextlib
import email
import email.policy
import email.utils
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.ses.models import RawMessage, ses_backends

from loyalty.domain.customers import canonical_email

if TYPE_CHECKING:
    from loyalty_local.cloud.stack import LocalStack

MAIL_PAGE = "/_local/mail"
SENDER = "loyalty@mail.localhost"


def _part(message: EmailMessage, subtype: str) -> str:
    body = message.get_body(preferencelist=(subtype,))
    return str(body.get_content()) if body is not None and body.get_content_subtype() == subtype else ""


def _listing(raw: RawMessage) -> dict[str, Any]:
    message = email.message_from_string(raw.raw_data, policy=email.policy.default)
    if not isinstance(message, EmailMessage):
        raise TypeError("the default policy parses into an EmailMessage")
    to = ", ".join(address for _, address in getaddresses(message.get_all("To", [])))
    sent = parsedate_to_datetime(str(message["Date"])) if message["Date"] else datetime.now(UTC)
    return {
        "to": to,
        "subject": str(message["Subject"] or ""),
        "text": _part(message, "plain"),
        "html": _part(message, "html"),
        "sentAt": sent.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def send_local_mail(ses: Any, sender: str, to: str, subject: str, text: str) -> None:
    """A plain-text mail through (moto's) SES, as the stack's own services send theirs (Cognito's codes)."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Date"] = email.utils.format_datetime(datetime.now(UTC))
    message.set_content(text)
    ses.send_email(
        FromEmailAddress=sender,
        Destination={"ToAddresses": [to]},
        Content={"Raw": {"Data": message.as_bytes()}},
    )


@dataclass
class LocalMail:
    region: str

    def messages(self, to: str | None) -> list[dict[str, Any]]:
        """What SES sent (to `to` when given, compared as emails are), newest first."""
        sent = ses_backends[DEFAULT_ACCOUNT_ID][self.region].sent_messages
        listed = [_listing(raw) for raw in sent if isinstance(raw, RawMessage)]
        if to:
            wanted = canonical_email(to)
            listed = [m for m in listed if wanted in (canonical_email(a) for a in m["to"].split(","))]
        return list(reversed(listed))

    def page(self, query: dict[str, str]) -> tuple[int, Any]:
        return 200, {"messages": self.messages(query.get("to"))}

    def stop(self) -> None:
        return


def start(stack: LocalStack) -> LocalMail:
    """The stack add-on: the sender verified in moto's SES, the functions pointed at it and at the web apps'
    origin (the gateway's), and `/_local/mail` served by the gateway."""
    from loyalty_local.cloud.stack import REGION

    ses = stack.client("sesv2")
    # A second stack in this process (tests) shares moto's backends with the first.
    with contextlib.suppress(ses.exceptions.AlreadyExistsException):
        ses.create_email_identity(EmailIdentity=SENDER)
    overrides = {"MAIL_FROM_ADDRESS": SENDER, "PUBLIC_WEB_BASE_URL": stack.base_url}
    stack.config.overrides.update({k: v for k, v in overrides.items() if k not in stack.config.overrides})
    mail = LocalMail(REGION)
    if stack.gateway is None:
        raise RuntimeError("the gateway starts before the add-ons")
    stack.gateway.local_pages[MAIL_PAGE] = mail.page
    return mail
