"""Wallet refresh after a ladder change: DynamoDB requests and items read per redrawn pass, and our time per pass.

An offer of 1,000 passes (10 of them expired) beside another offer of 1,000 on a table created from template.yaml in
DynamoDB Local. The plan and every chunk run in-process as wallet-refresh runs them, the queue kept in memory and
the wallets counted, not called (their round trips are measured in bench_wallet_google and bench_apple_wallet).
Requests are counted by a botocore hook, and items read from each Query's ScannedCount.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from bench.figures import Figure
from loyalty.adapters.dynamodb.offer_passes import OfferPassStore
from loyalty.adapters.dynamodb.pass_items import pass_to_item
from loyalty.app.wallets.refresh import PlanRefresh, RefreshMessage, WalletRefresh, ladder_fingerprint
from loyalty.domain.ids import new_id, new_secret_token
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass, PassStatus, new_pass
from loyalty.domain.tiers import TierStanding, parse_tier_config
from loyalty_local.cloud.dynamodb_local import create_table, dynamodb_client, start_dynamodb_local

PASSES = 1_000
EXPIRED = 10
TABLE = "bench-wallet-refresh"
LADDER = {
    "enabled": True,
    "tiers": [
        {"id": "lover", "name": "Coffee Lover", "nameAr": "محب القهوة", "minRewards": 1, "maxRewards": 3, "icon": "☕"},
        {"id": "master", "name": "Coffee Master", "nameAr": "سيد القهوة", "minRewards": 4, "maxRewards": None,
         "icon": "👑"},
    ],
}  # fmt: skip


@dataclass
class Meter:
    requests: Counter[str] = field(default_factory=Counter)
    items_read: int = 0

    def attach(self, client: Any) -> None:
        client.meta.events.register("after-call.dynamodb", self._on_call)

    def _on_call(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        self.requests[model.name] += 1
        if model.name == "Query":
            self.items_read += int(parsed.get("ScannedCount", 0))
        if model.name == "BatchGetItem":
            self.items_read += sum(len(items) for items in parsed.get("Responses", {}).values())


@dataclass
class Queue:
    pending: list[RefreshMessage] = field(default_factory=list)

    def send(self, messages: Sequence[RefreshMessage]) -> None:
        self.pending.extend(messages)


@dataclass
class Wallets:
    google: int = 0
    apple: int = 0

    def update(self, offer: Offer, pass_: Pass, standing: TierStanding, *, notify: bool) -> None:
        self.google += 1

    def ensure_class(self, offer: Offer) -> None: ...

    def update_class(self, offer: Offer) -> None: ...

    def ensure_object(self, offer: Offer, pass_: Pass, standing: TierStanding) -> None: ...

    def pass_changed(self, customer_id: str, offer_id: str) -> None:
        self.apple += 1


@dataclass
class Offers:
    offer: Offer

    def get(self, offer_id: str) -> Offer | None:
        return self.offer if offer_id == self.offer.offer_id else None


def _offer() -> Offer:
    return Offer(
        offer_id=new_id("off"),
        business_id="biz_benchbusiness000000001",
        name="Coffee Card",
        name_ar=None,
        stamps_required=5,
        reward_description=None,
        reward_description_ar=None,
        loyalty_tiers=parse_tier_config(LADDER),
        created_at="2026-01-01T00:00:00.000Z",
    )


def _load(client: Any, offer: Offer, count: int, expired: int) -> None:
    items = []
    for n in range(count):
        pass_ = new_pass(
            customer_id=new_id("cus"),
            offer_id=offer.offer_id,
            business_id=offer.business_id,
            stamps_required=5,
            email="bench@example.com",
            customer_name="Bench",
            preferred_language="en",
            pass_serial=new_secret_token(18),
            auth_token=new_secret_token(24),
            at="2026-06-01T10:00:00.000Z",
        )
        if n < expired:
            pass_ = replace(pass_, status=PassStatus.EXPIRED)
        items.append({"PutRequest": {"Item": pass_to_item(pass_)}})
    for start in range(0, len(items), 25):
        pending = items[start : start + 25]
        while pending:
            answer = client.batch_write_item(RequestItems={TABLE: pending})
            pending = answer.get("UnprocessedItems", {}).get(TABLE, [])


def run() -> list[Figure]:
    local = start_dynamodb_local()
    try:
        loader = dynamodb_client(local.endpoint)
        create_table(loader, TABLE)
        offer = _offer()
        _load(loader, offer, PASSES, EXPIRED)
        _load(loader, _offer(), PASSES, 0)  # another offer's passes, never to be read

        client = dynamodb_client(local.endpoint)
        meter = Meter()
        meter.attach(client)
        queue, wallets = Queue(), Wallets()
        refresh = WalletRefresh(
            Offers(offer), OfferPassStore(client, TABLE), queue, wallets, wallets, lambda: datetime.now(UTC)
        )
        queue.send([PlanRefresh(offer.offer_id, ladder_fingerprint(offer.ladder))])
        started = time.perf_counter()
        redrawn = messages = 0
        while queue.pending:
            messages += 1
            redrawn += refresh.handle(queue.pending.pop(0))
        seconds = time.perf_counter() - started
    finally:
        local.stop()
    active = PASSES - EXPIRED
    if redrawn != active or wallets.google != active or wallets.apple != active:
        raise RuntimeError(
            f"redrew {redrawn}, Google {wallets.google}, Apple {wallets.apple}; expected {active}"
        )
    requests = sum(meter.requests.values())
    return [
        Figure("DynamoDB requests per redrawn pass", requests / redrawn, "requests", _breakdown(meter.requests)),
        Figure("items read per redrawn pass (GSI4 + read-back)", meter.items_read / redrawn, "items",
               f"{meter.items_read:,} for {redrawn:,} active of {PASSES:,}; the other offer's {PASSES:,}: none"),
        Figure("our time per redrawn pass (wallet calls excluded)", seconds / redrawn * 1000, "ms",
               f"{messages} queue messages, one at a time; chunks run in parallel on Lambda"),
    ]  # fmt: skip


def _breakdown(requests: Counter[str]) -> str:
    return ", ".join(f"{name} {count:,}" for name, count in sorted(requests.items()))
