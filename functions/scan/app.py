"""POST /api/branch-manager/scan/{customerId}/{offerId}: one visit, one stamp (owner or manager)."""

from typing import Any

from aws_lambda_powertools.event_handler import Response

from loyalty.adapters.dynamodb.passes import default_pass_store
from loyalty.app import stamp_card
from loyalty.domain.clock import utc_now
from loyalty.entrypoints.http.api import idempotency_key, json_response, lambda_entry, new_api
from loyalty.entrypoints.http.auth import Role, current_principal

app = new_api()


@app.post("/api/branch-manager/scan/<customerId>/<offerId>", summary="Award one stamp")
def scan(customerId: str, offerId: str) -> Response[Any]:
    principal = current_principal(app).require(Role.MANAGER)
    actor = stamp_card.Actor(principal.sub, principal.business_id, principal.branch_id)
    answer = stamp_card.scan(default_pass_store(), utc_now, actor, customerId, offerId, idempotency_key(app))
    return json_response(answer.status, answer.body, answer.headers or None)


handler = lambda_entry(app)
