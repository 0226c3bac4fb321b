"""POST /api/passes/recover (public): a mailed recovery link's token → the customer's pass, as enroll answers
a new one. Throttled per client address."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from pydantic import Field

from loyalty.app.customers import recovery as pass_recovery
from loyalty.bootstrap import ensure_google_wallet_pass, pass_store, recovery_links, wallet_links
from loyalty.domain.clock import utc_now
from loyalty.entrypoints.http.api import lambda_entry, new_api
from loyalty.entrypoints.http.contract import PassAnswer
from loyalty.entrypoints.http.public_door import check_recovery_rate, client_address
from loyalty.entrypoints.http.render import render_pass, respond
from loyalty.entrypoints.http.wire import ContractModel, failure, ok, responses

app = new_api()


class RecoverRequest(ContractModel):
    # Any string is answered (a wrong one is 404 LINK_NOT_FOUND); only its size is bounded here.
    token: str = Field(min_length=1, max_length=1024, description="The `token` of a mailed recovery link")


@app.post(
    "/api/passes/recover",
    summary="A mailed recovery link's token → the customer's pass",
    operation_id="recoverPass",
    responses=responses(
        {200: ok(PassAnswer, "The pass (an expired one comes back ACTIVE, stamps at 0, rewards kept)")},
        400,
        (404, failure(404, "Unknown or tampered token (LINK_NOT_FOUND)")),
        (409, failure(409, "Others kept changing the pass all along; try again (PASS_BUSY)")),
        (410, failure(410, "The link is older than 24 hours (LINK_EXPIRED)")),
        413,
        422,
        429,
    ),
)
def recover(request: Annotated[RecoverRequest, Body()]) -> Response[Any]:
    check_recovery_rate(client_address(app), utc_now())
    answer = pass_recovery.recover(
        pass_store(),
        recovery_links(),
        utc_now,
        request.token,
        render_pass,
        wallet_links=wallet_links,
        wallets_ready=ensure_google_wallet_pass,
    )
    return respond(answer)


handler = lambda_entry(app)
