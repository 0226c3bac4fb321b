"""POST /api/branch-manager/confirm-prize/{customerId}/{offerId}: the prize was handed over, a new cycle starts."""

from typing import Any

from aws_lambda_powertools.event_handler import Response

from loyalty.app import stamp_card
from loyalty.app.credential_issuance import issuance_on_upgrade
from loyalty.bootstrap import pass_store
from loyalty.domain.clock import utc_now
from loyalty.entrypoints.http.api import idempotency_key, json_response, lambda_entry, new_api
from loyalty.entrypoints.http.auth import Role, current_principal

app = new_api()


@app.post(
    "/api/branch-manager/confirm-prize/<customerId>/<offerId>",
    summary="Confirm a prize and start a new cycle",
)
def confirm_prize(customerId: str, offerId: str) -> Response[Any]:
    principal = current_principal(app).require(Role.MANAGER)
    actor = stamp_card.Actor(principal.sub, principal.business_id, principal.branch_id)
    answer = stamp_card.confirm_prize(
        pass_store(),
        utc_now,
        actor,
        customerId,
        offerId,
        idempotency_key(app),
        on_upgrade=issuance_on_upgrade,
    )
    return json_response(answer.status, answer.body)


handler = lambda_entry(app)
