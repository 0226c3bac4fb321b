"""GET /api/branch-manager/passes/{customerId}/{offerId}: what the scanner shows after reading a QR code."""

from typing import Any

from loyalty.app import stamp_card
from loyalty.bootstrap import pass_store
from loyalty.entrypoints.http.api import lambda_entry, new_api
from loyalty.entrypoints.http.auth import Role, current_principal

app = new_api()


@app.get("/api/branch-manager/passes/<customerId>/<offerId>", summary="Pass status for the scanner screen")
def pass_status(customerId: str, offerId: str) -> dict[str, Any]:
    principal = current_principal(app).require(Role.MANAGER)
    actor = stamp_card.Actor(principal.sub, principal.business_id, principal.branch_id)
    return stamp_card.pass_status(pass_store(), actor, customerId, offerId)


handler = lambda_entry(app)
