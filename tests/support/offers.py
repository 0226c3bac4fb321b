"""The offer use cases as the HTTP edge calls them, for tests that hold plain bodies: each body parsed by the
domain's parser (as the request models do, once) into the use case's command."""

from __future__ import annotations

from typing import Any

from loyalty.app.offers import catalog
from loyalty.app.offers.commands import CreateOffer, SetTiers
from loyalty.app.ports.offers import OfferStore
from loyalty.domain.clock import Clock
from loyalty.domain.offers import Offer, parse_offer_terms
from loyalty.domain.tiers import parse_tier_config


def create_offer(
    offers: OfferStore, business_id: str, body: object, *, clock: Clock, **options: Any
) -> Offer:
    return catalog.create_offer(
        offers, CreateOffer(business_id, parse_offer_terms(body)), clock=clock, **options
    )


def set_tier_config(
    offers: OfferStore, business_id: str, offer_id: str, body: object, *, clock: Clock
) -> Offer:
    return catalog.set_tier_config(
        offers, SetTiers(business_id, offer_id, parse_tier_config(body)), clock=clock
    )


def reset_tier_config(offers: OfferStore, business_id: str, offer_id: str, *, clock: Clock) -> Offer:
    return catalog.set_tier_config(offers, SetTiers(business_id, offer_id, None), clock=clock)
