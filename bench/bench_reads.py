"""Reads sized by their answers (issue 21): items erasure reads for a customer of 10,000 events, and the stats.

Every event is written through the real use cases into a table created from template.yaml in DynamoDB Local, and
the stream ledgered as the ledger does on AWS; items read are what DynamoDB reports (ScannedCount of each Query,
Count of each item got), counted by a botocore hook on the client the read goes through.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.figures import Figure
from loyalty.adapters.dynamodb.customers import CustomerStore
from loyalty.adapters.dynamodb.offers import OfferStore
from loyalty.adapters.dynamodb.pass_store import PassStore
from loyalty.app.customers.erasure import erase_customer
from loyalty.app.customers.recovery import RecoveryMail
from loyalty.app.offers.catalog import create_offer
from loyalty.app.passes import actions as pass_actions
from loyalty.app.passes import enrollment
from loyalty.app.passes.commands import Actor, ConfirmPrize, Scan
from loyalty.domain.passes import RewardReady
from loyalty.entrypoints.http.render import render_pass
from loyalty_local.cloud.dynamodb_local import create_table, dynamodb_client, start_dynamodb_local
from loyalty_local.cloud.ledger_drain import drain

BUSINESS = "biz_benchreads000000000000"
START = datetime(2025, 12, 1, 8, 0, tzinfo=UTC)
ERASURE_EVENTS = 10_000
ERASURE_PASSES = 5


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


def _visits(store: PassStore, offer_id: str, customer_id: str, count: int) -> None:
    clock, actor = Clock(), Actor("bench-north", BUSINESS, "north", is_owner=True)
    for _ in range(count):
        try:
            pass_actions.scan(store, clock, Scan(actor, customer_id, offer_id), render_pass)
        except RewardReady:
            pass_actions.confirm_prize(store, clock, ConfirmPrize(actor, customer_id, offer_id), render_pass)


def erasure_figures(endpoint: str, table: str) -> list[Figure]:
    """A customer with 5 passes (5 offers) and 10,000 events between them, enrolled with Idempotency-Keys."""
    loader = dynamodb_client(endpoint)
    store, offers = PassStore(loader, table), OfferStore(loader, table)
    clock = Clock()
    email = "erase.me@bench.example"
    passes: list[tuple[str, str]] = []
    for n in range(ERASURE_PASSES):
        offer = create_offer(offers, BUSINESS, {"name": f"Erase {n}", "stampsRequired": 10}, clock=clock)
        form = enrollment.EnrollmentRequest(email=email, name="Bench Member")
        joined = enrollment.enroll(
            store, clock, offer.offer_id, form, RecoveryMail.never_mailing(), idempotency_key=f"join-{n}"
        )
        passes.append((offer.offer_id, str(joined.body["customerId"])))
    customer = passes[0][1]
    each = ERASURE_EVENTS // ERASURE_PASSES - 1  # + the enrollment
    with ThreadPoolExecutor(ERASURE_PASSES) as pool:
        list(
            pool.map(
                lambda found: _visits(PassStore(dynamodb_client(endpoint), table), found[0], customer, each),
                passes,
            )
        )
    drain(loader, table)  # the events written, as the ledger writes them
    reader = dynamodb_client(endpoint)
    read = ItemsRead(reader)
    started = time.perf_counter()
    erase_customer(
        CustomerStore(reader, table), PassStore(reader, table), clock, BUSINESS, customer, "bench-owner"
    )
    took = (time.perf_counter() - started) * 1000
    label = f"{ERASURE_EVENTS:,} events"
    return [
        Figure(f"erasure items read ({label})", read.items, "items", f"aim <= 50; {ERASURE_PASSES} passes"),
        Figure(f"erasure requests ({label})", read.requests, "requests"),
        Figure(f"erase a customer ({ERASURE_PASSES} passes, {label})", took, "ms"),
    ]


def run() -> list[Figure]:
    local = start_dynamodb_local()
    try:
        table = f"bench-reads-{int(time.time())}"
        create_table(dynamodb_client(local.endpoint), table)
        return erasure_figures(local.endpoint, table)
    finally:
        local.stop()
