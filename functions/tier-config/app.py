"""Offers and their loyalty tiers (business dashboard): create, list and read offers; read, set and reset tiers.

Managers read; only owners write. Another business's offer answers 404 OFFER_NOT_FOUND, as a missing one does.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

import boto3
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from loyalty.adapters.dynamodb.offers import OfferStore
from loyalty.app.offers import create_offer, find_offer, list_offers, reset_tier_config, set_tier_config
from loyalty.domain.clock import utc_now
from loyalty.entrypoints.http.api import json_response, lambda_entry, new_api
from loyalty.entrypoints.http.auth import Principal, Role, current_principal
from loyalty.entrypoints.http.contract import (
    Offer,
    OfferDraft,
    OfferId,
    OfferPage,
    TierConfigDraft,
    TiersInForce,
    failure,
    ok,
    responses,
)
from loyalty.settings import get_settings

app = new_api()
TAGS = ["Offers and tiers"]
NO_OFFER = (404, failure(404, "No such offer, or another business's (OFFER_NOT_FOUND)"))


@cache
def offer_store() -> OfferStore:
    return OfferStore(boto3.client("dynamodb"), get_settings().table_name)


def _caller(*allowed: Role) -> Principal:
    return current_principal(app).require(*allowed)


@app.post(
    "/api/offers",
    summary="Create an offer (owner)",
    operation_id="createOffer",
    tags=TAGS,
    responses=responses({201: ok(Offer, "The new offer")}, 400, 401, 403, 413, 422),
)
def create(draft: Annotated[OfferDraft, Body()]) -> Response[Any]:
    owner = _caller(Role.OWNER)
    offer = create_offer(offer_store(), owner.business_id, draft.model_dump(), clock=utc_now)
    return json_response(201, offer.as_dict())


@app.get(
    "/api/offers",
    summary="The business's offers, newest first",
    operation_id="listOffers",
    tags=TAGS,
    responses=responses(
        {200: ok(OfferPage, "One page of offers")},
        401,
        403,
        (422, failure(422, "`limit` out of 1..100, or a cursor this listing did not hand out")),
    ),
)
def list_business_offers(
    limit: Annotated[int, Query(ge=1, le=100, description="offers per page")] = 50,
    cursor: Annotated[
        str | None, Query(max_length=512, description="`nextCursor` of the previous page")
    ] = None,
) -> dict[str, Any]:
    reader = _caller(Role.MANAGER)
    page = list_offers(offer_store(), reader.business_id, limit=limit, cursor=cursor)
    return {"offers": [offer.as_dict() for offer in page.offers], "nextCursor": page.next_cursor}


@app.get(
    "/api/offers/<offerId>",
    summary="One offer with the tiers in force",
    operation_id="getOffer",
    tags=TAGS,
    responses=responses({200: ok(Offer, "The offer")}, 401, 403, NO_OFFER),
)
def read(offerId: OfferId) -> dict[str, Any]:
    reader = _caller(Role.MANAGER)
    return find_offer(offer_store(), reader.business_id, offerId).as_dict()


@app.get(
    "/api/offers/<offerId>/loyalty-tiers",
    summary="The tier ladder in force",
    operation_id="getLoyaltyTiers",
    tags=TAGS,
    responses=responses({200: ok(TiersInForce, "The ladder in force")}, 401, 403, NO_OFFER),
)
def read_tiers(offerId: OfferId) -> dict[str, Any]:
    reader = _caller(Role.MANAGER)
    return find_offer(offer_store(), reader.business_id, offerId).tiers_in_force()


@app.put(
    "/api/offers/<offerId>/loyalty-tiers",
    summary="Set custom tiers (owner)",
    operation_id="setLoyaltyTiers",
    tags=TAGS,
    responses=responses(
        {200: ok(TiersInForce, "The ladder now in force")}, 400, 401, 403, NO_OFFER, 413, 422
    ),
)
def set_tiers(offerId: OfferId, config: Annotated[TierConfigDraft, Body()]) -> dict[str, Any]:
    owner = _caller(Role.OWNER)
    offer = set_tier_config(offer_store(), owner.business_id, offerId, config.model_dump(), clock=utc_now)
    return offer.tiers_in_force()


@app.delete(
    "/api/offers/<offerId>/loyalty-tiers",
    summary="Back to the default tiers (owner)",
    operation_id="resetLoyaltyTiers",
    tags=TAGS,
    responses=responses({200: ok(TiersInForce, "The default ladder, now in force")}, 401, 403, NO_OFFER),
)
def reset_tiers(offerId: OfferId) -> dict[str, Any]:
    owner = _caller(Role.OWNER)
    return reset_tier_config(offer_store(), owner.business_id, offerId, clock=utc_now).tiers_in_force()


handler = lambda_entry(app)
