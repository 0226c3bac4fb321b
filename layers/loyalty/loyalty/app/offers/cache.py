"""Offers as the scanner's hot path reads them: kept for a short while per container, so that a scan reads
nothing before its one write. An edit reaches every container within `max_age` seconds (docs/decisions/0012)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from loyalty.domain.offers import Offer

OfferRead = Callable[[str], Offer | None]


@dataclass
class _Kept:
    offer: Offer | None
    until: float


class CachedOffers:
    """An `OfferLookup`: each offer read at most once per `max_age` seconds (an unknown one too)."""

    def __init__(
        self,
        read: OfferRead,
        max_age: float,
        monotonic: Callable[[], float] = time.monotonic,
        size: int = 256,
    ) -> None:
        self._read = read
        self._max_age = max_age
        self._monotonic = monotonic
        self._size = size
        self._kept: dict[str, _Kept] = {}
        self.reads = 0

    def __call__(self, offer_id: str) -> Offer | None:
        now = self._monotonic()
        kept = self._kept.get(offer_id)
        if kept is not None and now < kept.until:
            return kept.offer
        self.reads += 1
        offer = self._read(offer_id)
        if len(self._kept) >= self._size:
            self._kept.pop(next(iter(self._kept)))
        self._kept[offer_id] = _Kept(offer, now + self._max_age)
        return offer
