"""POST /api/branch-manager/reactivate/{customerId}/{offerId}: bring an expired pass back at the counter."""

from typing import Any

from aws_lambda_powertools.event_handler import Response

from loyalty.app.passes import actions as pass_actions
from loyalty.app.passes.commands import Actor, Reactivate
from loyalty.bootstrap import offers, pass_store
from loyalty.domain.clock import utc_now
from loyalty.entrypoints.http.api import lambda_entry, new_api
from loyalty.entrypoints.http.auth import Role, current_principal
from loyalty.entrypoints.http.contract import PassStatusAnswer
from loyalty.entrypoints.http.params import IdempotencyKey, PassCustomerId, PassOfferId
from loyalty.entrypoints.http.render import render_pass, respond
from loyalty.entrypoints.http.wire import failure, ok, responses

app = new_api()


@app.post(
    "/api/branch-manager/reactivate/<customerId>/<offerId>",
    summary="Bring an expired pass back: ACTIVE, stamps at 0, rewards kept",
    operation_id="reactivatePass",
    responses=responses(
        {200: ok(PassStatusAnswer, "The pass, active again")},
        400,
        401,
        403,
        (404, failure(404, "No such pass (PASS_NOT_FOUND)")),
        (409, failure(409, "The pass is not expired (PASS_ACTIVE), or others kept changing it")),
        413,
        422,
    ),
)
def reactivate(
    customerId: PassCustomerId, offerId: PassOfferId, idempotency_key: IdempotencyKey = None
) -> Response[Any]:
    principal = current_principal(app).require(Role.MANAGER)
    actor = Actor(principal.sub, principal.business_id, principal.branch_id)
    command = Reactivate(actor, customerId, offerId, idempotency_key)
    return respond(pass_actions.reactivate(pass_store(), utc_now, command, render_pass, offers=offers()))


handler = lambda_entry(app)
