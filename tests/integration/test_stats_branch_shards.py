"""Stats counters against DynamoDB Local (docs/decisions/0021c): a day's counts are spread over the shard items by
branch, so each branch's counters are stored once a day, whatever the number of customers; the stats still add up
to what happened, and day items spread by customer (the earlier rule) still read the same."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from loyalty.adapters.dynamodb.offers import DynamoOfferStore
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.adapters.dynamodb.stats import StatsReader, stats_partition
from loyalty.app.customers.recovery import RecoveryMail
from loyalty.app.offers.catalog import create_offer
from loyalty.app.offers.commands import CreateOffer
from loyalty.app.passes.commands import Actor
from loyalty.app.stats.offer_stats import offer_stats
from loyalty.domain.offers import parse_offer_terms
from loyalty.entrypoints.http.contract import EnrollmentRequest
from loyalty.entrypoints.http.render import stats_answer
from loyalty_local.cloud.ledger_drain import drain
from tests.support import pass_actions

pytestmark = pytest.mark.integration

BUSINESS = "biz_statsshards00000000000"
BRANCHES = [f"br_{f'shard{n:02d}':x<26}" for n in range(12)]
DAY_ONE = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = DAY_ONE

    def __call__(self) -> datetime:
        return self.now


def _day_items(ddb: Any, table: str, offer_id: str, day: str) -> list[dict[str, Any]]:
    return ddb.query(
        TableName=table,
        KeyConditionExpression="PK = :pk AND begins_with(SK, :day)",
        ExpressionAttributeValues={":pk": {"S": stats_partition(offer_id)}, ":day": {"S": f"DAY#{day}#"}},
        ConsistentRead=True,
    )["Items"]


def _stats(ddb: Any, table_name: str, offer_id: str, start: str, end: str) -> dict[str, Any]:
    """The stats answer as the route gives it (branch names aside)."""
    offers, counters = DynamoOfferStore(ddb, table_name), StatsReader(ddb, table_name)
    return stats_answer(offer_stats(offers, counters, BUSINESS, offer_id, start=start, end=end), {})


def test_each_branch_is_counted_in_one_item_a_day(ddb: Any, table_name: str) -> None:
    clock, store = Clock(), DynamoPassStore(ddb, table_name)
    offer = create_offer(
        DynamoOfferStore(ddb, table_name),
        CreateOffer(BUSINESS, parse_offer_terms({"name": "Shards", "stampsRequired": 50})),
        clock=clock,
    )
    customers = []
    for n in range(24):
        form = EnrollmentRequest(email=f"shard{n}@example.com", name="Shard Member")
        customers.append(
            str(
                pass_actions.enroll(store, clock, offer.offer_id, form, RecoveryMail.never_mailing()).body[
                    "customerId"
                ]
            )
        )
    visits: Counter[str] = Counter()
    for day in range(2):
        for n, customer in enumerate(customers):
            for b, branch in enumerate(BRANCHES):
                if (n + b) % 3 == 0:
                    clock.now = DAY_ONE + timedelta(days=day, minutes=n * 20 + b)
                    actor = Actor(f"user-{branch}", BUSINESS, branch, is_owner=True)
                    pass_actions.scan(store, clock, actor, customer, offer.offer_id)
                    visits[branch] += 1
    drain(ddb, table_name)

    for day in ("2026-02-02", "2026-02-03"):
        stored: Counter[str] = Counter()
        for item in _day_items(ddb, table_name, offer.offer_id, day):
            stored.update(name for name in item if "@" in name)
        assert stored, "no branch counter was written"
        assert max(stored.values()) == 1, f"a branch counter repeated in several items of {day}: {stored}"

    answer = _stats(ddb, table_name, offer.offer_id, "2026-02-02", "2026-02-03")
    assert {row["branchId"]: row["stamps"] for row in answer["byBranch"]} == dict(visits)
    assert answer["totals"]["stamps"] == sum(visits.values())


def test_day_items_spread_by_customer_still_add_up(ddb: Any, table_name: str) -> None:
    clock = Clock()
    offer = create_offer(
        DynamoOfferStore(ddb, table_name),
        CreateOffer(BUSINESS, parse_offer_terms({"name": "Earlier", "stampsRequired": 5})),
        clock=clock,
    )
    # As the earlier rule left them: the same branch counted in two shard items of the day.
    for shard, stamps in ((0, 3), (2, 4)):
        ddb.put_item(
            TableName=table_name,
            Item={
                "PK": {"S": stats_partition(offer.offer_id)},
                "SK": {"S": f"DAY#2026-02-02#{shard}"},
                "entity": {"S": "STATS"},
                "stamps": {"N": str(stamps)},
                f"stamps@{BRANCHES[0]}": {"N": str(stamps)},
            },
        )
    answer = _stats(ddb, table_name, offer.offer_id, "2026-02-02", "2026-02-02")
    assert answer["totals"]["stamps"] == 7
    assert [(row["branchId"], row["stamps"]) for row in answer["byBranch"]] == [(BRANCHES[0], 7)]
