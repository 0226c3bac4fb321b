"""POST /api/branch-manager/confirm-prize/{customerId}/{offerId}: the prize was handed over, a new cycle starts."""

from typing import Any

from aws_lambda_powertools.event_handler import Response

from loyalty.app.credentials.issuance import issuance_on_upgrade
from loyalty.app.passes import actions as pass_actions
from loyalty.app.passes.commands import Actor, ConfirmPrize
from loyalty.bootstrap import offers, pass_store
from loyalty.domain.clock import utc_now
from loyalty.entrypoints.http.api import lambda_entry, new_api
from loyalty.entrypoints.http.auth import Role, current_principal
from loyalty.entrypoints.http.contract import PrizeConfirmed
from loyalty.entrypoints.http.params import IdempotencyKey, PassCustomerId, PassOfferId
from loyalty.entrypoints.http.pass_contract import PassConflictBody
from loyalty.entrypoints.http.render import render_pass, respond
from loyalty.entrypoints.http.wire import failure, ok, pass_action_responses

app = new_api()


@app.post(
    "/api/branch-manager/confirm-prize/<customerId>/<offerId>",
    summary="Confirm a prize and start a new cycle",
    operation_id="confirmPrize",
    responses=pass_action_responses(
        {200: ok(PrizeConfirmed, "The prize is recorded and a new cycle started")},
        failure(
            409,
            "The card is not full (NOT_ENOUGH_STAMPS, with `progress`), or another confirmation of the "
            "same card won (PASS_BUSY)",
            PassConflictBody,
        ),
    ),
)
def confirm_prize(
    customerId: PassCustomerId, offerId: PassOfferId, idempotency_key: IdempotencyKey = None
) -> Response[Any]:
    principal = current_principal(app).require(Role.MANAGER)
    actor = Actor(principal.sub, principal.business_id, principal.branch_id)
    command = ConfirmPrize(actor, customerId, offerId, idempotency_key)
    return respond(
        pass_actions.confirm_prize(
            pass_store(), utc_now, command, render_pass, on_upgrade=issuance_on_upgrade, offers=offers()
        )
    )


handler = lambda_entry(app)
