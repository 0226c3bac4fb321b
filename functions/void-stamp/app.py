"""POST /api/branch-manager/void-stamp/{customerId}/{offerId}: take back a mistaken stamp (owner or manager)."""

import json
from typing import Any

from aws_lambda_powertools.event_handler import Response

from loyalty.adapters.dynamodb.passes import default_pass_store
from loyalty.app import stamp_card
from loyalty.domain.clock import utc_now
from loyalty.entrypoints.http.api import idempotency_key, json_response, lambda_entry, new_api
from loyalty.entrypoints.http.auth import Role, current_principal

app = new_api()


@app.post("/api/branch-manager/void-stamp/<customerId>/<offerId>", summary="Take back the last stamp")
def void_stamp(customerId: str, offerId: str) -> Response[Any]:
    principal = current_principal(app).require(Role.MANAGER)
    actor = stamp_card.Actor(
        principal.sub, principal.business_id, principal.branch_id, is_owner=Role.OWNER in principal.roles
    )
    raw = app.current_event.decoded_body
    # The body is optional ({"reason"}); the gateway's screen has already refused anything that is not JSON.
    body = json.loads(raw) if raw else None
    answer = stamp_card.void_stamp(
        default_pass_store(), utc_now, actor, customerId, offerId, body, idempotency_key(app)
    )
    return json_response(answer.status, answer.body, answer.headers or None)


handler = lambda_entry(app)
