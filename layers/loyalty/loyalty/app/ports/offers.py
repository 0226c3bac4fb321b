"""Ports of the offers: the offer store, its pages and the hot path's offer lookup."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from loyalty.app.idempotency import IdempotentRequest, StoredAnswer
from loyalty.domain.offers import Offer, OfferChanges
from loyalty.domain.tiers import TierConfig

if TYPE_CHECKING:
    # wallet_refresh speaks these ports itself.
    pass


# An offer by id as a hot path reads it (None: no such offer); bootstrap gives a short-lived per-container cache.
OfferLookup = Callable[[str], Offer | None]


@dataclass(frozen=True)
class OffersRead:
    offers: list[Offer]
    next_cursor: str | None


class OfferSource(Protocol):
    def get(self, offer_id: str) -> Offer | None: ...


class OfferStore(OfferSource, Protocol):
    def add(self, offer: Offer) -> None: ...

    def list_for_business(self, business_id: str, *, limit: int, cursor: str | None = None) -> OffersRead: ...

    def set_tiers(self, offer_id: str, business_id: str, config: TierConfig | None, *, at: str) -> Offer:
        """Replace (None: remove) the ladder; OfferNotFound when missing or of another business."""
        ...

    def edit(self, offer_id: str, business_id: str, edit: OfferChanges, *, at: str) -> Offer:
        """Change only the fields the edit names; OfferNotFound when missing or of another business."""
        ...

    # Creation an Idempotency-Key makes safe to retry.
    def stored_answer(self, request: IdempotentRequest) -> StoredAnswer | None: ...

    def add_answering(
        self, offer: Offer, request: IdempotentRequest, answer: StoredAnswer, *, at: str, ttl_hours: int
    ) -> StoredAnswer: ...


# The contract's answer to a new offer, exactly as the HTTP edge sends it: what an Idempotency-Key on the create
# keeps, so that a retry gets the first 201 byte for byte.
OfferAnswer = Callable[[Offer], StoredAnswer]
