"""Marketing consent: whether a customer wants offers and news on their card, changeable from the card itself.

The pass's back links to `<web>/pass/preferences?customerId=…&offerId=…&token=…`. The token is derived from the
pass's own secret (the authentication token the pass already carries for Apple's web service) by SHA-256 under a
purpose label, so the link reveals nothing the pass does not hold, opens only this pass's preferences, and is
checked in constant time. Erasing the customer ends the pass and so the link."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from urllib.parse import urlencode

from loyalty.domain.errors import NotFound
from loyalty.domain.passes import Pass

_PURPOSE = b"loyalty:marketing-consent:v1|"
TOKEN_LENGTH = 32
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


class PreferencesLinkNotFound(NotFound):
    """A preferences link that names no pass, or not with this token: one answer for both (nothing to probe)."""

    def __init__(self) -> None:
        super().__init__("This link is not valid.", code="LINK_NOT_FOUND")


def preferences_token(pass_: Pass) -> str:
    digest = hashlib.sha256(
        _PURPOSE + f"{pass_.customer_id}|{pass_.offer_id}|{pass_.auth_token}".encode()
    ).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:TOKEN_LENGTH]


def is_preferences_token(pass_: Pass, token: str) -> bool:
    return bool(_TOKEN.match(token)) and hmac.compare_digest(preferences_token(pass_), token)


def preferences_url(web_base_url: str, pass_: Pass) -> str:
    query = urlencode(
        {"customerId": pass_.customer_id, "offerId": pass_.offer_id, "token": preferences_token(pass_)}
    )
    return f"{web_base_url.rstrip('/')}/pass/preferences?{query}"
