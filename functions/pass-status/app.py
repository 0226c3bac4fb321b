"""GET /api/branch-manager/passes/{customerId}/{offerId}: what the scanner shows after reading a QR code, and
its history (every change of the pass, newest first)."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query

from loyalty.app.passes import actions as pass_actions
from loyalty.app.passes.commands import Actor, ReadPass
from loyalty.app.passes.history import pass_history
from loyalty.bootstrap import business_table, offers, pass_store
from loyalty.entrypoints.http.api import lambda_entry, new_api
from loyalty.entrypoints.http.auth import Role, current_principal
from loyalty.entrypoints.http.contract import PassStatusAnswer
from loyalty.entrypoints.http.params import PassCustomerId, PassOfferId
from loyalty.entrypoints.http.reads_contract import HistoryPageAnswer
from loyalty.entrypoints.http.render import history_answer, respond
from loyalty.entrypoints.http.wire import NO_PASS, failure, ok, responses

app = new_api()


@app.get(
    "/api/branch-manager/passes/<customerId>/<offerId>",
    summary="Pass status for the scanner screen",
    operation_id="getPassStatus",
    responses=responses(
        {200: ok(PassStatusAnswer, "The pass")},
        401,
        403,
        NO_PASS,
    ),
)
def pass_status(customerId: PassCustomerId, offerId: PassOfferId) -> Response[Any]:
    principal = current_principal(app).require(Role.MANAGER)
    command = ReadPass(Actor(principal.sub, principal.business_id, principal.branch_id), customerId, offerId)
    return respond(pass_actions.pass_status(pass_store(), command, offers=offers()))


@app.get(
    "/api/branch-manager/passes/<customerId>/<offerId>/history",
    summary="The pass's audit trail, newest first",
    operation_id="getPassHistory",
    responses=responses(
        {200: ok(HistoryPageAnswer, "One page of events")},
        (400, failure(400, "A cursor this history did not hand out (INVALID_CURSOR)")),
        401,
        403,
        NO_PASS,
        422,
    ),
)
def history(
    customerId: PassCustomerId,
    offerId: PassOfferId,
    limit: Annotated[int, Query(ge=1, le=100, description="events per page")] = 50,
    cursor: Annotated[
        str | None, Query(max_length=512, description="`nextCursor` of the previous page")
    ] = None,
) -> dict[str, Any]:
    principal = current_principal(app).require(Role.MANAGER)
    actor = Actor(principal.sub, principal.business_id, principal.branch_id)
    page = pass_history(pass_store(), actor, customerId, offerId, limit=limit, cursor=cursor)
    return history_answer(page, business_table().branch_names(principal.business_id))


handler = lambda_entry(app)
