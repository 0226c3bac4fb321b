"""Whether a pass's Google object is saved in someone's wallet, read from the object itself: the LoyaltyObject's
`hasUsers`, "Indicates if the object has users. This field is set by the platform" (walletobjects v1 reference,
https://developers.google.com/wallet/reference/rest/v1/loyaltyobject). For the objects saved before Google's
save/delete callbacks were subscribed (adapters/dynamodb/google_saves_backfill.py); one GET an object, spaced so
that a long run stays a trickle against the issuer's API quota."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from loyalty.adapters.google.client import WalletObjectsClient, WalletResourceNotFound
from loyalty.adapters.google.objects import object_id
from loyalty.app.ports.wallets import PassAddress

DEFAULT_READS_PER_SECOND = 5.0


class GoogleObjectUsers:
    def __init__(
        self,
        client: WalletObjectsClient,
        issuer_id: str,
        reads_per_second: float = DEFAULT_READS_PER_SECOND,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._issuer_id = issuer_id
        self._gap = 1.0 / reads_per_second if reads_per_second > 0 else 0.0
        self._sleep = sleep
        self._clock = clock
        self._next_at = 0.0
        self._lock = threading.Lock()
        self.reads = 0

    def has_users(self, address: PassAddress) -> bool | None:
        """True when the object is saved by a holder, False when not, None when Google has no such object.
        Raises `GoogleWalletUnavailable` when Google does not answer (the pass is left to the next run)."""
        with self._lock:
            wait = self._next_at - self._clock()
            if wait > 0:
                self._sleep(wait)
            self._next_at = self._clock() + self._gap
            self.reads += 1
        try:
            found = self._client.get_object(object_id(self._issuer_id, address.customer_id, address.offer_id))
        except WalletResourceNotFound:
            return None
        return found.get("hasUsers") is True
