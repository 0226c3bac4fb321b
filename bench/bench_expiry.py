"""Inactivity expiry: activity-index items read per expired pass, at 2,000 and 20,000 passes (1% inactive).

Items read are counted, not estimated: a botocore hook on the client adds up each Query answer's ScannedCount
(what DynamoDB reads and bills), on a table created from template.yaml in DynamoDB Local.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.figures import Figure
from loyalty.adapters.dynamodb.activity_index import ActivityIndex
from loyalty.adapters.dynamodb.pass_items import pass_to_item
from loyalty.app.passes.expiry import expire_inactive_passes
from loyalty.domain.clock import to_iso
from loyalty.domain.expiry import ExpiryCutoff
from loyalty.domain.ids import new_id, new_secret_token
from loyalty.domain.passes import Pass, PassStatus
from loyalty_local.cloud.dynamodb_local import create_table, dynamodb_client, start_dynamodb_local

SIZES = (2_000, 20_000)
INACTIVE_SHARE = 0.01
AS_OF = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
DAYS = 90
BATCH = 25
LOADERS = 4


@dataclass
class ReadMeter:
    """Adds up what DynamoDB reports having read, per operation, as the client receives the answers."""

    queries: int = 0
    items_read: int = 0
    updates: int = 0
    scans: int = 0
    pass_reads: int = 0

    def attach(self, client: Any) -> None:
        events = client.meta.events
        events.register("after-call.dynamodb.Query", self._on_query)
        events.register("after-call.dynamodb.TransactWriteItems", self._on_update)
        events.register("after-call.dynamodb.Scan", self._on_scan)
        events.register("after-call.dynamodb.BatchGetItem", self._on_pass_read)

    def _on_query(self, parsed: dict[str, Any], **_: Any) -> None:
        self.queries += 1
        self.items_read += int(parsed.get("ScannedCount", 0))

    def _on_update(self, **_: Any) -> None:
        self.updates += 1

    def _on_scan(self, **_: Any) -> None:
        self.scans += 1

    def _on_pass_read(self, **_: Any) -> None:
        self.pass_reads += 1


def _pass(rng: random.Random, idle_days: float) -> dict[str, Any]:
    at = to_iso(AS_OF - timedelta(days=idle_days))
    since = to_iso(AS_OF - timedelta(days=idle_days + rng.uniform(0, 700)))
    customer_id = new_id("cus")
    rewards = rng.randint(0, 30)
    stamps = rng.randint(0, 4)
    card = Pass(
        customer_id=customer_id,
        offer_id=new_id("off"),
        business_id="biz_benchbusiness000000001",
        pass_serial=new_secret_token(18),
        auth_token=new_secret_token(24),
        status=PassStatus.ACTIVE,
        current_stamps=stamps,
        stamps_required=5,
        rewards_claimed=rewards,
        lifetime_stamps=stamps + 5 * rewards,
        member_since=since,
        last_activity_at=at,
        created_at=since,
        updated_at=at,
        version=1 + stamps + 6 * rewards,
        email=f"{customer_id}@example.com",
        customer_name="Bench Customer",
    )
    return pass_to_item(card)


def _population(total: int, seed: int) -> Iterator[dict[str, Any]]:
    """`total` passes, 1% idle for 91-500 days, the rest active within the last 89 days."""
    rng = random.Random(seed)
    inactive = round(total * INACTIVE_SHARE)
    for n in range(total):
        yield _pass(rng, rng.uniform(91, 500) if n < inactive else rng.uniform(0, 89))


def _load(client: Any, table: str, items: list[dict[str, Any]]) -> None:
    def write(batch: list[dict[str, Any]]) -> None:
        requests = [{"PutRequest": {"Item": item}} for item in batch]
        while requests:
            answer = client.batch_write_item(RequestItems={table: requests})
            requests = answer.get("UnprocessedItems", {}).get(table, [])

    batches = [items[i : i + BATCH] for i in range(0, len(items), BATCH)]
    with ThreadPoolExecutor(LOADERS) as pool:
        list(pool.map(write, batches))


def _metered_client(endpoint: str) -> tuple[Any, ReadMeter]:
    client = dynamodb_client(endpoint)
    meter = ReadMeter()
    meter.attach(client)
    return client, meter


def _measure(endpoint: str, total: int) -> list[Figure]:
    loader = dynamodb_client(endpoint)
    table = f"bench-expiry-{total}"
    create_table(loader, table)
    _load(loader, table, list(_population(total, seed=total)))

    client, meter = _metered_client(endpoint)
    started = time.perf_counter()
    run = expire_inactive_passes(
        ActivityIndex(client, table), ExpiryCutoff(as_of=AS_OF, days=DAYS), clock=lambda: AS_OF
    )
    seconds = time.perf_counter() - started
    if not run.finished or run.expired != round(total * INACTIVE_SHARE) or meter.scans:
        raise RuntimeError(f"the expiry run did not expire exactly the inactive passes: {run.summary()}")

    client, rerun = _metered_client(endpoint)
    again = expire_inactive_passes(
        ActivityIndex(client, table), ExpiryCutoff(as_of=AS_OF, days=DAYS), clock=lambda: AS_OF
    )
    if again.expired:
        raise RuntimeError(f"a second run expired passes again: {again.summary()}")
    loader.delete_table(TableName=table)

    label = f"{total:,} passes, {run.expired} inactive"
    return [
        Figure(
            f"items read per expired pass ({label})", meter.items_read / run.expired, "items", "aim <= 1.2"
        ),
        Figure(f"  Query calls ({label})", meter.queries, "calls", "8 shards"),
        Figure(f"  pass reads, one BatchGetItem each ({label})", meter.pass_reads, "calls"),
        Figure(
            f"  conditional TransactWriteItems calls ({label})",
            meter.updates,
            "calls",
            "pass + EXPIRE event + stats counters",
        ),
        Figure(
            f"  items read by a second run ({label})", rerun.items_read, "items", "nothing left to expire"
        ),
        Figure(f"  run time in DynamoDB Local ({label})", seconds * 1000, "ms"),
    ]


def run() -> list[Figure]:
    local = start_dynamodb_local()
    try:
        figures: list[Figure] = []
        for total in SIZES:
            figures += _measure(local.endpoint, total)
        return figures
    finally:
        local.stop()
