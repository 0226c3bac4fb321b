"""Offers and their loyalty tiers (business dashboard): create, list, read, edit and archive offers; read, set and
reset tiers.

Managers read; only owners write. Another business's offer answers 404 OFFER_NOT_FOUND, as a missing one does.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Annotated, Any

import boto3
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query

from loyalty.adapters.dynamodb.offers import OfferStore
from loyalty.app.offers import (
    create_offer_once,
    edit_offer,
    find_offer,
    list_offers,
    reset_tier_config,
    set_tier_config,
)
from loyalty.app.pass_preview import preview_pass
from loyalty.domain.clock import utc_now
from loyalty.domain.errors import MalformedRequest
from loyalty.entrypoints.http.api import idempotency_key, json_response, lambda_entry, new_api
from loyalty.entrypoints.http.auth import Principal, Role, current_principal
from loyalty.settings import get_settings

app = new_api()
TAGS = ["Offers and tiers"]


@cache
def offer_store() -> OfferStore:
    return OfferStore(boto3.client("dynamodb"), get_settings().table_name)


def _caller(*allowed: Role) -> Principal:
    return current_principal(app).require(*allowed)


def _json_body() -> object:
    """The body as JSON of any shape: the domain reports wrong shapes and types field by field (422)."""
    raw = app.current_event.decoded_body
    if not raw:
        raise MalformedRequest("A JSON body is required.")
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise MalformedRequest() from None


@app.post("/api/offers", summary="Create an offer (owner)", tags=TAGS)
def create() -> Response[Any]:
    owner = _caller(Role.OWNER)
    answer = create_offer_once(
        offer_store(),
        owner.business_id,
        _json_body(),
        clock=utc_now,
        idempotency_key=idempotency_key(app),
        ttl_hours=get_settings().idempotency_ttl_hours,
    )
    return json_response(answer.status, answer.body)


@app.get("/api/offers", summary="The business's offers, newest first", tags=TAGS)
def list_business_offers(
    limit: Annotated[int, Query(ge=1, le=100, description="offers per page")] = 50,
    cursor: Annotated[
        str | None, Query(max_length=512, description="`nextCursor` of the previous page")
    ] = None,
) -> dict[str, Any]:
    reader = _caller(Role.MANAGER)
    page = list_offers(offer_store(), reader.business_id, limit=limit, cursor=cursor)
    return {"offers": [offer.as_dict() for offer in page.offers], "nextCursor": page.next_cursor}


@app.get("/api/offers/<offerId>", summary="One offer with the tiers in force", tags=TAGS)
def read(offerId: str) -> dict[str, Any]:
    reader = _caller(Role.MANAGER)
    return find_offer(offer_store(), reader.business_id, offerId).as_dict()


@app.patch("/api/offers/<offerId>", summary="Edit or archive an offer (owner)", tags=TAGS)
def edit(offerId: str) -> dict[str, Any]:
    owner = _caller(Role.OWNER)
    return edit_offer(offer_store(), owner.business_id, offerId, _json_body(), clock=utc_now).as_dict()


@app.post("/api/offers/<offerId>/pass-preview", summary="What a wallet pass would show (owner)", tags=TAGS)
def pass_preview(offerId: str) -> dict[str, Any]:
    owner = _caller(Role.OWNER)
    return preview_pass(
        offer_store(),
        owner.business_id,
        offerId,
        _json_body(),
        clock=utc_now,
        inactivity_days=get_settings().pass_inactivity_expiration_days,
    )


@app.get("/api/offers/<offerId>/loyalty-tiers", summary="The tier ladder in force", tags=TAGS)
def read_tiers(offerId: str) -> dict[str, Any]:
    reader = _caller(Role.MANAGER)
    return find_offer(offer_store(), reader.business_id, offerId).tiers_in_force()


@app.put("/api/offers/<offerId>/loyalty-tiers", summary="Set custom tiers (owner)", tags=TAGS)
def set_tiers(offerId: str) -> dict[str, Any]:
    owner = _caller(Role.OWNER)
    offer = set_tier_config(offer_store(), owner.business_id, offerId, _json_body(), clock=utc_now)
    return offer.tiers_in_force()


@app.delete("/api/offers/<offerId>/loyalty-tiers", summary="Back to the default tiers (owner)", tags=TAGS)
def reset_tiers(offerId: str) -> dict[str, Any]:
    owner = _caller(Role.OWNER)
    return reset_tier_config(offer_store(), owner.business_id, offerId, clock=utc_now).tiers_in_force()


handler = lambda_entry(app)
