"""Offers as the scanner's hot path reads them: kept for a short while per container, so that a scan reads
nothing before its one write. An edit reaches every container within `max_age` seconds (docs/decisions/0012)."""

from __future__ import annotations

import time
from collections.abc import Callable

from loyalty.app.kept import KeptFor
from loyalty.domain.offers import Offer

OfferRead = Callable[[str], Offer | None]


class CachedOffers:
    """An `OfferLookup`: each offer read at most once per `max_age` seconds (an unknown one too)."""

    def __init__(
        self,
        read: OfferRead,
        max_age: float,
        monotonic: Callable[[], float] = time.monotonic,
        size: int = 256,
    ) -> None:
        self._kept = KeptFor(read, max_age, monotonic, size)

    @property
    def reads(self) -> int:
        return self._kept.reads

    def __call__(self, offer_id: str) -> Offer | None:
        offer, _ = self._kept.get(offer_id, self._kept.monotonic())
        return offer
