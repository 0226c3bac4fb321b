"""The recovery mail as SES gets it: one MIME message, text and HTML, and no unmasked address in a failure."""

from __future__ import annotations

import email
import email.policy
from typing import Any

import pytest
from botocore.exceptions import ClientError

from loyalty.adapters.ses.mailer import MailNotSent, SesMailer
from loyalty.domain.recovery import recovery_mail

MAIL = recovery_mail(
    "jane.doe@example.com", "Jane", "Coffee Card", "https://x.example/pass/recover?token=t", "en"
)


class Ses:
    def __init__(self, error: ClientError | None = None) -> None:
        self.sent: list[dict[str, Any]] = []
        self.error = error

    def send_email(self, **request: Any) -> dict[str, str]:
        if self.error:
            raise self.error
        self.sent.append(request)
        return {"MessageId": "m-1"}


def test_one_message_with_a_text_and_an_html_part() -> None:
    ses = Ses()
    SesMailer(ses, "loyalty@example.com").send(MAIL)
    [request] = ses.sent
    assert request["FromEmailAddress"] == "loyalty@example.com"
    assert request["Destination"] == {"ToAddresses": ["jane.doe@example.com"]}
    message = email.message_from_bytes(request["Content"]["Raw"]["Data"], policy=email.policy.default)
    assert message["Subject"] == "Your Coffee Card card"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "https://x.example/pass/recover?token=t" in text
    assert 'href="https://x.example/pass/recover?token=t"' in html


def test_a_refusal_names_the_recipient_masked_only() -> None:
    refusal = ClientError(
        {"Error": {"Code": "MessageRejected", "Message": "Address blacklisted: jane.doe@example.com"}},
        "SendEmail",
    )
    with pytest.raises(MailNotSent) as failed:
        SesMailer(Ses(refusal), "loyalty@example.com").send(MAIL)
    assert "jane.doe@example.com" not in str(failed.value)
    assert failed.value.__cause__ is None and failed.value.__suppress_context__
    assert "MessageRejected" in str(failed.value)
