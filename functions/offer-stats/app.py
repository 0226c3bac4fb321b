"""GET /api/offers/{offerId}/stats (owner): counts per day in the offer's time zone, per branch, and the members
as they stand now."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query

from loyalty.app.stats.offer_stats import offer_stats
from loyalty.bootstrap import business_table, inactivity_days, offer_store, stats_reader, wallet_counts
from loyalty.domain.clock import to_iso, utc_now
from loyalty.entrypoints.http.api import lambda_entry, new_api
from loyalty.entrypoints.http.auth import Role, current_principal
from loyalty.entrypoints.http.params import OfferId
from loyalty.entrypoints.http.reads_contract import OfferStats
from loyalty.entrypoints.http.render import stats_answer
from loyalty.entrypoints.http.wire import failure, ok, responses

app = new_api()
# A day as the domain reads it (`parse_range`): required, YYYY-MM-DD and a real date; the range's order and
# length are checked together (422).
DAY: dict[str, Any] = {
    "min_length": 10,
    "max_length": 10,
    "json_schema_extra": {"pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "format": "date"},
}


@app.get(
    "/api/offers/<offerId>/stats",
    summary="An offer's activity over a date range (owner)",
    operation_id="getOfferStats",
    tags=["Stats"],
    responses=responses(
        {200: ok(OfferStats, "Counts per day, per branch and of the members now")},
        401,
        403,
        (404, failure(404, "No such offer, or another business's (OFFER_NOT_FOUND)")),
        (422, failure(422, "from/to missing, not YYYY-MM-DD, reversed, or more than 366 days apart")),
    ),
)
def stats(
    offerId: OfferId,
    start: Annotated[str, Query(alias="from", description="first day, YYYY-MM-DD", **DAY)],
    end: Annotated[str, Query(alias="to", description="last day, YYYY-MM-DD", **DAY)],
    branchId: Annotated[str | None, Query(max_length=64, description="only what this branch did")] = None,
) -> dict[str, Any]:
    owner = current_principal(app).require(Role.OWNER)
    counters = stats_reader()
    activity = offer_stats(
        offer_store(),
        counters,
        owner.business_id,
        offerId,
        start=start,
        end=end,
        branch_id=branchId,
        at=to_iso(utc_now()),
        inactivity_days=inactivity_days(),
        wallets=wallet_counts(),
    )
    return stats_answer(activity, business_table().branch_names(owner.business_id))


handler = lambda_entry(app)
