"""What several benches set up alike: DynamoDB Local for the length of a measurement, a table of template.yaml's
definition loaded with items, a client whose reads are counted, a plain offer, and a signed Apple pass's makings (a
certificate chain of the local stand-in, an offer and a pass of it)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from bench.figures import Figure
from loyalty.adapters.apple.content import PassIssuer
from loyalty.adapters.apple.credentials import PassSigningCredentials, parse_pass_signing
from loyalty.domain.ids import new_id, new_secret_token
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass, PassStatus, new_pass
from loyalty_local.cloud.dynamodb_local import create_table, dynamodb_client, start_dynamodb_local
from loyalty_local.standins.apple_wallet import AppleTestChain, make_chain


def in_dynamodb_local(measure: Callable[[str], list[Figure]]) -> list[Figure]:
    """`measure` run against a DynamoDB Local started for it (and stopped after), given its endpoint."""
    local = start_dynamodb_local()
    try:
        return measure(local.endpoint)
    finally:
        local.stop()


BATCH = 25  # BatchWriteItem's most
LOADERS = 4


def new_table(endpoint: str, table: str) -> Any:
    """A client of the DynamoDB Local at `endpoint`, with `table` created in it from template.yaml's definition."""
    client = dynamodb_client(endpoint)
    create_table(client, table)
    return client


def load_items(client: Any, table: str, items: Iterable[dict[str, Any]]) -> None:
    """Every item put, 25 a BatchWriteItem, four at once, each batch's unprocessed items sent again."""

    def write(batch: list[dict[str, Any]]) -> None:
        requests = [{"PutRequest": {"Item": item}} for item in batch]
        while requests:
            answer = client.batch_write_item(RequestItems={table: requests})
            requests = answer.get("UnprocessedItems", {}).get(table, [])

    every = list(items)
    with ThreadPoolExecutor(LOADERS) as pool:
        list(pool.map(write, [every[i : i + BATCH] for i in range(0, len(every), BATCH)]))


@dataclass
class ItemMeter:
    """Adds up what DynamoDB reports having read, as the client receives the answers: each Query's ScannedCount
    (what DynamoDB reads and bills), one item a GetItem, every item a BatchGetItem returns; and the UpdateItem
    calls."""

    queries: int = 0
    items_read: int = 0
    updates: int = 0

    def attach(self, client: Any) -> None:
        events = client.meta.events
        events.register("after-call.dynamodb.Query", self._on_query)
        events.register("after-call.dynamodb.GetItem", self._on_get)
        events.register("after-call.dynamodb.BatchGetItem", self._on_batch)
        events.register("after-call.dynamodb.UpdateItem", self._on_update)

    def _on_query(self, parsed: dict[str, Any], **_: Any) -> None:
        self.queries += 1
        self.items_read += int(parsed.get("ScannedCount", 0))

    def _on_get(self, **_: Any) -> None:
        self.items_read += 1

    def _on_batch(self, parsed: dict[str, Any], **_: Any) -> None:
        self.items_read += sum(len(items) for items in parsed.get("Responses", {}).values())

    def _on_update(self, **_: Any) -> None:
        self.updates += 1


def metered_client(endpoint: str) -> tuple[Any, ItemMeter]:
    """A client of the DynamoDB Local at `endpoint` and the meter counting its reads."""
    client = dynamodb_client(endpoint)
    meter = ItemMeter()
    meter.attach(client)
    return client, meter


def plain_offer(business_id: str, name: str) -> Offer:
    """A 5-stamp offer of `business_id`, in English only, without tiers."""
    return Offer(
        offer_id=new_id("off"),
        business_id=business_id,
        name=name,
        name_ar=None,
        stamps_required=5,
        reward_description=None,
        reward_description_ar=None,
        loyalty_tiers=None,
        created_at="2026-01-01T00:00:00.000Z",
    )


def bench_pass(offer_id: str, business_id: str, at: str, **fields: Any) -> Pass:
    """An active pass of the offer, every time of it `at`, fresh ids and tokens, no stamps yet: `fields` say what
    else the bench needs of it."""
    customer_id = fields.pop("customer_id", None) or new_id("cus")
    values: dict[str, Any] = {
        "customer_id": customer_id,
        "offer_id": offer_id,
        "business_id": business_id,
        "pass_serial": new_secret_token(18),
        "auth_token": new_secret_token(24),
        "status": PassStatus.ACTIVE,
        "current_stamps": 0,
        "stamps_required": 5,
        "rewards_claimed": 0,
        "lifetime_stamps": 0,
        "member_since": at,
        "last_activity_at": at,
        "created_at": at,
        "updated_at": at,
        "version": 1,
        "email": f"{customer_id}@example.com",
        "customer_name": "Bench Customer",
    }
    return Pass(**{**values, **fields})


@dataclass(frozen=True)
class ApplePassMakings:
    chain: AppleTestChain
    credentials: PassSigningCredentials
    offer: Offer
    pass_: Pass
    issuer: PassIssuer


def apple_pass_makings() -> ApplePassMakings:
    """A fresh certificate chain, a 5-stamp offer with Arabic names, and a new pass of it."""
    chain = make_chain()
    offer = Offer(
        new_id("off"),
        new_id("biz"),
        "Coffee",
        "قهوة",
        5,
        "A coffee",
        "قهوة",
        None,
        "2026-01-01T00:00:00.000Z",
    )
    pass_ = new_pass(
        customer_id=new_id("cus"),
        offer_id=offer.offer_id,
        business_id=offer.business_id,
        stamps_required=5,
        email="jane@example.com",
        customer_name="Jane",
        preferred_language="en",
        pass_serial=new_secret_token(18),
        auth_token=new_secret_token(24),
        at="2026-01-01T00:00:00.000Z",
    )
    issuer = PassIssuer(chain.pass_type_id, chain.team_id, "Loyalty", "https://api.example.com/wallet/apple")
    return ApplePassMakings(chain, parse_pass_signing(chain.certificate_secret()), offer, pass_, issuer)
