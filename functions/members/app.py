"""GET /api/offers/{offerId}/customers (owner, manager): the offer's members, filtered and paginated."""

from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler.openapi.params import Query

from loyalty.app.offers.directory import find_members
from loyalty.app.wallets.delivery import wallets_of
from loyalty.bootstrap import inactivity_days, member_directory, member_store, wallet_deliveries
from loyalty.domain.clock import to_iso, utc_now
from loyalty.entrypoints.http.api import lambda_entry, new_api
from loyalty.entrypoints.http.auth import Role, current_principal
from loyalty.entrypoints.http.params import OfferId
from loyalty.entrypoints.http.reads_contract import MembersPage
from loyalty.entrypoints.http.render import members_answer
from loyalty.entrypoints.http.wire import failure, ok, responses

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
        (422, failure(422, "An unknown status, tier, sort or segment, or `limit` out of 1..100")),
    ),
)
def members(
    offerId: OfferId,
    status: Annotated[Literal["ACTIVE", "EXPIRED"] | None, Query(description="ACTIVE or EXPIRED")] = None,
    tier: Annotated[
        str | None, Query(max_length=32, description="a tier id of the ladder, or `none`")
    ] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=254,
            description="the start of a name or an email (case, accents and Arabic letter forms ignored), "
            "a short code, a whole email or a customer id",
        ),
    ] = None,
    sort: Annotated[
        Literal["joined", "lastActivity"] | None,
        Query(description="`joined` (default) or `lastActivity`, newest first"),
    ] = None,
    segment: Annotated[
        Literal["EXPIRING_SOON", "REWARD_READY", "AT_RISK"] | None,
        Query(description="active passes near the inactivity limit, full cards, or members at risk"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="members per page")] = 50,
    cursor: Annotated[
        str | None, Query(max_length=512, description="`nextCursor` of the previous page")
    ] = None,
) -> dict[str, Any]:
    reader = current_principal(app).require(Role.MANAGER)
    page = find_members(
        member_store(),
        member_directory(),
        reader.business_id,
        offerId,
        show_email=Role.OWNER in reader.roles,
        at=to_iso(utc_now()),
        inactivity_days=inactivity_days(),
        status=status,
        tier=tier,
        q=q,
        sort=sort,
        segment=segment,
        limit=limit,
        cursor=cursor,
    )
    return members_answer(page, wallets_of(page, wallet_deliveries(), offerId))


handler = lambda_entry(app)
