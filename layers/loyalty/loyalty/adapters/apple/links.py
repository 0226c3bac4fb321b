"""The link that adds a pass to Apple Wallet (the enroll and recovery answers' `wallet.appleWalletUrl`).

`GET <webServiceURL>/download/{customerId}/{offerId}?expires=<epoch>&token=<download token>`. The download brings
the `.pkpass`, and the pass carries its web-service token (`authenticationToken`), so a link that worked forever
would be a bearer of that token: whoever found it in a browser history, a shared screenshot or a proxy log could
register devices on the pass. The link therefore works for an hour only: its token is an HMAC-SHA256, keyed by
the pass's own authentication token, of the pass and the moment the link expires. It cannot be guessed from the
ids, needs no secret beyond the pass, cannot be stretched (changing `expires` breaks the HMAC), and the
web-service token itself never appears in a URL. A customer who comes back later gets a fresh link by mail.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from urllib.parse import quote, urlencode

DOWNLOAD_PATH = "download"
DOWNLOAD_LINK_SECONDS = 3600
_PURPOSE = "apple-wallet-download/v2"


def download_token(auth_token: str, customer_id: str, offer_id: str, expires: int) -> str:
    message = f"{_PURPOSE}|{customer_id}|{offer_id}|{expires}".encode()
    digest = hmac.new(auth_token.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def is_download_token(
    auth_token: str,
    customer_id: str,
    offer_id: str,
    expires: str | None,
    presented: str | None,
    now: datetime,
) -> bool:
    """True for a link this pass was given that has not expired yet."""
    if presented is None or expires is None or not expires.isascii() or not expires.isdigit():
        return False
    if len(expires) > 12 or int(expires) < now.timestamp():
        return False
    expected = download_token(auth_token, customer_id, offer_id, int(expires))
    return hmac.compare_digest(expected.encode(), presented.encode())


def apple_wallet_url(
    web_service_url: str, customer_id: str, offer_id: str, auth_token: str, now: datetime
) -> str:
    base = web_service_url.rstrip("/")
    path = f"{DOWNLOAD_PATH}/{quote(customer_id, safe='')}/{quote(offer_id, safe='')}"
    expires = int(now.timestamp()) + DOWNLOAD_LINK_SECONDS
    token = download_token(auth_token, customer_id, offer_id, expires)
    return f"{base}/{path}?{urlencode({'expires': expires, 'token': token})}"
