"""GET /api/offers/{offerId}/customers (owner, manager): the offer's members, filtered and paginated."""

from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler.openapi.params import Query

from loyalty.app.offers.members import list_members
from loyalty.bootstrap import member_store
from loyalty.entrypoints.http.api import lambda_entry, new_api
from loyalty.entrypoints.http.auth import Role, current_principal
from loyalty.entrypoints.http.contract import OfferId, failure, ok, responses
from loyalty.entrypoints.http.operations import MembersPage
from loyalty.entrypoints.http.render import members_answer

app = new_api()


@app.get(
    "/api/offers/<offerId>/customers",
    summary="The offer's members, most recently enrolled first",
    operation_id="listOfferMembers",
    tags=["Members"],
    responses=responses(
        {200: ok(MembersPage, "One page of members (emails masked for managers)")},
        (400, failure(400, "A cursor this listing did not hand out (INVALID_CURSOR)")),
        401,
        403,
        (404, failure(404, "No such offer, or another business's (OFFER_NOT_FOUND)")),
        (422, failure(422, "An unknown status or tier, or `limit` out of 1..100")),
    ),
)
def members(
    offerId: OfferId,
    status: Annotated[Literal["ACTIVE", "EXPIRED"] | None, Query(description="ACTIVE or EXPIRED")] = None,
    tier: Annotated[
        str | None, Query(max_length=32, description="a tier id of the ladder, or `none`")
    ] = None,
    q: Annotated[str | None, Query(max_length=254, description="an exact email or a customer id")] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="members per page")] = 50,
    cursor: Annotated[
        str | None, Query(max_length=512, description="`nextCursor` of the previous page")
    ] = None,
) -> dict[str, Any]:
    reader = current_principal(app).require(Role.MANAGER)
    page = list_members(
        member_store(),
        reader.business_id,
        offerId,
        show_email=Role.OWNER in reader.roles,
        status=status,
        tier=tier,
        q=q,
        limit=limit,
        cursor=cursor,
    )
    return members_answer(page)


handler = lambda_entry(app)
