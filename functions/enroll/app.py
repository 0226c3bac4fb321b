"""POST /api/offers/{offerId}/enroll (public): a customer joins the offer and gets a pass; an email already
enrolled gets 202 and its pass by mail. Throttled per client address and per offer."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body

from loyalty.app.passes import enrollment
from loyalty.bootstrap import ensure_google_wallet_pass, pass_store, recovery_mail, wallet_links
from loyalty.domain.clock import utc_now
from loyalty.entrypoints.http.api import lambda_entry, new_api
from loyalty.entrypoints.http.contract import EnrollmentRequest, PassAnswer, VerificationSent
from loyalty.entrypoints.http.params import IdempotencyKey, OfferId
from loyalty.entrypoints.http.public_door import check_enroll_rate, client_address
from loyalty.entrypoints.http.render import render_pass, respond
from loyalty.entrypoints.http.wire import failure, ok, responses

app = new_api()


@app.post(
    "/api/offers/<offerId>/enroll",
    summary="Join an offer and get a pass",
    operation_id="enroll",
    responses=responses(
        {
            201: ok(PassAnswer, "A new pass"),
            202: ok(
                VerificationSent, "This email already holds a pass of the offer: it is mailed, not answered"
            ),
        },
        400,
        (404, failure(404, "No such offer (OFFER_NOT_FOUND)")),
        (409, failure(409, "Others kept changing the pass all along; try again (PASS_BUSY)")),
        (410, failure(410, "The offer is archived: it takes no new members (OFFER_ARCHIVED)")),
        413,
        422,
        429,
    ),
)
def enroll(
    offerId: OfferId,
    form: Annotated[EnrollmentRequest, Body()],
    idempotency_key: IdempotencyKey = None,
) -> Response[Any]:
    address = client_address(app)
    check_enroll_rate(address, offerId, utc_now())
    outcome = enrollment.enroll(
        pass_store(),
        utc_now,
        form.command(offerId, idempotency_key),
        recovery_mail(),
        render_pass,
        wallet_links=wallet_links,
        wallets_ready=ensure_google_wallet_pass,
        requester=address,
    )
    return respond(outcome)


handler = lambda_entry(app)
