"""The link that adds a pass to Apple Wallet (the enroll answer's `wallet.appleWalletUrl`).

`GET <webServiceURL>/download/{customerId}/{offerId}?token=<download token>`. The download token is derived
from the pass's own authentication token (HMAC-SHA256 keyed by it), so it cannot be guessed from the ids, needs
no secret of ours beyond the pass, and keeps the web-service credential itself out of URLs and access logs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote, urlencode

DOWNLOAD_PATH = "download"
_PURPOSE = b"apple-wallet-download/v1"


def download_token(auth_token: str) -> str:
    digest = hmac.new(auth_token.encode(), _PURPOSE, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def is_download_token(auth_token: str, presented: str | None) -> bool:
    return presented is not None and hmac.compare_digest(
        download_token(auth_token).encode(), presented.encode()
    )


def apple_wallet_url(web_service_url: str, customer_id: str, offer_id: str, auth_token: str) -> str:
    base = web_service_url.rstrip("/")
    path = f"{DOWNLOAD_PATH}/{quote(customer_id, safe='')}/{quote(offer_id, safe='')}"
    return f"{base}/{path}?{urlencode({'token': download_token(auth_token)})}"
