"""Campaigns of an offer (owner): send or schedule one, list them newest first, read one, and the size of an
audience before sending (GET /api/offers/{offerId}/campaign-audience, documented in docs/API.md)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from loyalty.bootstrap import campaign_desk
from loyalty.domain.campaigns import Audience, Segment
from loyalty.entrypoints.http.api import json_response, lambda_entry, new_api
from loyalty.entrypoints.http.auth import Role, current_principal
from loyalty.entrypoints.http.campaign_contract import (
    AudienceSize,
    CampaignAnswer,
    CampaignDraft,
    CampaignId,
    CampaignPage,
)
from loyalty.entrypoints.http.params import IdempotencyKey, OfferId
from loyalty.entrypoints.http.wire import failure, ok, responses

app = new_api()
TAGS = ["Campaigns"]
NO_OFFER = (404, failure(404, "No such offer, or another business's (OFFER_NOT_FOUND)"))


@app.post(
    "/api/offers/<offerId>/campaigns",
    summary="Send or schedule a message to members' wallets (owner)",
    operation_id="createCampaign",
    tags=TAGS,
    responses=responses(
        {
            202: ok(
                CampaignAnswer,
                "The campaign, queued (or, for a retried Idempotency-Key, the first answer again)",
            )
        },
        400,
        401,
        403,
        NO_OFFER,
        413,
        (
            422,
            failure(
                422,
                "A message empty, too long, with HTML or control characters; sendAt in the past; a tier or branch "
                "not this business's; or the Idempotency-Key came with another body",
            ),
        ),
        (429, failure(429, "The business's weekly allowance of campaigns is spent (CAMPAIGN_LIMIT)")),
    ),
)
def create(
    offerId: OfferId, draft: Annotated[CampaignDraft, Body()], idempotency_key: IdempotencyKey = None
) -> Response[Any]:
    owner = current_principal(app).require(Role.OWNER)
    body = draft.model_dump(by_alias=True, exclude_none=True)
    answer = campaign_desk().create(owner.business_id, offerId, body, idempotency_key)
    return json_response(answer.status, answer.body, answer.headers)


@app.get(
    "/api/offers/<offerId>/campaigns",
    summary="The offer's campaigns, newest first (owner)",
    operation_id="listCampaigns",
    tags=TAGS,
    responses=responses(
        {200: ok(CampaignPage, "One page of campaigns")},
        (400, failure(400, "A cursor this listing did not hand out (INVALID_CURSOR)")),
        401,
        403,
        NO_OFFER,
        (422, failure(422, "`limit` out of 1..100")),
    ),
)
def list_campaigns(
    offerId: OfferId,
    limit: Annotated[int, Query(ge=1, le=100, description="campaigns per page")] = 50,
    cursor: Annotated[
        str | None, Query(max_length=512, description="`nextCursor` of the previous page")
    ] = None,
) -> dict[str, Any]:
    owner = current_principal(app).require(Role.OWNER)
    page = campaign_desk().page(owner.business_id, offerId, limit=limit, cursor=cursor)
    return {"items": [c.as_dict() for c in page.campaigns], "nextCursor": page.next_cursor}


@app.get(
    "/api/offers/<offerId>/campaigns/<campaignId>",
    summary="One campaign and what became of it (owner)",
    operation_id="getCampaign",
    tags=TAGS,
    responses=responses(
        {200: ok(CampaignAnswer, "The campaign and its counts")},
        401,
        403,
        (404, failure(404, "No such offer or campaign (OFFER_NOT_FOUND, CAMPAIGN_NOT_FOUND)")),
    ),
)
def read(
    offerId: OfferId,
    campaignId: CampaignId,
) -> dict[str, Any]:
    owner = current_principal(app).require(Role.OWNER)
    return campaign_desk().get(owner.business_id, offerId, campaignId).as_dict()


@app.get(
    "/api/offers/<offerId>/campaign-audience",
    summary="How many active members an audience holds now, before sending (owner)",
    operation_id="campaignAudienceSize",
    tags=TAGS,
    responses=responses(
        {200: ok(AudienceSize, "The audience's size")},
        401,
        403,
        NO_OFFER,
        (422, failure(422, "An unknown segment, or a tier or branch not this business's")),
    ),
)
def audience_size(
    offerId: OfferId,
    segment: Annotated[
        Literal["ALL", "TIER", "BRANCH", "REWARD_READY", "EXPIRING_SOON", "AT_RISK"],
        Query(description="segment"),
    ] = "ALL",
    tierId: Annotated[str | None, Query(max_length=64, description="for TIER")] = None,
    branchId: Annotated[str | None, Query(max_length=64, description="for BRANCH")] = None,
) -> dict[str, Any]:
    owner = current_principal(app).require(Role.OWNER)
    audience = Audience(Segment(segment), tierId, branchId)
    return {"audienceSize": campaign_desk().audience_size(owner.business_id, offerId, audience)}


handler = lambda_entry(app)
