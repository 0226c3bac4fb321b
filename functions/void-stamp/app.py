"""POST /api/branch-manager/void-stamp/{customerId}/{offerId}: take back a mistaken stamp (owner or manager)."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body

from loyalty.app.passes import actions as pass_actions
from loyalty.app.passes.commands import Actor, VoidStamp
from loyalty.bootstrap import offers, pass_store
from loyalty.domain.clock import utc_now
from loyalty.entrypoints.http.api import lambda_entry, new_api
from loyalty.entrypoints.http.auth import Role, current_principal
from loyalty.entrypoints.http.params import IdempotencyKey, PassCustomerId, PassOfferId
from loyalty.entrypoints.http.pass_contract import VoidAnswer, VoidRequest
from loyalty.entrypoints.http.render import render_pass, respond
from loyalty.entrypoints.http.wire import failure, ok, pass_action_responses

app = new_api()


@app.post(
    "/api/branch-manager/void-stamp/<customerId>/<offerId>",
    summary="Take back the last stamp of the cycle",
    operation_id="voidStamp",
    responses=pass_action_responses(
        {200: ok(VoidAnswer, "One stamp was taken back")},
        failure(409, "No stamp in the current cycle (NOTHING_TO_VOID), or others kept changing it"),
        (403, failure(403, "Not the manager's branch's stamp, or past its 15 minutes (VOID_NOT_ALLOWED)")),
    ),
)
def void_stamp(
    customerId: PassCustomerId,
    offerId: PassOfferId,
    request: Annotated[VoidRequest | None, Body()] = None,
    idempotency_key: IdempotencyKey = None,
) -> Response[Any]:
    principal = current_principal(app).require(Role.MANAGER)
    actor = Actor(
        principal.sub, principal.business_id, principal.branch_id, is_owner=Role.OWNER in principal.roles
    )
    reason = request.reason if request is not None else None
    command = VoidStamp(actor, customerId, offerId, reason, idempotency_key)
    return respond(pass_actions.void_stamp(pass_store(), utc_now, command, render_pass, offers=offers()))


handler = lambda_entry(app)
