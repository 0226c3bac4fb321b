"""GET /api/branch-manager/passes/{customerId}/{offerId}: what the scanner shows after reading a QR code."""

from typing import Any

from loyalty.adapters.dynamodb.passes import default_pass_store
from loyalty.app import stamp_card
from loyalty.entrypoints.http.api import lambda_entry, new_api
from loyalty.entrypoints.http.auth import Role, current_principal
from loyalty.entrypoints.http.contract import PassCustomerId, PassOfferId, PassStatus, failure, ok, responses

app = new_api()


@app.get(
    "/api/branch-manager/passes/<customerId>/<offerId>",
    summary="Pass status for the scanner screen",
    operation_id="getPassStatus",
    responses=responses(
        {200: ok(PassStatus, "The pass")},
        401,
        403,
        (404, failure(404, "No such pass (PASS_NOT_FOUND)")),
    ),
)
def pass_status(customerId: PassCustomerId, offerId: PassOfferId) -> dict[str, Any]:
    principal = current_principal(app).require(Role.MANAGER)
    actor = stamp_card.Actor(principal.sub, principal.business_id, principal.branch_id)
    return stamp_card.pass_status(default_pass_store(), actor, customerId, offerId)


handler = lambda_entry(app)
