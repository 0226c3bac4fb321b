"""The scan of a weekly customer: write units of each card's first scan of a week, over half a year of visits.

Every visit goes through the scan use case (and the prize, and now and then a manager's void under a key) into a
table created from template.yaml in DynamoDB Local, with the clock set to the visit's moment. Write units are what
DynamoDB Local reports with `ReturnConsumedCapacity=INDEXES` on each scan's UpdateItem: the pass item (1 unit per
started KB of the larger of its two images) and the activity index's entry when it moves (a delete and a put).
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.figures import Figure
from loyalty.adapters.dynamodb.offers import DynamoOfferStore
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.app.customers.recovery import RecoveryMail
from loyalty.app.offers.catalog import create_offer
from loyalty.app.offers.commands import CreateOffer
from loyalty.app.passes import actions as pass_actions
from loyalty.app.passes import enrollment
from loyalty.app.passes.commands import Actor, ConfirmPrize, Enroll, Scan, VoidStamp
from loyalty.domain.bound_keys import bound_key
from loyalty.domain.offers import parse_offer_terms
from loyalty.domain.pass_results import Enrolled
from loyalty.domain.passes import RewardReady
from loyalty.entrypoints.http.render import render_pass
from loyalty_local.cloud.dynamodb_local import create_table, dynamodb_client, start_dynamodb_local

BUSINESS = "biz_benchweeks000000001"
CUSTOMERS = 30
WEEKS = 26
START = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)  # a Monday
VOID_SHARE = 0.05
# A Cognito `sub` and the branches a shop's managers scan at.
MANAGERS = [
    Actor(f"0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e{n:02d}", BUSINESS, branch)
    for n, branch in enumerate(("branch-north", "branch-south", "branch-airport"))
]


class UpdateUnits:
    """Write units of the last UpdateItem: the table's and the indexes'."""

    def __init__(self, client: Any) -> None:
        self.table = self.indexes = 0.0
        client.meta.events.register("provide-client-params.dynamodb.UpdateItem", self._ask)
        client.meta.events.register("after-call.dynamodb.UpdateItem", self._seen)

    def _ask(self, params: dict[str, Any], **_: Any) -> None:
        params["ReturnConsumedCapacity"] = "INDEXES"

    def _seen(self, parsed: dict[str, Any], **_: Any) -> None:
        consumed = parsed.get("ConsumedCapacity") or {}
        self.table = float(consumed.get("Table", {}).get("CapacityUnits", 0.0))
        self.indexes = sum(
            float(entry.get("CapacityUnits", 0.0))
            for entry in consumed.get("GlobalSecondaryIndexes", {}).values()
        )


def _at(moment: datetime) -> Any:
    return lambda: moment


def run() -> list[Figure]:
    local = start_dynamodb_local()
    try:
        client = dynamodb_client(local.endpoint)
        table = f"bench-weeks-{int(time.time())}"
        create_table(client, table)
        units = UpdateUnits(client)
        store, offers = DynamoPassStore(client, table), DynamoOfferStore(client, table)
        terms = parse_offer_terms({"name": "Weekly", "stampsRequired": 10})
        offer = create_offer(offers, CreateOffer(BUSINESS, terms), clock=_at(START))
        rng = random.Random(21)
        customers = []
        for n in range(CUSTOMERS):
            command = Enroll(offer.offer_id, f"customer.number{n:03d}@mail.example.com", "Weekly Guest")
            enrolled = enrollment.enroll(
                store, _at(START), command, RecoveryMail.never_mailing(), render_pass
            )
            assert isinstance(enrolled, Enrolled)
            customers.append(enrolled.pass_.customer_id)

        first_of_week: list[float] = []
        table_units: list[float] = []
        moved = 0
        for week in range(1, WEEKS + 1):
            for n, customer in enumerate(customers):
                # Each customer's day and hour of the week, kept from week to week.
                moment = START + timedelta(weeks=week, days=n % 7, hours=n % 10, minutes=rng.randint(0, 59))
                actor = rng.choice(MANAGERS)
                # Keys as the scanner mints them, naming the pass (decision 0020a): no key item is claimed.
                key = bound_key(customer, offer.offer_id, f"w{week:03d}n{n:03d}x{rng.getrandbits(32):08x}")
                scan = Scan(actor, customer, offer.offer_id, key)
                try:
                    pass_actions.scan(store, _at(moment), scan, render_pass)
                except RewardReady:
                    prize = ConfirmPrize(actor, customer, offer.offer_id)
                    pass_actions.confirm_prize(store, _at(moment), prize, render_pass)
                    # The refused scan's key keeps its refusal: the visit's scan after the prize is a new request.
                    again = Scan(actor, customer, offer.offer_id, key + "-after-prize")
                    pass_actions.scan(store, _at(moment), again, render_pass)
                first_of_week.append(units.table + units.indexes)
                table_units.append(units.table)
                moved += 1 if units.indexes else 0
                if rng.random() < VOID_SHARE:  # taken back a moment later, under a key, by the same manager
                    void = VoidStamp(
                        actor, customer, offer.offer_id, "stamped twice by mistake", key + "-void"
                    )
                    pass_actions.void_stamp(store, _at(moment + timedelta(minutes=5)), void, render_pass)
        scans = len(first_of_week)
        return [
            Figure(
                "write units per scan (first of the week)",
                statistics.mean(first_of_week),
                "WCU",
                f"aim <= 1.5; {CUSTOMERS} weekly customers x {WEEKS} weeks, keyed, {VOID_SHARE:.0%} voided",
            ),
            Figure(
                "  of which the pass item",
                statistics.mean(table_units),
                "WCU",
                "aim 1.0: the pass under 1 KB",
            ),
            Figure(
                "  first scans of a week that moved the activity-index entry",
                moved / scans,
                "share",
                "a new month: 2 index write units",
            ),
        ]
    finally:
        local.stop()
