"""POST /api/passes/recover (public): a mailed recovery link's token → the customer's pass, as enroll answers
a new one. Throttled per client address."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from pydantic import BaseModel, ConfigDict, Field

from loyalty.adapters.dynamodb.passes import default_pass_store
from loyalty.adapters.wallet_links import wallet_links
from loyalty.app import pass_recovery
from loyalty.domain.clock import utc_now
from loyalty.entrypoints.http.api import json_response, lambda_entry, new_api
from loyalty.entrypoints.http.public_door import check_recovery_rate, client_address, recovery_links

app = new_api()


class RecoverRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    # Any string is answered (a wrong one is 404 LINK_NOT_FOUND); only its size is bounded here.
    token: str = Field(min_length=1, max_length=1024)


@app.post("/api/passes/recover", summary="A mailed recovery link's token → the customer's pass")
def recover(request: Annotated[RecoverRequest, Body()]) -> Response[Any]:
    check_recovery_rate(client_address(app), utc_now())
    answer = pass_recovery.recover(
        default_pass_store(), recovery_links(), utc_now, request.token, wallet_links=wallet_links
    )
    return json_response(answer.status, answer.body)


handler = lambda_entry(app)
