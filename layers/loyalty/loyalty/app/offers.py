"""A business's offers and their tier ladders: create, list, read, and change the ladder.

Callers have already checked the role; these functions keep every business inside its own offers. An offer of
another business is answered exactly as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable

from loyalty.app.ports import OfferPage, OfferStore
from loyalty.domain.clock import Clock, to_iso
from loyalty.domain.ids import is_id, new_id
from loyalty.domain.offers import Offer, OfferNotFound, parse_offer_terms
from loyalty.domain.tiers import parse_tier_config


def create_offer(
    offers: OfferStore,
    business_id: str,
    body: object,
    *,
    clock: Clock,
    new_offer_id: Callable[[], str] = lambda: new_id("off"),
) -> Offer:
    terms = parse_offer_terms(body)
    offer = Offer(
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
    offers.add(offer)
    return offer


def list_offers(offers: OfferStore, business_id: str, *, limit: int, cursor: str | None) -> OfferPage:
    return offers.list_for_business(business_id, limit=limit, cursor=cursor)


def find_offer(offers: OfferStore, business_id: str, offer_id: str) -> Offer:
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
