"""Offers (business dashboard): create, list, read, edit and archive offers; preview their wallet passes. The
tier routes are tier-config's.

Managers read; only owners write. Another business's offer answers 404 OFFER_NOT_FOUND, as a missing one does.
"""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from loyalty.app.brand.brand_preview import BrandDrafts
from loyalty.app.brand.offer_brand import edit_offer_with_brand
from loyalty.app.brand.public_offer import LOGO_RENDITION
from loyalty.app.idempotency import Replayed
from loyalty.app.offers.catalog import (
    create_offer_once,
    find_offer,
    list_offers,
)
from loyalty.app.offers.commands import CreateOffer, EditOffer
from loyalty.app.passes.preview import preview_pass
from loyalty.bootstrap import (
    brand_image_url,
    brand_images,
    business_profiles,
    draw_renditions,
    offer_store,
    settings,
    wallet_previews,
)
from loyalty.domain.clock import utc_now
from loyalty.domain.offers import Offer
from loyalty.entrypoints.http.api import lambda_entry, new_api
from loyalty.entrypoints.http.auth import Principal, Role, current_principal
from loyalty.entrypoints.http.contract import OfferAnswer, OfferDraft, OfferPage
from loyalty.entrypoints.http.operations import OfferEdit, PassPreview, PassPreviewRequest
from loyalty.entrypoints.http.params import IdempotencyKey, OfferId
from loyalty.entrypoints.http.render import offer_answer, offer_created, preview_answer, send
from loyalty.entrypoints.http.wire import failure, offer_read_responses, offer_write_responses, ok, responses

app = new_api()
TAGS = ["Offers and tiers"]


def _caller(*allowed: Role) -> Principal:
    return current_principal(app).require(*allowed)


def _answer(offer: Offer) -> dict[str, Any]:
    """The offer as the contract has it, its own brand's logo at its address on the web origin."""
    logo = offer.brand.logo_image_id if offer.brand else None
    return offer_answer(offer, brand_image_url(logo, LOGO_RENDITION) if logo else None)


@app.post(
    "/api/offers",
    summary="Create an offer (owner)",
    operation_id="createOffer",
    tags=TAGS,
    responses=responses(
        {201: ok(OfferAnswer, "The new offer (or, for a retried Idempotency-Key, the first answer again)")},
        400,
        401,
        403,
        413,
        (422, failure(422, "The offer is not valid, or the Idempotency-Key came with another body")),
    ),
)
def create(draft: Annotated[OfferDraft, Body()], idempotency_key: IdempotencyKey = None) -> Response[Any]:
    owner = _caller(Role.OWNER)
    created = create_offer_once(
        offer_store(),
        CreateOffer(owner.business_id, draft.terms, idempotency_key),
        offer_created,
        clock=utc_now,
        ttl_hours=settings().idempotency_ttl_hours,
    )
    return send(created.answer if isinstance(created, Replayed) else offer_created(created))


@app.get(
    "/api/offers",
    summary="The business's offers, newest first",
    operation_id="listOffers",
    tags=TAGS,
    responses=responses(
        {200: ok(OfferPage, "One page of offers")},
        (400, failure(400, "A cursor this listing did not hand out (INVALID_CURSOR)")),
        401,
        403,
        (422, failure(422, "`limit` out of 1..100")),
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
    return {"items": [_answer(offer) for offer in page.offers], "nextCursor": page.next_cursor}


@app.get(
    "/api/offers/<offerId>",
    summary="One offer with the tiers in force",
    operation_id="getOffer",
    tags=TAGS,
    responses=offer_read_responses({200: ok(OfferAnswer, "The offer")}),
)
def read(offerId: OfferId) -> dict[str, Any]:
    reader = _caller(Role.MANAGER)
    return _answer(find_offer(offer_store(), reader.business_id, offerId))


@app.patch(
    "/api/offers/<offerId>",
    summary="Edit or archive an offer (owner)",
    operation_id="editOffer",
    tags=TAGS,
    responses=offer_write_responses(
        {200: ok(OfferAnswer, "The offer as edited")},
        "A field is not valid or not a field of an offer (VALIDATION_ERROR), a brand image unusable or not this "
        "business's (IMAGE_INVALID), or a brand's text colour below 4.5:1 against its background (LOW_CONTRAST)",
    ),
)
def edit(offerId: OfferId, changes: Annotated[OfferEdit, Body()]) -> dict[str, Any]:
    owner = _caller(Role.OWNER)
    edited = edit_offer_with_brand(
        offer_store(),
        business_profiles(),
        brand_images(),
        draw_renditions(),
        EditOffer(owner.business_id, offerId, changes.edit),
        clock=utc_now,
    )
    return _answer(edited)


@app.post(
    "/api/offers/<offerId>/pass-preview",
    summary="What a wallet pass would show, for a draft ladder (owner)",
    operation_id="previewPass",
    tags=TAGS,
    responses=offer_write_responses(
        {200: ok(PassPreview, "The Apple and Google content of such a pass")},
        "The draft ladder (as PUT validates it) or another field is not valid",
    ),
)
def pass_preview(offerId: OfferId, request: Annotated[PassPreviewRequest, Body()]) -> dict[str, Any]:
    owner = _caller(Role.OWNER)
    preview = preview_pass(
        offer_store(),
        wallet_previews(),
        request.command(owner.business_id, offerId),
        clock=utc_now,
        brands=BrandDrafts(business_profiles(), brand_images(), draw_renditions()),
    )
    return preview_answer(preview)


handler = lambda_entry(app)
