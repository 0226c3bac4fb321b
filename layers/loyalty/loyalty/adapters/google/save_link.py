"""The "Save to Google Wallet" link handed out with a new pass.

The JWT carries only the object's id and class id (as Google's own samples give an existing object): the class and
object are inserted through the API before the link is handed out (`ensure_google_wallet_pass`, and again by the
wallet sync from the table's stream, idempotently), which keeps the link short (links over ~1800 characters get
cut) and its content in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import jwt

from loyalty.adapters.google.objects import class_id, object_id
from loyalty.adapters.google.service_account import ServiceAccount
from loyalty.domain.clock import Clock, utc_now


def save_jwt(account: ServiceAccount, wallet_object_id: str, wallet_class_id: str, now: datetime) -> str:
    claims = {
        "iss": account.client_email,
        "aud": "google",
        "typ": "savetowallet",
        "iat": int(now.timestamp()),
        "origins": [],
        "payload": {"loyaltyObjects": [{"id": wallet_object_id, "classId": wallet_class_id}]},
    }
    headers = {"kid": account.private_key_id} if account.private_key_id else None
    return jwt.encode(claims, account.private_key, algorithm="RS256", headers=headers)


class GoogleWalletLinks:
    """What the enroll answer uses for `wallet.googleWalletSaveUrl` (no network call but the cached key)."""

    def __init__(
        self,
        issuer_id: str,
        service_account: Callable[[], ServiceAccount],
        save_url_prefix: str,
        clock: Clock = utc_now,
    ) -> None:
        self._issuer_id = issuer_id
        self._service_account = service_account
        self._prefix = save_url_prefix
        self._clock = clock

    def save_url(self, customer_id: str, offer_id: str) -> str:
        token = save_jwt(
            self._service_account(),
            object_id(self._issuer_id, customer_id, offer_id),
            class_id(self._issuer_id, offer_id),
            self._clock(),
        )
        return f"{self._prefix}{token}"
