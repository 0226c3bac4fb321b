"""Members filtered by tier (issue 21): requests per page of 50 gold members, and that the page is full, at two
sizes of the offer (2% of its members gold), so the figure is seen not to grow with the offer.

Members are enrolled and given their prizes through the real use cases into a table created from template.yaml
in DynamoDB Local; requests and read units are what the reading client sends and DynamoDB Local reports
(`ReturnConsumedCapacity=TOTAL`). 100,000 members take this machine too long to enroll this way; the sizes below
run in a few minutes, and decision 0021d says why the figure holds at 100,000 (it depends on how rare the tier is
past the cursor, not on how many members the offer has).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.figures import Figure
from loyalty.adapters.dynamodb.members import MemberStore
from loyalty.adapters.dynamodb.offers import DynamoOfferStore
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.app.customers.recovery import RecoveryMail
from loyalty.app.offers.catalog import create_offer
from loyalty.app.offers.commands import CreateOffer
from loyalty.app.offers.members import list_members
from loyalty.app.passes import actions as pass_actions
from loyalty.app.passes import enrollment
from loyalty.app.passes.commands import Actor, ConfirmPrize, Enroll, Scan
from loyalty.domain.offers import parse_offer_terms
from loyalty.domain.pass_results import Enrolled
from loyalty.entrypoints.http.render import render_pass
from loyalty_local.cloud.dynamodb_local import create_table, dynamodb_client, start_dynamodb_local

BUSINESS = "biz_benchmembersfilter0000"
SIZES = (4_000, 16_000)
GOLD_EVERY = 50  # 2% of the members have claimed 6 rewards: gold in the default ladder
LOADERS = 4
PAGE = 50


class Clock:
    def __init__(self, part: int) -> None:
        self.now = datetime(2026, 1, 5, 8, 0, tzinfo=UTC) + timedelta(seconds=part)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=LOADERS)
        return self.now


class Meter:
    def __init__(self, client: Any) -> None:
        self.requests = 0
        self.units = 0.0
        events = client.meta.events
        for operation in ("Query", "GetItem", "BatchGetItem", "Scan"):
            events.register(f"provide-client-params.dynamodb.{operation}", self._ask)
            events.register(f"after-call.dynamodb.{operation}", self._seen)

    def _ask(self, params: dict[str, Any], **_: Any) -> None:
        params["ReturnConsumedCapacity"] = "TOTAL"

    def _seen(self, parsed: dict[str, Any], **_: Any) -> None:
        self.requests += 1
        consumed = parsed.get("ConsumedCapacity") or {}
        for entry in consumed if isinstance(consumed, list) else [consumed]:
            self.units += float(entry.get("CapacityUnits", 0))


def _enroll_part(endpoint: str, table: str, offer_id: str, numbers: range, part: int) -> None:
    store, clock = DynamoPassStore(dynamodb_client(endpoint), table), Clock(part)
    actor = Actor("bench-north", BUSINESS, "north", is_owner=True)
    for n in numbers:
        if n % LOADERS != part:
            continue
        command = Enroll(offer_id, f"m{n}@bench.example", "Bench Member")
        joined = enrollment.enroll(store, clock, command, RecoveryMail.never_mailing(), render_pass)
        assert isinstance(joined, Enrolled)
        if n % GOLD_EVERY == 17:
            customer = joined.pass_.customer_id
            for _ in range(6):
                pass_actions.scan(store, clock, Scan(actor, customer, offer_id), render_pass)
                pass_actions.confirm_prize(store, clock, ConfirmPrize(actor, customer, offer_id), render_pass)


def run() -> list[Figure]:
    local = start_dynamodb_local()
    try:
        table = f"bench-members-{int(time.time())}"
        loader = dynamodb_client(local.endpoint)
        create_table(loader, table)
        offer = create_offer(
            DynamoOfferStore(loader, table),
            CreateOffer(BUSINESS, parse_offer_terms({"name": "Filter", "stampsRequired": 1})),
            clock=Clock(0),
        )
        figures: list[Figure] = []
        done = 0
        for size in SIZES:
            with ThreadPoolExecutor(LOADERS) as pool:
                list(
                    pool.map(
                        lambda part, low=done, high=size: _enroll_part(
                            local.endpoint, table, offer.offer_id, range(low, high), part
                        ),
                        range(LOADERS),
                    )
                )
            done = size
            reader = dynamodb_client(local.endpoint)
            meter, members = Meter(reader), MemberStore(reader, table)
            first = list_members(members, BUSINESS, offer.offer_id, show_email=False, tier="gold", limit=PAGE)
            first_requests, first_units = meter.requests, meter.units
            meter.requests, meter.units = 0, 0.0
            second = list_members(
                members,
                BUSINESS,
                offer.offer_id,
                show_email=False,
                tier="gold",
                limit=PAGE,
                cursor=first.next_cursor,
            )
            label = f"{size:,} members"
            figures += [
                Figure(
                    f"members tier filter requests per page ({label})",
                    max(first_requests, meter.requests),
                    "requests",
                    f"aim <= 3 (at 100,000); pages of {len(first.members)} and {len(second.members)} of {PAGE}",
                ),
                Figure(
                    f"members tier filter read units per page ({label})",
                    max(first_units, meter.units),
                    "RCU",
                    "index items passed over + the page's passes",
                ),
            ]
        return figures
    finally:
        local.stop()
