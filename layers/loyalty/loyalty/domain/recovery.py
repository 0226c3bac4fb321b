"""Pass recovery: an email already enrolled gets its pass by mail, never in the enroll answer.

Whoever types an email into the public enroll form learns only that a mail was sent; the pass (ids, progress,
wallet links, name) goes to the address itself as a link `<web>/pass/recover?token=<token>`. The token is random
(32 bytes); only its SHA-256 is stored, so a reader of the table cannot open links. A link works for 24 hours and
may be opened more than once in them (a customer may add the pass on two phones).
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from loyalty.domain.clock import parse_iso
from loyalty.domain.errors import Gone, NotFound

LINK_VALID_FOR = timedelta(hours=24)
# After its 24 h a link is still known (410, "ask again") for a week; then DynamoDB's TTL drops it (404).
LINK_REMEMBERED_FOR = timedelta(days=7)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,128}$")


class LinkNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("This link is not valid.", code="LINK_NOT_FOUND")


class LinkExpired(Gone):
    def __init__(self) -> None:
        super().__init__(
            "This link has expired. Enroll again with your email to get a new one.", code="LINK_EXPIRED"
        )


def token_digest(token: str) -> str:
    """What the table keeps of a token; a string that cannot be one of ours is LinkNotFound before any read."""
    if not _TOKEN.match(token):
        raise LinkNotFound()
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class RecoveryLink:
    token_digest: str
    customer_id: str
    offer_id: str
    business_id: str
    created_at: str

    def check_fresh(self, now: datetime) -> None:
        if now - parse_iso(self.created_at) > LINK_VALID_FOR:
            raise LinkExpired()


def recovery_url(web_base_url: str, token: str) -> str:
    return f"{web_base_url.rstrip('/')}/pass/recover?{urlencode({'token': token})}"


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str


_WORDS = {
    "en": {
        "subject": "Your {offer} card",
        "hello": "Hello {name},",
        "body": "You asked for your {offer} loyalty card. Open this link to add it to your wallet:",
        "note": "The link works for 24 hours. If you did not ask for it, ignore this mail: nothing changes.",
        "button": "Open my card",
    },
    "ar": {
        "subject": "بطاقتك {offer}",
        "hello": "مرحبًا {name}،",
        "body": "طلبت بطاقة الولاء {offer}. افتح هذا الرابط لإضافتها إلى محفظتك:",
        "note": "يعمل الرابط لمدة 24 ساعة. إن لم تطلبه فتجاهل هذه الرسالة: لن يتغير شيء.",
        "button": "افتح بطاقتي",
    },
}


def recovery_mail(to: str, name: str, offer_name: str, url: str, language: str) -> Mail:
    """The mail that carries a recovery link, in the customer's language (plain text and HTML alike)."""
    words = _WORDS.get(language, _WORDS["en"])
    subject = words["subject"].format(offer=offer_name)
    hello = words["hello"].format(name=name)
    body = words["body"].format(offer=offer_name)
    text = f"{hello}\n\n{body}\n{url}\n\n{words['note']}\n"
    direction = "rtl" if language == "ar" else "ltr"
    page = (
        f'<!doctype html><html lang="{language}" dir="{direction}"><body>'
        f"<p>{html.escape(hello)}</p><p>{html.escape(body)}</p>"
        f'<p><a href="{html.escape(url)}">{html.escape(words["button"])}</a></p>'
        f"<p>{html.escape(words['note'])}</p></body></html>"
    )
    return Mail(to=to, subject=subject, text=text, html=page)
