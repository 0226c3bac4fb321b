"""An offer's loyalty tiers (business dashboard): read, set and reset them. The other offer routes are the offers
function's.

Managers read; only owners write. Another business's offer answers 404 OFFER_NOT_FOUND, as a missing one does.
"""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body

from loyalty.app.offers.catalog import (
    find_offer,
    set_tier_config,
)
from loyalty.app.offers.commands import SetTiers
from loyalty.bootstrap import offer_store
from loyalty.domain.clock import utc_now
from loyalty.entrypoints.http.api import lambda_entry, new_api
from loyalty.entrypoints.http.auth import Principal, Role, current_principal
from loyalty.entrypoints.http.contract import TierConfigDraft, TiersInForce
from loyalty.entrypoints.http.params import OfferId
from loyalty.entrypoints.http.render import tiers_in_force_answer
from loyalty.entrypoints.http.wire import offer_read_responses, offer_write_responses, ok

app = new_api()
TAGS = ["Offers and tiers"]


def _caller(*allowed: Role) -> Principal:
    return current_principal(app).require(*allowed)


@app.get(
    "/api/offers/<offerId>/loyalty-tiers",
    summary="The tier ladder in force",
    operation_id="getLoyaltyTiers",
    tags=TAGS,
    responses=offer_read_responses({200: ok(TiersInForce, "The ladder in force")}),
)
def read_tiers(offerId: OfferId) -> dict[str, Any]:
    reader = _caller(Role.MANAGER)
    return tiers_in_force_answer(find_offer(offer_store(), reader.business_id, offerId))


@app.put(
    "/api/offers/<offerId>/loyalty-tiers",
    summary="Set custom tiers (owner)",
    operation_id="setLoyaltyTiers",
    tags=TAGS,
    responses=offer_write_responses({200: ok(TiersInForce, "The ladder now in force")}),
)
def set_tiers(offerId: OfferId, config: Annotated[TierConfigDraft, Body()]) -> dict[str, Any]:
    owner = _caller(Role.OWNER)
    offer = set_tier_config(offer_store(), SetTiers(owner.business_id, offerId, config.config), clock=utc_now)
    return tiers_in_force_answer(offer)


@app.delete(
    "/api/offers/<offerId>/loyalty-tiers",
    summary="Back to the default tiers (owner)",
    operation_id="resetLoyaltyTiers",
    tags=TAGS,
    responses=offer_read_responses({200: ok(TiersInForce, "The default ladder, now in force")}),
)
def reset_tiers(offerId: OfferId) -> dict[str, Any]:
    owner = _caller(Role.OWNER)
    offer = set_tier_config(offer_store(), SetTiers(owner.business_id, offerId, None), clock=utc_now)
    return tiers_in_force_answer(offer)


handler = lambda_entry(app)
