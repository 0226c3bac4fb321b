"""Offers as the scanner's hot path reads them: kept for a short while per container, so that a scan reads
nothing before its one write. An edit reaches every container within `max_age` seconds (docs/decisions/0012)."""

from __future__ import annotations

from collections.abc import Callable

from loyalty.app.kept import KeptFor
from loyalty.domain.offers import Offer

OfferRead = Callable[[str], Offer | None]


class CachedOffers(KeptFor[Offer | None]):
    """An `OfferLookup`: each offer read at most once per `max_age` seconds (an unknown one too)."""

    def __call__(self, offer_id: str) -> Offer | None:
        offer, _ = self.get(offer_id, self.monotonic())
        return offer
