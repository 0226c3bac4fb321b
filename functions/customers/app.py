"""DELETE /api/customers/{customerId} (erase a customer's personal data) and GET /api/customers/{customerId}/
credentials (their credential issuances, newest first). Owner only, own business only."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query

from loyalty.app.customers.erasure import customer_credentials, erase_customer
from loyalty.bootstrap import customer_store, pass_store
from loyalty.domain.clock import utc_now
from loyalty.entrypoints.http.api import lambda_entry, new_api
from loyalty.entrypoints.http.auth import Role, current_principal
from loyalty.entrypoints.http.credential_contract import CustomerId, IssuancePage
from loyalty.entrypoints.http.render import issuance_page_answer
from loyalty.entrypoints.http.wire import failure, ok, responses

app = new_api()
TAGS = ["Customers"]
NO_CUSTOMER = (404, failure(404, "No such customer, another business's, or one erased (CUSTOMER_NOT_FOUND)"))


@app.delete(
    "/api/customers/<customerId>",
    summary="Erase a customer's personal data (owner)",
    operation_id="eraseCustomer",
    tags=TAGS,
    responses=responses(
        {204: ok(None, "Erased: no item of the business holds their email or name")},
        401,
        403,
        NO_CUSTOMER,
    ),
)
def erase(customerId: CustomerId) -> Response[None]:
    owner = current_principal(app).require(Role.OWNER)
    erase_customer(customer_store(), pass_store(), utc_now, owner.business_id, customerId, owner.sub)
    return Response(status_code=204, body=None)


@app.get(
    "/api/customers/<customerId>/credentials",
    summary="The customer's credential issuances, newest first (owner)",
    operation_id="listCustomerCredentials",
    tags=TAGS,
    responses=responses(
        {200: ok(IssuancePage, "One page of issuances")},
        (400, failure(400, "A cursor this listing did not hand out (INVALID_CURSOR)")),
        401,
        403,
        NO_CUSTOMER,
        422,
    ),
)
def credentials(
    customerId: CustomerId,
    limit: Annotated[int, Query(ge=1, le=100, description="issuances per page")] = 50,
    cursor: Annotated[
        str | None, Query(max_length=512, description="`nextCursor` of the previous page")
    ] = None,
) -> dict[str, Any]:
    owner = current_principal(app).require(Role.OWNER)
    page = customer_credentials(customer_store(), owner.business_id, customerId, limit=limit, cursor=cursor)
    return issuance_page_answer(page)


handler = lambda_entry(app)
