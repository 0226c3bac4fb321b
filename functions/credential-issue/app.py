"""POST /api/credentials/issue and GET /api/credentials/issuances/{issuanceId} (owner, own business only)."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from pydantic import Field

from loyalty.app.credentials import issuance as credential_issuance
from loyalty.bootstrap import issuance_store, pass_store
from loyalty.domain.clock import utc_now
from loyalty.entrypoints.http.api import json_response, lambda_entry, new_api
from loyalty.entrypoints.http.auth import Role, current_principal
from loyalty.entrypoints.http.credential_contract import IssuanceRecord, IssuanceStarted
from loyalty.entrypoints.http.params import IssuanceId
from loyalty.entrypoints.http.render import issuance_record
from loyalty.entrypoints.http.wire import NO_PASS, ContractModel, failure, ok, responses

app = new_api()


class IssueRequest(ContractModel):
    customer_id: str = Field(min_length=1, max_length=64)
    offer_id: str = Field(min_length=1, max_length=64)


@app.post(
    "/api/credentials/issue",
    summary="(Re)issue a customer's tier credential",
    operation_id="issueCredential",
    responses=responses(
        {202: ok(IssuanceStarted, "Started (or the issuance of that tier already under way)")},
        400,
        401,
        403,
        NO_PASS,
        (409, failure(409, "The customer has no tier yet (NO_TIER)")),
        413,
        422,
    ),
)
def issue(request: Annotated[IssueRequest, Body()]) -> Response[Any]:
    principal = current_principal(app).require(Role.OWNER)
    issuance = credential_issuance.start_issuance(
        pass_store(),
        issuance_store(),
        utc_now,
        principal.business_id,
        request.customer_id,
        request.offer_id,
    )
    return json_response(202, {"issuanceId": issuance.issuance_id, "status": issuance.status})


@app.get(
    "/api/credentials/issuances/<issuanceId>",
    summary="A credential issuance's status",
    operation_id="getIssuance",
    responses=responses(
        {200: ok(IssuanceRecord, "The issuance")},
        401,
        403,
        (404, failure(404, "No such issuance (ISSUANCE_NOT_FOUND)")),
    ),
)
def issuance(issuanceId: IssuanceId) -> Response[Any]:
    principal = current_principal(app).require(Role.OWNER)
    found = credential_issuance.read_issuance(issuance_store(), principal.business_id, issuanceId)
    return json_response(200, issuance_record(found))


handler = lambda_entry(app)
