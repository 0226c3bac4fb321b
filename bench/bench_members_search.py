"""Members search: DynamoDB requests and items read per search, at 1,000 and 100,000 members of one offer.

Requests and items are counted, not estimated: botocore hooks on the client count every call and add up each
Query's ScannedCount and each BatchGetItem's items, on a table created from template.yaml in DynamoDB Local,
loaded with the offer, its passes and the member directory entries the table's stream would have written. Each
search asks for a page of 20: the start of a name, the start of an email, a short code, the latest visits, the
passes expiring soon, the full cards. Flat figures from 1,000 to 100,000 members are the point.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.figures import Figure
from bench.loaders import in_dynamodb_local
from loyalty.adapters.dynamodb.dynamo import to_item
from loyalty.adapters.dynamodb.member_directory import MemberDirectoryStore
from loyalty.adapters.dynamodb.members import MemberStore
from loyalty.adapters.dynamodb.offers import offer_to_item
from loyalty.adapters.dynamodb.pass_items import pass_to_item
from loyalty.app.offers.directory import directory_update, find_members
from loyalty.app.ports.ledger import PassWritten
from loyalty.domain.clock import to_iso
from loyalty.domain.ids import new_id, new_secret_token
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass, PassStatus, new_pass
from loyalty_local.cloud.dynamodb_local import create_table, dynamodb_client

SIZES = tuple(int(n) for n in os.environ.get("BENCH_MEMBERS", "1000,100000").split(","))
PAGE = 20
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
DAYS = 90
BATCH = 25
LOADERS = 4
BUSINESS = "biz_benchsearch00000001"
FIRST = [
    "Layla",
    "Omar",
    "Sara",
    "Yusuf",
    "Maya",
    "Karim",
    "Noor",
    "Adam",
    "Lina",
    "Rami",
    "أحمد",
    "فاطمة",
    "ليلى",
]
LAST = ["Haddad", "Khoury", "Nasser", "Saleh", "Aziz", "Mansour", "حداد", "الخوري", "ناصر"]


@dataclass
class Meter:
    """Every DynamoDB call the client makes, and what DynamoDB says it read."""

    requests: int = 0
    items_read: int = 0

    def attach(self, client: Any) -> None:
        client.meta.events.register("after-call.dynamodb", self._on_call)

    def _on_call(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        self.requests += 1
        if model.name == "Query":
            self.items_read += int(parsed.get("ScannedCount", 0))
        elif model.name == "BatchGetItem":
            self.items_read += sum(len(items) for items in parsed.get("Responses", {}).values())


def _offer(offer_id: str) -> Offer:
    return Offer(
        offer_id=offer_id,
        business_id=BUSINESS,
        name="Bench Coffee",
        name_ar=None,
        stamps_required=5,
        reward_description=None,
        reward_description_ar=None,
        loyalty_tiers=None,
        created_at=to_iso(NOW - timedelta(days=800)),
    )


def _members(offer_id: str, total: int, rng: random.Random) -> Iterator[Pass]:
    for n in range(total):
        joined = NOW - timedelta(days=rng.uniform(1, 700))
        last = NOW - timedelta(days=rng.uniform(0, min(89.9, (NOW - joined).days)))
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}"
        pass_ = new_pass(
            customer_id=new_id("cus"),
            offer_id=offer_id,
            business_id=BUSINESS,
            stamps_required=5,
            email=f"member{n}.{rng.randrange(10**6)}@example.com",
            customer_name=name,
            preferred_language="en",
            pass_serial=new_secret_token(18),
            auth_token=new_secret_token(24),
            at=to_iso(joined),
        )
        yield replace(
            pass_,
            status=PassStatus.ACTIVE,
            current_stamps=rng.randint(0, 5),
            rewards_claimed=rng.randint(0, 20),
            last_activity_at=to_iso(last),
        )


def _load(endpoint: str, table: str, offer_id: str, total: int) -> list[Pass]:
    """The offer, its passes and their directory entries, loaded by a few writers in parallel."""
    loader = dynamodb_client(endpoint)
    loader.put_item(TableName=table, Item=to_item(offer_to_item(_offer(offer_id))))
    pass_batch = list(_members(offer_id, total, random.Random(total)))

    def write(chunk: list[Pass]) -> None:
        client = dynamodb_client(endpoint)
        requests = [{"PutRequest": {"Item": pass_to_item(pass_)}} for pass_ in chunk]
        for start in range(0, len(requests), BATCH):
            pending = requests[start : start + BATCH]
            while pending:
                answer = client.batch_write_item(RequestItems={table: pending})
                pending = answer.get("UnprocessedItems", {}).get(table, [])
        updates = [directory_update(PassWritten(None, pass_)) for pass_ in chunk]
        MemberDirectoryStore(client, table).apply([u for u in updates if u is not None])

    chunks = [pass_batch[i : i + 2_000] for i in range(0, len(pass_batch), 2_000)]
    with ThreadPoolExecutor(LOADERS) as pool:
        list(pool.map(write, chunks))
    return pass_batch


def _measure(endpoint: str, total: int) -> list[Figure]:
    table = f"bench-search-{total}"
    create_table(dynamodb_client(endpoint), table)
    offer_id = new_id("off")
    pass_batch = _load(endpoint, table, offer_id, total)
    someone = pass_batch[len(pass_batch) // 2]
    searches: dict[str, dict[str, Any]] = {
        "name start": {"q": "lay"},
        "Arabic name start": {"q": "احمد"},
        "email start": {"q": "member4"},
        "short code": {"q": someone.short_code},
        "latest visits": {"sort": "lastActivity"},
        "expiring soon": {"segment": "EXPIRING_SOON"},
        "reward ready": {"segment": "REWARD_READY"},
    }
    figures: list[Figure] = []
    worst_requests = 0
    worst_items = 0
    for label, query in searches.items():
        client = dynamodb_client(endpoint)
        meter = Meter()
        meter.attach(client)
        answer = find_members(
            MemberStore(client, table),
            MemberDirectoryStore(client, table),
            BUSINESS,
            offer_id,
            show_email=True,
            at=to_iso(NOW),
            inactivity_days=DAYS,
            limit=PAGE,
            **query,
        )
        if not answer.members:
            raise RuntimeError(f"the {label} search found nobody among {total:,} members")
        if label == "short code" and answer.members[0].pass_.customer_id != someone.customer_id:
            raise RuntimeError("the short code found another member")
        worst_requests = max(worst_requests, meter.requests)
        worst_items = max(worst_items, meter.items_read)
        figures.append(
            Figure(
                f"  {label}: items read ({total:,} members)",
                meter.items_read,
                "items",
                f"{meter.requests} requests, {len(answer.members)} shown",
            )
        )
    dynamodb_client(endpoint).delete_table(TableName=table)
    return [
        Figure(
            f"members search requests ({total:,} members)", worst_requests, "requests", "most of any search"
        ),
        Figure(f"members search items read ({total:,} members)", worst_items, "items", f"page of {PAGE}"),
        *figures,
    ]


def run() -> list[Figure]:
    return in_dynamodb_local(lambda endpoint: [f for total in SIZES for f in _measure(endpoint, total)])
