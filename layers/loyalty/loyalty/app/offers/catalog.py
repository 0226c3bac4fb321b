"""A business's offers and their tier ladders: create, list, read, and change the ladder.

Callers have already checked the role; these functions keep every business inside its own offers. An offer of
another business is answered exactly as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

from loyalty.app.idempotency import IdempotentRequest, Replayed
from loyalty.app.offers.commands import CreateOffer, EditOffer, SetTiers
from loyalty.app.ports.offers import OfferAnswer, OfferSource, OffersRead, OfferStore
from loyalty.domain.clock import Clock, to_iso
from loyalty.domain.ids import is_id, new_id
from loyalty.domain.offers import Offer, OfferNotFound


def create_offer(
    offers: OfferStore,
    command: CreateOffer,
    *,
    clock: Clock,
    new_offer_id: Callable[[], str] = lambda: new_id("off"),
) -> Offer:
    offer = _new_offer(command, clock, new_offer_id)
    offers.add(offer)
    return offer


def _new_offer(command: CreateOffer, clock: Clock, new_offer_id: Callable[[], str]) -> Offer:
    terms = command.terms
    return Offer(
        offer_id=new_offer_id(),
        business_id=command.business_id,
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
    command: CreateOffer,
    render: OfferAnswer,
    *,
    clock: Clock,
    ttl_hours: int,
    new_offer_id: Callable[[], str] = lambda: new_id("off"),
) -> Offer | Replayed:
    """Create an offer; under an Idempotency-Key a retry of the same terms gets the first 201 again (one offer),
    and the key with other terms is 422 IDEMPOTENCY_KEY_REUSED. An invalid body never becomes a command, so the
    same key may carry the corrected body."""
    if command.idempotency_key is None:
        return create_offer(offers, command, clock=clock, new_offer_id=new_offer_id)
    request = IdempotentRequest.of(
        command.business_id, command.idempotency_key, "create-offer", asdict(command.terms)
    )
    stored = offers.stored_answer(request)
    if stored is not None:
        return Replayed(stored)
    offer = _new_offer(command, clock, new_offer_id)
    answer = render(offer)
    kept = offers.add_answering(offer, request, answer, at=offer.created_at, ttl_hours=ttl_hours)
    return offer if kept == answer else Replayed(kept)


def edit_offer(offers: OfferStore, command: EditOffer, *, clock: Clock) -> Offer:
    """PATCH an offer. A new stampsRequired reaches each pass at the start of its next cycle (the pass keeps the
    requirement its cycle began with); text changes reach the wallets through the stream (wallet_sync)."""
    if not is_id(command.offer_id, "off"):
        raise OfferNotFound()
    return offers.edit(command.offer_id, command.business_id, command.edit, at=to_iso(clock()))


def list_offers(offers: OfferStore, business_id: str, *, limit: int, cursor: str | None) -> OffersRead:
    return offers.list_for_business(business_id, limit=limit, cursor=cursor)


def find_offer(offers: OfferSource, business_id: str, offer_id: str) -> Offer:
    if not is_id(offer_id, "off"):
        raise OfferNotFound()
    offer = offers.get(offer_id)
    if offer is None or offer.business_id != business_id:
        raise OfferNotFound()
    return offer


def set_tier_config(offers: OfferStore, command: SetTiers, *, clock: Clock) -> Offer:
    """Replace the offer's ladder, or (None) go back to the default one. Every customer is re-ranked at once:
    tiers are derived, never stored."""
    if not is_id(command.offer_id, "off"):
        raise OfferNotFound()
    return offers.set_tiers(command.offer_id, command.business_id, command.config, at=to_iso(clock()))
