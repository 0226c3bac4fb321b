"""The members list filtered by tier against DynamoDB Local (docs/decisions/0021d): every page is full of members of
that tier (until they end), in the same number of requests at two sizes of the offer, and the cursors walk through
each of them once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from loyalty.adapters.dynamodb.dynamo import to_item
from loyalty.adapters.dynamodb.members import MemberStore
from loyalty.adapters.dynamodb.offers import DynamoOfferStore
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.app.customers.recovery import RecoveryMail
from loyalty.app.offers.catalog import create_offer
from loyalty.app.offers.commands import CreateOffer
from loyalty.app.offers.members import list_members
from loyalty.app.passes.commands import Actor
from loyalty.domain.offers import parse_offer_terms
from loyalty.entrypoints.http.contract import EnrollmentRequest
from loyalty.entrypoints.http.render import members_answer
from loyalty_local.cloud.dynamodb_local import dynamodb_client
from loyalty_local.cloud.ledger_drain import drain
from tests.support import pass_actions

pytestmark = pytest.mark.integration

BUSINESS = "biz_memberfilters000000000"
GOLD_EVERY = 30  # one member in 30 has claimed 6 rewards (gold in the default ladder)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


class Requests:
    def __init__(self, client: Any) -> None:
        self.count = 0
        for operation in ("Query", "GetItem", "BatchGetItem", "Scan"):
            client.meta.events.register(f"after-call.dynamodb.{operation}", self._seen)

    def _seen(self, **_: Any) -> None:
        self.count += 1


def _offer_of(ddb: Any, table: str, members: int) -> tuple[str, set[str]]:
    clock, store = Clock(), DynamoPassStore(ddb, table)
    offer = create_offer(
        DynamoOfferStore(ddb, table),
        CreateOffer(BUSINESS, parse_offer_terms({"name": "Filters", "stampsRequired": 1})),
        clock=clock,
    )
    actor = Actor("user-north", BUSINESS, "north", is_owner=True)
    gold = set()
    for n in range(members):
        form = EnrollmentRequest(email=f"m{n}@example.com", name=f"Member {n}")
        joined = pass_actions.enroll(store, clock, offer.offer_id, form, RecoveryMail.never_mailing())
        customer = str(joined.body["customerId"])
        if n % GOLD_EVERY == 7:
            for _ in range(6):
                pass_actions.scan(store, clock, actor, customer, offer.offer_id)
                pass_actions.confirm_prize(store, clock, actor, customer, offer.offer_id)
            gold.add(customer)
    return offer.offer_id, gold


@pytest.mark.parametrize("members", [150, 450])
def test_a_tier_page_is_full_and_costs_the_same_at_any_size(
    dynamodb_endpoint: str, ddb: Any, table_name: str, members: int
) -> None:
    offer_id, gold = _offer_of(ddb, table_name, members)
    reader = dynamodb_client(dynamodb_endpoint)
    requests, store = Requests(reader), MemberStore(reader, table_name)
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        requests.count = 0
        page = members_answer(
            list_members(store, BUSINESS, offer_id, show_email=False, tier="gold", limit=4, cursor=cursor)
        )
        assert requests.count <= 3, f"page {pages + 1} took {requests.count} requests"
        ids = [item["customerId"] for item in page["items"]]
        assert all(item["tier"]["currentTier"]["id"] == "gold" for item in page["items"])
        cursor = page["nextCursor"]
        pages += 1
        seen += ids
        if cursor is None:
            break
        assert len(ids) == 4, "a page short of members while more follow"
    assert sorted(seen) == sorted(gold)
    assert pages == -(-len(gold) // 4)


def test_members_in_no_tier_fill_their_page(dynamodb_endpoint: str, ddb: Any, table_name: str) -> None:
    offer_id, gold = _offer_of(ddb, table_name, 40)
    page = members_answer(
        list_members(
            MemberStore(ddb, table_name),
            BUSINESS,
            offer_id,
            show_email=False,
            tier="none",
            limit=25,
            cursor=None,
        )
    )
    assert len(page["items"]) == 25
    assert not {item["customerId"] for item in page["items"]} & gold
    assert page["nextCursor"] is not None


class IndexReads:
    """The index items a page's Queries read (`ScannedCount`), and its requests."""

    def __init__(self, client: Any) -> None:
        self.scanned = 0
        self.requests = 0
        for operation in ("Query", "GetItem", "BatchGetItem", "Scan"):
            client.meta.events.register(f"after-call.dynamodb.{operation}", self._seen)

    def reset(self) -> None:
        self.scanned = self.requests = 0

    def _seen(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        self.requests += 1
        if model.name == "Query":
            self.scanned += int(parsed.get("ScannedCount", 0))


def _walk(store: MemberStore, offer_id: str, reads: IndexReads, limit: int) -> tuple[list[str], list[int]]:
    """Every page of gold members: the ids seen, and the index items each page read."""
    seen: list[str] = []
    scanned: list[int] = []
    cursor = None
    while True:
        reads.reset()
        page = members_answer(
            list_members(store, BUSINESS, offer_id, show_email=False, tier="gold", limit=limit, cursor=cursor)
        )
        assert reads.requests <= 4, f"a page took {reads.requests} requests"
        assert all(item["tier"]["currentTier"]["id"] == "gold" for item in page["items"])
        seen += [item["customerId"] for item in page["items"]]
        scanned.append(reads.scanned)
        cursor = page["nextCursor"]
        if cursor is None:
            return seen, scanned


def test_with_the_members_counted_a_page_reads_about_what_its_tier_needs(
    dynamodb_endpoint: str, ddb: Any, table_name: str
) -> None:
    offer_id, gold = _offer_of(ddb, table_name, 450)
    drain(ddb, table_name)  # the members counts the ledger keeps
    reader = dynamodb_client(dynamodb_endpoint)
    reads = IndexReads(reader)
    seen, scanned = _walk(MemberStore(reader, table_name), offer_id, reads, limit=4)
    assert sorted(seen) == sorted(gold)
    assert len(seen) == len(set(seen))
    # 1 in 30 gold: a page of 4 asks for the ~150 index items its matches need plus a margin for their spread
    # (~350 in all), not the whole offer (what a Query without Limit reads to its 1 MB: all 450 here).
    assert max(scanned[:-1]) < 400, scanned


def test_counts_that_mislead_give_short_pages_that_still_walk_every_member_once(
    dynamodb_endpoint: str, ddb: Any, table_name: str
) -> None:
    offer_id, gold = _offer_of(ddb, table_name, 300)
    # Counts saying every member is gold: the first Query asks for about a page and finds few.
    ddb.put_item(
        TableName=table_name,
        Item=to_item(
            {"PK": f"STATS#{offer_id}", "SK": "MEMBERS#0", "entity": "STATS", "active": 300, "rewards=6": 300}
        ),
    )
    reader = dynamodb_client(dynamodb_endpoint)
    seen, _ = _walk(MemberStore(reader, table_name), offer_id, IndexReads(reader), limit=4)
    assert sorted(seen) == sorted(gold)
    assert len(seen) == len(set(seen))
