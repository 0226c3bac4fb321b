"""POST /api/offers/{offerId}/enroll (public): a customer joins the offer and gets a pass; an email already
enrolled gets 202 and its pass by mail. Throttled per client address and per offer."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body

from loyalty.adapters.dynamodb.passes import default_pass_store
from loyalty.adapters.wallet_links import wallet_links
from loyalty.app import enrollment
from loyalty.domain.clock import utc_now
from loyalty.domain.ids import is_id
from loyalty.domain.offers import OfferNotFound
from loyalty.entrypoints.http.api import idempotency_key, json_response, lambda_entry, new_api
from loyalty.entrypoints.http.public_door import check_enroll_rate, client_address, recovery_mail

app = new_api()


@app.post("/api/offers/<offerId>/enroll", summary="Join an offer and get a pass")
def enroll(offerId: str, form: Annotated[enrollment.EnrollmentRequest, Body()]) -> Response[Any]:
    if not is_id(offerId, "off"):
        raise OfferNotFound()
    check_enroll_rate(client_address(app), offerId, utc_now())
    answer = enrollment.enroll(
        default_pass_store(),
        utc_now,
        offerId,
        form,
        recovery_mail(),
        idempotency_key(app),
        wallet_links=wallet_links,
    )
    return json_response(answer.status, answer.body)


handler = lambda_entry(app)
