"""A business's offers and their tier ladders: create, list, read, and change the ladder.

Callers have already checked the role; these functions keep every business inside its own offers. An offer of
another business is answered exactly as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable

from loyalty.app.idempotency import IdempotentRequest, StoredAnswer
from loyalty.app.ports.offers import OfferPage, OfferSource, OfferStore
from loyalty.domain.clock import Clock, to_iso
from loyalty.domain.ids import is_id, new_id
from loyalty.domain.offers import Offer, OfferNotFound, parse_offer_edit, parse_offer_terms
from loyalty.domain.tiers import parse_tier_config


def create_offer(
    offers: OfferStore,
    business_id: str,
    body: object,
    *,
    clock: Clock,
    new_offer_id: Callable[[], str] = lambda: new_id("off"),
) -> Offer:
    offer = _new_offer(business_id, body, clock, new_offer_id)
    offers.add(offer)
    return offer


def _new_offer(business_id: str, body: object, clock: Clock, new_offer_id: Callable[[], str]) -> Offer:
    terms = parse_offer_terms(body)
    return Offer(
        offer_id=new_offer_id(),
        business_id=business_id,
        name=terms.name,
        name_ar=terms.name_ar,
        stamps_required=terms.stamps_required,
        reward_description=terms.reward_description,
        reward_description_ar=terms.reward_description_ar,
        loyalty_tiers=terms.loyalty_tiers,
        created_at=to_iso(clock()),
    )


def create_offer_once(
    offers: OfferStore,
    business_id: str,
    body: object,
    *,
    clock: Clock,
    idempotency_key: str | None,
    ttl_hours: int,
    new_offer_id: Callable[[], str] = lambda: new_id("off"),
) -> StoredAnswer:
    """Create an offer; under an Idempotency-Key a retry of the same body gets the first 201 again (one offer),
    and the key with another body is 422 IDEMPOTENCY_KEY_REUSED. An invalid body is refused before the key is
    used, so the same key may carry the corrected body."""
    if idempotency_key is None:
        return StoredAnswer(
            201, create_offer(offers, business_id, body, clock=clock, new_offer_id=new_offer_id).as_dict()
        )
    request = IdempotentRequest.of(business_id, idempotency_key, "create-offer", body)
    stored = offers.stored_answer(request)
    if stored is not None:
        return stored
    offer = _new_offer(business_id, body, clock, new_offer_id)
    answer = StoredAnswer(201, offer.as_dict())
    return offers.add_answering(offer, request, answer, at=offer.created_at, ttl_hours=ttl_hours)


def edit_offer(offers: OfferStore, business_id: str, offer_id: str, body: object, *, clock: Clock) -> Offer:
    """PATCH an offer. A new stampsRequired reaches each pass at the start of its next cycle (the pass keeps the
    requirement its cycle began with); text changes reach the wallets through the stream (wallet_sync)."""
    if not is_id(offer_id, "off"):
        raise OfferNotFound()
    edit = parse_offer_edit(body)
    return offers.edit(offer_id, business_id, edit, at=to_iso(clock()))


def list_offers(offers: OfferStore, business_id: str, *, limit: int, cursor: str | None) -> OfferPage:
    return offers.list_for_business(business_id, limit=limit, cursor=cursor)


def find_offer(offers: OfferSource, business_id: str, offer_id: str) -> Offer:
    if not is_id(offer_id, "off"):
        raise OfferNotFound()
    offer = offers.get(offer_id)
    if offer is None or offer.business_id != business_id:
        raise OfferNotFound()
    return offer


def set_tier_config(
    offers: OfferStore, business_id: str, offer_id: str, body: object, *, clock: Clock
) -> Offer:
    """Replace the offer's ladder. Every customer is re-ranked at once: tiers are derived, never stored."""
    if not is_id(offer_id, "off"):
        raise OfferNotFound()
    config = parse_tier_config(body)
    return offers.set_tiers(offer_id, business_id, config, at=to_iso(clock()))


def reset_tier_config(offers: OfferStore, business_id: str, offer_id: str, *, clock: Clock) -> Offer:
    """Back to the default ladder."""
    if not is_id(offer_id, "off"):
        raise OfferNotFound()
    return offers.set_tiers(offer_id, business_id, None, at=to_iso(clock()))
