"""The scanner routes' offer cache: an offer is read once per max age, and an edit is seen once it has passed."""

from __future__ import annotations

from dataclasses import replace

from loyalty.app.offers.cache import CachedOffers
from loyalty.domain.offers import Offer
from tests.support.apple_passes import an_offer

OFFER = an_offer("biz_cachebusiness1", offer_id="off_cachedoffer001", stamps_required=8)


class Table:
    def __init__(self) -> None:
        self.offers = {OFFER.offer_id: OFFER}
        self.reads = 0

    def get(self, offer_id: str) -> Offer | None:
        self.reads += 1
        return self.offers.get(offer_id)


def test_an_offer_is_read_once_while_fresh_and_again_after_its_max_age() -> None:
    table, now = Table(), [100.0]
    offers = CachedOffers(table.get, max_age=30, monotonic=lambda: now[0])
    assert offers(OFFER.offer_id) == OFFER
    table.offers[OFFER.offer_id] = replace(OFFER, min_minutes_between_stamps=60)
    now[0] += 29.9
    assert offers(OFFER.offer_id) == OFFER  # the edit is not seen yet
    now[0] += 0.1
    assert offers(OFFER.offer_id).min_minutes_between_stamps == 60  # type: ignore[union-attr]
    assert table.reads == 2


def test_an_unknown_offer_is_remembered_as_unknown_and_max_age_zero_reads_every_time() -> None:
    table, now = Table(), [0.0]
    cached = CachedOffers(table.get, max_age=30, monotonic=lambda: now[0])
    assert cached("off_nosuchoffer01") is None
    assert cached("off_nosuchoffer01") is None
    assert table.reads == 1
    uncached = CachedOffers(table.get, max_age=0, monotonic=lambda: now[0])
    uncached(OFFER.offer_id)
    uncached(OFFER.offer_id)
    assert table.reads == 3


def test_the_cache_holds_a_bounded_number_of_offers() -> None:
    table = Table()
    offers = CachedOffers(table.get, max_age=30, size=3)
    for n in range(10):
        offers(f"off_many{n:010d}")
    assert len(offers._kept) == 3
