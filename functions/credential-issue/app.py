"""POST /api/credentials/issue and GET /api/credentials/issuances/{issuanceId} (owner, own business only)."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from pydantic import BaseModel, ConfigDict, Field

from loyalty.app import credential_issuance
from loyalty.bootstrap import issuance_store, pass_store
from loyalty.domain.clock import utc_now
from loyalty.entrypoints.http.api import json_response, lambda_entry, new_api
from loyalty.entrypoints.http.auth import Role, current_principal

app = new_api()


class IssueRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customerId: str = Field(min_length=1, max_length=64)
    offerId: str = Field(min_length=1, max_length=64)


@app.post("/api/credentials/issue", summary="(Re)issue a customer's tier credential")
def issue(request: Annotated[IssueRequest, Body()]) -> Response[Any]:
    principal = current_principal(app).require(Role.OWNER)
    issuance = credential_issuance.start_issuance(
        pass_store(),
        issuance_store(),
        utc_now,
        principal.business_id,
        request.customerId,
        request.offerId,
    )
    return json_response(202, {"issuanceId": issuance.issuance_id, "status": issuance.status})


@app.get("/api/credentials/issuances/<issuanceId>", summary="A credential issuance's status")
def issuance(issuanceId: str) -> Response[Any]:
    principal = current_principal(app).require(Role.OWNER)
    found = credential_issuance.read_issuance(issuance_store(), principal.business_id, issuanceId)
    return json_response(200, found.as_dict())


handler = lambda_entry(app)
