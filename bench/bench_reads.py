"""Reads sized by their answers (issue 21): items erasure reads for a customer of 10,000 events; stats read units.

The erased customer's events are written through the real use cases into a table created from template.yaml in
DynamoDB Local, and the stream ledgered as the ledger does on AWS; the stats counters are written as the ledger
writes them (its own tally and counter writes), without the events, which the stats read never touches; items read are what DynamoDB reports (ScannedCount of each Query,
Count of each item got), counted by a botocore hook on the client the read goes through; read units are what
DynamoDB Local reports with `ReturnConsumedCapacity=TOTAL` on each Query (eventually consistent, as the stats read).
"""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.figures import Figure
from loyalty.adapters.dynamodb.customers import CustomerStore
from loyalty.adapters.dynamodb.offers import DynamoOfferStore
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.adapters.dynamodb.stats import CounterItem, StatsReader, counter_writes, tally_counts
from loyalty.app.customers.erasure import erase_customer
from loyalty.app.customers.recovery import RecoveryMail
from loyalty.app.offers.catalog import create_offer
from loyalty.app.offers.commands import CreateOffer
from loyalty.app.passes import actions as pass_actions
from loyalty.app.passes import enrollment
from loyalty.app.passes.commands import Actor, ConfirmPrize, Enroll, Scan
from loyalty.app.stats.offer_stats import offer_stats
from loyalty.domain.offers import parse_offer_terms
from loyalty.domain.pass_results import Enrolled
from loyalty.domain.passes import RewardReady
from loyalty.domain.stats import Tally
from loyalty.entrypoints.http.render import render_pass
from loyalty_local.cloud.dynamodb_local import create_table, dynamodb_client, start_dynamodb_local
from loyalty_local.cloud.ledger_drain import drain

BUSINESS = "biz_benchreads000000000000"
START = datetime(2025, 12, 1, 8, 0, tzinfo=UTC)
ERASURE_EVENTS = 10_000
ERASURE_PASSES = 5
STATS_DAYS = 365
BRANCHES = [f"br_{f'bench{n:02d}':x<26}" for n in range(30)]  # as long as a real branch id
STATS_CUSTOMERS = 400
VISITS = 8


class ItemsRead:
    """Items DynamoDB reports having read, by the client it is attached to."""

    def __init__(self, client: Any) -> None:
        self.items = 0
        self.requests = 0
        for operation in ("Query", "Scan", "GetItem", "BatchGetItem"):
            client.meta.events.register(f"after-call.dynamodb.{operation}", self._seen)

    def _seen(self, parsed: dict[str, Any], **_: Any) -> None:
        self.requests += 1
        if "ScannedCount" in parsed:
            self.items += int(parsed["ScannedCount"])
        elif "Item" in parsed:
            self.items += 1
        elif "Responses" in parsed:
            self.items += sum(len(found) for found in parsed["Responses"].values())


class Clock:
    """Minutes apart, from START: a long history of one customer's visits."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=3)
        return self.now


def _visits(store: DynamoPassStore, offer_id: str, customer_id: str, count: int) -> None:
    clock, actor = Clock(), Actor("bench-north", BUSINESS, "north", is_owner=True)
    for _ in range(count):
        try:
            pass_actions.scan(store, clock, Scan(actor, customer_id, offer_id), render_pass)
        except RewardReady:
            pass_actions.confirm_prize(store, clock, ConfirmPrize(actor, customer_id, offer_id), render_pass)


def erasure_figures(endpoint: str, table: str) -> list[Figure]:
    """A customer with 5 passes (5 offers) and 10,000 events between them, enrolled with Idempotency-Keys."""
    loader = dynamodb_client(endpoint)
    store, offers = DynamoPassStore(loader, table), DynamoOfferStore(loader, table)
    clock = Clock()
    email = "erase.me@bench.example"
    passes: list[tuple[str, str]] = []
    for n in range(ERASURE_PASSES):
        terms = parse_offer_terms({"name": f"Erase {n}", "stampsRequired": 10})
        offer = create_offer(offers, CreateOffer(BUSINESS, terms), clock=clock)
        command = Enroll(offer.offer_id, email, "Bench Member", idempotency_key=f"join-{n}")
        joined = enrollment.enroll(store, clock, command, RecoveryMail.never_mailing(), render_pass)
        assert isinstance(joined, Enrolled)
        passes.append((offer.offer_id, joined.pass_.customer_id))
    customer = passes[0][1]
    each = ERASURE_EVENTS // ERASURE_PASSES - 1  # + the enrollment
    with ThreadPoolExecutor(ERASURE_PASSES) as pool:
        list(
            pool.map(
                lambda found: _visits(
                    DynamoPassStore(dynamodb_client(endpoint), table), found[0], customer, each
                ),
                passes,
            )
        )
    drain(loader, table)  # the events written, as the ledger writes them
    reader = dynamodb_client(endpoint)
    read = ItemsRead(reader)
    started = time.perf_counter()
    erase_customer(
        CustomerStore(reader, table), DynamoPassStore(reader, table), clock, BUSINESS, customer, "bench-owner"
    )
    took = (time.perf_counter() - started) * 1000
    label = f"{ERASURE_EVENTS:,} events"
    return [
        Figure(f"erasure items read ({label})", read.items, "items", f"aim <= 50; {ERASURE_PASSES} passes"),
        Figure(f"erasure requests ({label})", read.requests, "requests"),
        Figure(f"erase a customer ({ERASURE_PASSES} passes, {label})", took, "ms"),
    ]


class ReadUnits:
    """Read units DynamoDB reports for the Queries of the client it is attached to."""

    def __init__(self, client: Any) -> None:
        self.units = 0.0
        client.meta.events.register("provide-client-params.dynamodb.Query", self._ask)
        client.meta.events.register("after-call.dynamodb.Query", self._seen)

    def _ask(self, params: dict[str, Any], **_: Any) -> None:
        params["ReturnConsumedCapacity"] = "TOTAL"

    def _seen(self, parsed: dict[str, Any], **_: Any) -> None:
        self.units += float((parsed.get("ConsumedCapacity") or {}).get("CapacityUnits", 0))


def _year_of_counters(client: Any, table: str, offer_id: str) -> int:
    """A year of counters at 30 branches, written as the ledger writes them (its `tally_counts`, summed per counter
    item a day as it sums a batch, and `counter_writes`), without the events: each branch serves VISITS customers
    a day, one in eight of them a prize. What the stats read does not depend on how the counts got there."""
    customers = [f"cus_bench{n:021d}" for n in range(STATS_CUSTOMERS)]
    changes = 0
    for day in range(STATS_DAYS):
        date = (START + timedelta(days=day)).date().isoformat()
        summed: dict[CounterItem, Counter[str]] = {}
        for b, branch in enumerate(BRANCHES):
            for v in range(VISITS):
                customer = customers[(day * 31 + b * VISITS + v) % len(customers)]
                kind = "prizes" if (day + b + v) % 8 == 0 else "stamps"
                for item, moved in tally_counts(
                    offer_id, customer, date, branch, Tally({kind: 1}, {})
                ).items():
                    summed.setdefault(item, Counter()).update(moved)
                changes += 1
        writes = counter_writes(table, summed)
        for start in range(0, len(writes), 100):
            client.transact_write_items(TransactItems=writes[start : start + 100])
    return changes


def stats_figures(endpoint: str, table: str) -> list[Figure]:
    """An offer run at 30 branches for 365 days, every branch busy every day."""
    loader = dynamodb_client(endpoint)
    offer = create_offer(
        DynamoOfferStore(loader, table),
        CreateOffer(BUSINESS, parse_offer_terms({"name": "Stats", "stampsRequired": 8})),
        clock=Clock(),
    )
    changes = _year_of_counters(loader, table, offer.offer_id)
    reader = dynamodb_client(endpoint)
    units, read = ReadUnits(reader), ItemsRead(reader)
    last = (START + timedelta(days=STATS_DAYS - 1)).date().isoformat()
    answer = offer_stats(
        DynamoOfferStore(reader, table),
        StatsReader(reader, table),
        BUSINESS,
        offer.offer_id,
        start=START.date().isoformat(),
        end=last,
    )
    assert len(answer.daily) == STATS_DAYS
    assert len(answer.by_branch) == len(BRANCHES)
    assert answer.totals["stamps"] + answer.totals["prizes"] == changes
    label = f"{STATS_DAYS} days, {len(BRANCHES)} branches"
    return [
        Figure(
            f"stats read units ({label})",
            units.units,
            "RCU",
            f"aim <= 200; {VISITS} customers a branch a day",
        ),
        Figure(f"stats items read ({label})", read.items, "items"),
    ]


def run() -> list[Figure]:
    local = start_dynamodb_local()
    try:
        table = f"bench-reads-{int(time.time())}"
        create_table(dynamodb_client(local.endpoint), table)
        return stats_figures(local.endpoint, table) + erasure_figures(local.endpoint, table)
    finally:
        local.stop()
