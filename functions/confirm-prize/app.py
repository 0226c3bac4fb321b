"""POST /api/branch-manager/confirm-prize/{customerId}/{offerId}: the prize was handed over, a new cycle starts."""

from typing import Any

from aws_lambda_powertools.event_handler import Response

from loyalty import stamp_card
from loyalty.clock import utc_now
from loyalty.http.api import idempotency_key, json_response, lambda_entry, new_api
from loyalty.http.auth import Role, current_principal
from loyalty.storage.passes import default_pass_store

app = new_api()


@app.post(
    "/api/branch-manager/confirm-prize/<customerId>/<offerId>",
    summary="Confirm a prize and start a new cycle",
)
def confirm_prize(customerId: str, offerId: str) -> Response[Any]:
    principal = current_principal(app).require(Role.MANAGER)
    actor = stamp_card.Actor(principal.sub, principal.business_id, principal.branch_id)
    answer = stamp_card.confirm_prize(
        default_pass_store(), utc_now, actor, customerId, offerId, idempotency_key(app)
    )
    return json_response(answer.status, answer.body)


handler = lambda_entry(app)
