"""GET /api/public/offers/{offerId} (public): what a customer may see of an offer before joining, for the join page
and the poster. A CDN may keep it for a minute; the offers behind it are read through the per-container cache."""

from typing import Any

from aws_lambda_powertools.event_handler import Response

from loyalty.app.brand.public_offer import public_offer_view
from loyalty.bootstrap import brand_image_url, business_profiles, offers
from loyalty.entrypoints.http.api import json_response, lambda_entry, new_api
from loyalty.entrypoints.http.brand_contract import PublicOffer, public_offer_model
from loyalty.entrypoints.http.params import OfferId
from loyalty.entrypoints.http.wire import failure, ok, responses

app = new_api()
# A minute at a CDN or in the browser; an archive or an edit shows within that minute.
CACHE = {"Cache-Control": "public, max-age=60"}


@app.get(
    "/api/public/offers/<offerId>",
    summary="An offer as a customer sees it before joining",
    operation_id="getPublicOffer",
    tags=["Public"],
    responses=responses(
        {200: ok(PublicOffer, "The offer's texts, goal, status and brand")},
        (404, failure(404, "No such offer (OFFER_NOT_FOUND)")),
    ),
)
def public_offer(offerId: OfferId) -> Response[Any]:
    pass_ = public_offer_view(offers(), business_profiles(), brand_image_url, offerId)
    return json_response(200, public_offer_model(pass_).model_dump(mode="json"), CACHE)


handler = lambda_entry(app)
