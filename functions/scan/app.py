"""POST /api/branch-manager/scan/{customerId}/{offerId}: one visit, one stamp (owner or manager)."""

from typing import Any

from aws_lambda_powertools.event_handler import Response

from loyalty.app.passes import actions as pass_actions
from loyalty.app.passes.commands import Actor, Scan
from loyalty.bootstrap import offers, pass_store
from loyalty.domain.clock import utc_now
from loyalty.entrypoints.http.api import lambda_entry, new_api
from loyalty.entrypoints.http.auth import Role, current_principal
from loyalty.entrypoints.http.params import IdempotencyKey, PassCustomerId, PassOfferId
from loyalty.entrypoints.http.pass_contract import PassConflictBody, ScanAnswer
from loyalty.entrypoints.http.render import render_pass, respond
from loyalty.entrypoints.http.wire import failure, ok, pass_action_responses

app = new_api()


@app.post(
    "/api/branch-manager/scan/<customerId>/<offerId>",
    summary="Award one stamp",
    operation_id="scan",
    responses=pass_action_responses(
        {200: ok(ScanAnswer, "The stamp was awarded")},
        failure(
            409,
            "The card is full: confirm the prize first (REWARD_READY, with `progress`), or others kept "
            "changing the pass (PASS_BUSY)",
            PassConflictBody,
        ),
        (
            429,
            failure(
                429, "Within the offer's cooldown (STAMP_TOO_SOON; `details` names the next possible time)"
            ),
        ),
    ),
)
def scan(
    customerId: PassCustomerId, offerId: PassOfferId, idempotency_key: IdempotencyKey = None
) -> Response[Any]:
    principal = current_principal(app).require(Role.MANAGER)
    command = Scan(
        Actor(principal.sub, principal.business_id, principal.branch_id), customerId, offerId, idempotency_key
    )
    return respond(pass_actions.scan(pass_store(), utc_now, command, render_pass, offers=offers()))


handler = lambda_entry(app)
