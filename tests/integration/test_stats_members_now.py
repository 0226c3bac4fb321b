"""The stats' members at risk and expiring soon, against DynamoDB Local: passes with histories of their own are
ledgered from the table's stream, and the totals count them as of the request, reading only the member counters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from loyalty.adapters.dynamodb.offers import DynamoOfferStore
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.adapters.dynamodb.stats import StatsReader
from loyalty.app.customers.recovery import RecoveryMail
from loyalty.app.offers.catalog import create_offer
from loyalty.app.offers.commands import CreateOffer
from loyalty.app.passes import enrollment
from loyalty.app.passes.commands import Actor, Enroll
from loyalty.app.stats.offer_stats import offer_stats
from loyalty.domain.clock import to_iso
from loyalty.domain.offers import parse_offer_terms
from loyalty.domain.pass_results import Enrolled
from loyalty.entrypoints.http.render import render_pass
from loyalty_local.cloud.ledger_drain import drain
from tests.support import pass_actions

pytestmark = pytest.mark.integration

BUSINESS = "biz_membersnow000000000000"
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def test_at_risk_and_expiring_soon_are_counted_as_of_the_request(ddb: Any, table_name: str) -> None:
    clock = Clock()
    offers, store = DynamoOfferStore(ddb, table_name), DynamoPassStore(ddb, table_name)
    clock.now = NOW - timedelta(days=120)
    offer = create_offer(
        offers, CreateOffer(BUSINESS, parse_offer_terms({"name": "Now", "stampsRequired": 9})), clock=clock
    )
    manager = Actor("user-north", BUSINESS, "north", is_owner=False)

    def member(email: str, joined_days_ago: int, visits_days_ago: list[int]) -> None:
        clock.now = NOW - timedelta(days=joined_days_ago)
        joined = enrollment.enroll(
            store, clock, Enroll(offer.offer_id, email, "Member"), RecoveryMail.never_mailing(), render_pass
        )
        assert isinstance(joined, Enrolled)
        for days_ago in visits_days_ago:
            clock.now = NOW - timedelta(days=days_ago)
            pass_actions.scan(store, clock, manager, joined.pass_.customer_id, offer.offer_id)

    # Last seen 80 days ago (10 before the 90-day limit): expiring soon; one visit, so no rhythm to be at risk of.
    member("fading@example.com", 80, [80])
    # Joined 40 days ago, visits 40 and 30 days ago: a usual gap of 10 days, at risk 20 days after the last visit.
    member("drifting@example.com", 40, [40, 30])
    # Visits every few days, the last yesterday: neither.
    member("regular@example.com", 9, [9, 6, 3, 1])
    drain(ddb, table_name)

    reader = StatsReader(ddb, table_name)
    day = NOW.date().isoformat()
    now = offer_stats(
        offers, reader, BUSINESS, offer.offer_id, start=day, end=day, at=to_iso(NOW), inactivity_days=90
    )
    assert (now.at_risk, now.expiring_soon) == (1, 1)
    assert now.members["active"] == 3
    # Twenty days earlier nobody was at risk yet, and the first member was still far from the limit.
    earlier = offer_stats(
        offers,
        reader,
        BUSINESS,
        offer.offer_id,
        start=day,
        end=day,
        at=to_iso(NOW - timedelta(days=20)),
        inactivity_days=90,
    )
    assert (earlier.at_risk, earlier.expiring_soon) == (0, 0)
