"""Running the business: DynamoDB requests and items read per stats call (30 and 365 days, at 1,000 and 10,000
events), requests per members page, and the time to erase a customer with 5 passes and 500 events.

Every event is written through the real use cases (scan, void, confirm prize) into a table created from
template.yaml in DynamoDB Local; requests and items read are counted by a botocore hook on the reading client
(what DynamoDB reports having read), not estimated.
"""

from __future__ import annotations

import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.figures import Figure
from loyalty.adapters.dynamodb.customers import CustomerStore
from loyalty.adapters.dynamodb.members import MemberStore
from loyalty.adapters.dynamodb.offers import DynamoOfferStore
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.adapters.dynamodb.stats import StatsReader
from loyalty.app.customers.erasure import erase_customer
from loyalty.app.offers.catalog import create_offer
from loyalty.app.offers.commands import CreateOffer
from loyalty.app.offers.members import list_members
from loyalty.app.passes import actions as pass_actions
from loyalty.app.passes import enrollment
from loyalty.app.passes.commands import Actor, ConfirmPrize, Enroll, Scan, VoidStamp
from loyalty.app.stats.offer_stats import offer_stats
from loyalty.domain.offers import parse_offer_edit, parse_offer_terms
from loyalty.domain.pass_results import Enrolled
from loyalty.domain.passes import NotEnoughStamps, NothingToVoid, RewardReady
from loyalty.entrypoints.http.render import render_pass
from loyalty_local.cloud.dynamodb_local import create_table, dynamodb_client, start_dynamodb_local
from loyalty_local.cloud.ledger_drain import drain

BUSINESS = "biz_benchoperations00000001"
END = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
MEMBERS = 200
LOADERS = 4


@dataclass
class RequestMeter:
    """Requests and items read, as the client receives the answers."""

    requests: int = 0
    items_read: int = 0
    by_operation: dict[str, int] = field(default_factory=dict)

    def attach(self, client: Any) -> None:
        for operation in ("Query", "GetItem", "BatchGetItem", "Scan"):
            client.meta.events.register(f"after-call.dynamodb.{operation}", self._counted(operation))

    def _counted(self, operation: str) -> Any:
        def on_answer(parsed: dict[str, Any], **_: Any) -> None:
            self.requests += 1
            self.by_operation[operation] = self.by_operation.get(operation, 0) + 1
            if operation in ("Query", "Scan"):
                self.items_read += int(parsed.get("ScannedCount", 0))
            elif operation == "GetItem":
                self.items_read += 1 if parsed.get("Item") else 0
            else:
                self.items_read += sum(len(items) for items in parsed.get("Responses", {}).values())

        return on_answer

    def reset(self) -> None:
        self.requests = self.items_read = 0


class Clock:
    """A moment of the past year per call (events spread over 365 days, as a year of business would)."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def __call__(self) -> datetime:
        return END - timedelta(minutes=self._rng.randint(0, 364 * 24 * 60))


def _actor(branch: str) -> Actor:
    return Actor(f"bench-{branch}", BUSINESS, branch, is_owner=True)


def _visit(store: DynamoPassStore, clock: Clock, offer_id: str, customer_id: str, rng: random.Random) -> None:
    """One event: a void now and then, a stamp, or the prize of a full card."""
    actor = _actor(rng.choice(["north", "south", "east"]))
    if rng.random() < 0.05:
        try:
            pass_actions.void_stamp(store, clock, VoidStamp(actor, customer_id, offer_id), render_pass)
            return
        except NothingToVoid:
            pass
    while True:
        try:
            pass_actions.scan(store, clock, Scan(actor, customer_id, offer_id), render_pass)
            return
        except RewardReady:
            pass
        try:
            pass_actions.confirm_prize(store, clock, ConfirmPrize(actor, customer_id, offer_id), render_pass)
            return
        except NotEnoughStamps:
            pass  # another loader confirmed this card's prize first: stamp it afresh


def _enroll(store: DynamoPassStore, clock: Clock, offer_id: str, email: str) -> str:
    from loyalty.app.customers.recovery import RecoveryMail

    # Every bench email is new, so no recovery mail is ever due.
    recovery = RecoveryMail.never_mailing()
    enrolled = enrollment.enroll(store, clock, Enroll(offer_id, email, "Bench Member"), recovery, render_pass)
    assert isinstance(enrolled, Enrolled)
    return enrolled.pass_.customer_id


def _load(
    store: DynamoPassStore, clock: Clock, offer_id: str, customers: list[str], events: int, seed: int
) -> None:
    def worker(part: int) -> None:
        rng = random.Random(seed * 100 + part)
        for _ in range(events // LOADERS):
            _visit(store, clock, offer_id, rng.choice(customers), rng)

    with ThreadPoolExecutor(LOADERS) as pool:
        list(pool.map(worker, range(LOADERS)))


def _stats_figures(client: Any, table: str, offer_id: str, events: int) -> list[Figure]:
    meter = RequestMeter()
    meter.attach(client)
    offers, reader = DynamoOfferStore(client, table), StatsReader(client, table)
    figures = []
    for days in (30, 365):
        start = (END - timedelta(days=days - 1)).date().isoformat()
        meter.reset()
        answer = offer_stats(offers, reader, BUSINESS, offer_id, start=start, end=END.date().isoformat())
        assert len(answer.daily) == days
        label = f"{days} days, {events:,} events"
        figures.append(Figure(f"stats: DynamoDB requests ({label})", meter.requests, "requests"))
        figures.append(Figure(f"stats: items read ({label})", meter.items_read, "items", "offer + counters"))
    return figures


def run() -> list[Figure]:
    local = start_dynamodb_local()
    try:
        client = dynamodb_client(local.endpoint)
        table = f"bench-ops-{int(time.time())}"
        create_table(client, table)
        loader = dynamodb_client(local.endpoint)
        store, offers = DynamoPassStore(loader, table), DynamoOfferStore(loader, table)
        clock = Clock(random.Random(13))
        offer = create_offer(
            offers,
            CreateOffer(BUSINESS, parse_offer_terms({"name": "Bench", "stampsRequired": 8})),
            clock=clock,
        )
        offers.edit(
            offer.offer_id,
            BUSINESS,
            parse_offer_edit({"timezone": "Asia/Riyadh"}),
            at="2026-01-01T00:00:00.000Z",
        )
        customers = [
            _enroll(store, clock, offer.offer_id, f"member{n}@bench.example") for n in range(MEMBERS)
        ]

        figures: list[Figure] = []
        _load(store, clock, offer.offer_id, customers, 1_000 - MEMBERS, seed=1)
        drain(loader, table)  # the ledger writes the events' counters, as the stream consumer does on AWS
        figures += _stats_figures(client, table, offer.offer_id, 1_000)
        _load(store, clock, offer.offer_id, customers, 9_000, seed=2)
        drain(loader, table)
        figures += _stats_figures(client, table, offer.offer_id, 10_000)

        meter = RequestMeter()
        meter.attach(client)
        members = MemberStore(client, table)
        page = list_members(members, BUSINESS, offer.offer_id, show_email=True, limit=50)
        figures.append(
            Figure("members: requests per page of 50", meter.requests, "requests", "Query + BatchGetItem")
        )
        meter.reset()
        list_members(members, BUSINESS, offer.offer_id, show_email=True, limit=50, cursor=page.next_cursor)
        figures.append(Figure("members: requests for the next page", meter.requests, "requests"))
        meter.reset()
        list_members(members, BUSINESS, offer.offer_id, show_email=False, q="member7@bench.example")
        figures.append(Figure("members: requests for an email search", meter.requests, "requests"))

        figures.append(_erase_figure(loader, table))
        return figures
    finally:
        local.stop()


def _erase_figure(client: Any, table: str) -> Figure:
    """A customer with 5 passes (5 offers) and 500 events between them, erased."""
    store, offers = DynamoPassStore(client, table), DynamoOfferStore(client, table)
    clock = Clock(random.Random(29))
    rng = random.Random(31)
    email = "erase.me@bench.example"
    passes = []
    for n in range(5):
        offer = create_offer(
            offers,
            CreateOffer(BUSINESS, parse_offer_terms({"name": f"Erase {n}", "stampsRequired": 10})),
            clock=clock,
        )
        passes.append((offer.offer_id, _enroll(store, clock, offer.offer_id, email)))
    customer = passes[0][1]
    for offer_id, _ in passes:
        for _ in range(99):  # + the enrollment: 100 events a pass
            _visit(store, clock, offer_id, customer, rng)
    drain(client, table)  # the 500 events written, as the ledger writes them
    started = time.perf_counter()
    erase_customer(CustomerStore(client, table), store, clock, BUSINESS, customer, "bench-owner")
    return Figure("erase a customer (5 passes, 500 events)", (time.perf_counter() - started) * 1000, "ms")
