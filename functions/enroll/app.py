"""POST /api/offers/{offerId}/enroll (public): a customer joins the offer and gets a pass."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body

from loyalty.adapters.dynamodb.passes import default_pass_store
from loyalty.adapters.google.environment import ensure_google_wallet_pass
from loyalty.adapters.wallet_links import wallet_links
from loyalty.app import enrollment
from loyalty.domain.clock import utc_now
from loyalty.entrypoints.http.api import idempotency_key, json_response, lambda_entry, new_api

app = new_api()


@app.post("/api/offers/<offerId>/enroll", summary="Join an offer and get a pass")
def enroll(offerId: str, form: Annotated[enrollment.EnrollmentRequest, Body()]) -> Response[Any]:
    answer = enrollment.enroll(
        default_pass_store(),
        utc_now,
        offerId,
        form,
        idempotency_key(app),
        wallet_links=wallet_links,
        wallets_ready=ensure_google_wallet_pass,
    )
    return json_response(answer.status, answer.body)


handler = lambda_entry(app)
