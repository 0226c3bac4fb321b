"""Members filtered by tier (issue 21): requests per page of 50 gold members, and that the page is full, at two
sizes of the offer (2% of its members gold), so the figure is seen not to grow with the offer.

Members are enrolled and given their prizes through the real use cases into a table created from template.yaml
in DynamoDB Local; requests and read units are what the reading client sends and DynamoDB Local reports
(`ReturnConsumedCapacity=TOTAL`). 100,000 members take this machine too long to enroll this way: at that size
the pass items are written straight into the table (BatchWriteItem, in the layout the pass store writes, GSI4's
keys included), as the use cases would have left them, and read the same way.
"""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.figures import Figure
from bench.loaders import bench_pass, load_items
from loyalty.adapters.dynamodb.dynamo import to_item
from loyalty.adapters.dynamodb.members import MemberStore
from loyalty.adapters.dynamodb.offers import DynamoOfferStore
from loyalty.adapters.dynamodb.pass_items import pass_to_item
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.adapters.dynamodb.stats import stats_partition, stats_shard
from loyalty.app.customers.recovery import RecoveryMail
from loyalty.app.offers.catalog import create_offer
from loyalty.app.offers.commands import CreateOffer
from loyalty.app.offers.members import list_members
from loyalty.app.passes import actions as pass_actions
from loyalty.app.passes import enrollment
from loyalty.app.passes.commands import Actor, ConfirmPrize, Enroll, Scan
from loyalty.domain.clock import to_iso
from loyalty.domain.offers import parse_offer_terms
from loyalty.domain.pass_results import Enrolled
from loyalty.domain.passes import Pass
from loyalty.domain.stats import membership
from loyalty.entrypoints.http.render import render_pass
from loyalty_local.cloud.dynamodb_local import create_table, dynamodb_client, start_dynamodb_local
from loyalty_local.cloud.ledger_drain import drain

BUSINESS = "biz_benchmembersfilter0000"
SIZES = (4_000, 16_000)
LOADED = 100_000  # written straight into a table of its own
GOLD_EVERY = 50  # 2% of the members have claimed 6 rewards: gold in the default ladder
LOADERS = 4
PAGE = 50
# A page of 50 gold members where 2% are gold asks the index for ~3,600 items (the page + 1 over the share, plus 3
# standard deviations of the count), ~200 B each as DynamoDB Local sizes them, eventually consistent: ~90 units;
# then the 51 passes, eventually consistent (~26), the offer and the 4 members counts items (~5): ~120 in all. The
# aim leaves a quarter more for counts items grown with a long history of activity days.
READ_UNITS_AIM = 150


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


def _loaded_pass(offer_id: str, n: int) -> Pass:
    at = to_iso(datetime(2026, 1, 5, 8, 0, tzinfo=UTC) + timedelta(seconds=n))
    gold = n % GOLD_EVERY == 17
    return bench_pass(
        offer_id,
        BUSINESS,
        at,
        stamps_required=1,
        rewards_claimed=6 if gold else 0,
        lifetime_stamps=6 if gold else 0,
        version=13 if gold else 1,
        email=f"m{n}@bench.example",
        customer_name="Bench Member",
    )


def _members_counts(offer_id: str, passes: list[Pass]) -> list[dict[str, Any]]:
    """The offer's members counts as the ledger leaves them for these passes: each pass's membership added to
    its customer's stats shard."""
    shards: dict[int, Counter[str]] = {}
    for pass_ in passes:
        shards.setdefault(stats_shard(pass_.customer_id), Counter()).update(membership(pass_))
    return [
        to_item(
            {"PK": stats_partition(offer_id), "SK": f"MEMBERS#{shard}", "entity": "STATS", **dict(counts)}
        )
        for shard, counts in shards.items()
    ]


def _page_figures(endpoint: str, table: str, offer_id: str, size: int) -> list[Figure]:
    reader = dynamodb_client(endpoint)
    meter, members = Meter(reader), MemberStore(reader, table)
    first = list_members(members, BUSINESS, offer_id, show_email=False, tier="gold", limit=PAGE)
    first_requests, first_units = meter.requests, meter.units
    meter.requests, meter.units = 0, 0.0
    second = list_members(
        members, BUSINESS, offer_id, show_email=False, tier="gold", limit=PAGE, cursor=first.next_cursor
    )
    label = f"{size:,} members"
    return [
        Figure(
            f"members tier filter requests per page ({label})",
            max(first_requests, meter.requests),
            "requests",
            f"aim <= 3; pages of {len(first.members)} and {len(second.members)} of {PAGE}",
        ),
        Figure(
            f"members tier filter read units per page ({label})",
            max(first_units, meter.units),
            "RCU",
            f"aim <= {READ_UNITS_AIM}; the index items a page at 2% needs (~3,600 x ~200 B) and its {PAGE} passes,"
            " eventually consistent, + the offer and 4 members counts items",
        ),
    ]


def _loaded(endpoint: str) -> list[Figure]:
    table = f"bench-members-loaded-{int(time.time())}"
    loader = dynamodb_client(endpoint)
    create_table(loader, table)
    offer = create_offer(
        DynamoOfferStore(loader, table),
        CreateOffer(BUSINESS, parse_offer_terms({"name": "Filter", "stampsRequired": 1})),
        clock=Clock(0),
    )
    passes = [_loaded_pass(offer.offer_id, n) for n in range(LOADED)]
    load_items(loader, table, [pass_to_item(p) for p in passes] + _members_counts(offer.offer_id, passes))
    return _page_figures(endpoint, table, offer.offer_id, LOADED)


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
            drain(loader, table)  # the members counts, as the ledger keeps them
            figures += _page_figures(local.endpoint, table, offer.offer_id, size)
        return figures + _loaded(local.endpoint)
    finally:
        local.stop()
