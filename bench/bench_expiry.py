"""Inactivity expiry: items read per expired pass on the weekly schedule, and by a run with nothing to expire,
at 10,000 and 50,000 passes (1% idle for 91-500 days, the rest active within the last 89 days).

Items read are counted, not estimated: a botocore hook on the client adds up each Query answer's ScannedCount
(what DynamoDB reads and bills) and every pass a GetItem or BatchGetItem returns, on a table created from
template.yaml in DynamoDB Local. The schedule is five Sunday 02:00 runs in a row with the deployed 90 days (one of
them crosses a month); an operator's preview for an exact moment (`--as-of`) is measured beside them.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.figures import Figure
from bench.loaders import in_dynamodb_local, load_items
from loyalty.adapters.dynamodb.activity_index import ActivityIndex
from loyalty.adapters.dynamodb.pass_items import pass_to_item
from loyalty.app.passes.expiry import expire_inactive_passes
from loyalty.domain.clock import to_iso
from loyalty.domain.expiry import ExpiryCutoff
from loyalty.domain.ids import new_id, new_secret_token
from loyalty.domain.passes import Pass, PassStatus
from loyalty_local.cloud.dynamodb_local import create_table, dynamodb_client

SIZES = (10_000, 50_000)
WEEKLY_RUNS = 5
INACTIVE_SHARE = 0.01
AS_OF = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
DAYS = 90


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
        for write in ("UpdateItem", "TransactWriteItems"):
            events.register(f"after-call.dynamodb.{write}", self._on_update)
        events.register("after-call.dynamodb.Scan", self._on_scan)
        events.register("after-call.dynamodb.GetItem", self._on_get)
        events.register("after-call.dynamodb.BatchGetItem", self._on_batch_get)

    @property
    def total_read(self) -> int:
        return self.items_read + self.pass_reads

    def _on_query(self, parsed: dict[str, Any], **_: Any) -> None:
        self.queries += 1
        self.items_read += int(parsed.get("ScannedCount", 0))

    def _on_update(self, **_: Any) -> None:
        self.updates += 1

    def _on_scan(self, **_: Any) -> None:
        self.scans += 1

    def _on_get(self, parsed: dict[str, Any], **_: Any) -> None:
        self.pass_reads += 1 if parsed.get("Item") else 0

    def _on_batch_get(self, parsed: dict[str, Any], **_: Any) -> None:
        self.pass_reads += sum(len(items) for items in parsed.get("Responses", {}).values())


def _pass(rng: random.Random, idle_days: float) -> dict[str, Any]:
    at = to_iso(AS_OF - timedelta(days=idle_days))
    since = to_iso(AS_OF - timedelta(days=idle_days + rng.uniform(0, 700)))
    customer_id = new_id("cus")
    rewards = rng.randint(0, 30)
    stamps = rng.randint(0, 4)
    pass_ = Pass(
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
    return pass_to_item(pass_)


def _population(total: int, seed: int) -> Iterator[dict[str, Any]]:
    """`total` passes, 1% idle for 91-500 days, the rest active within the last 89 days."""
    rng = random.Random(seed)
    inactive = round(total * INACTIVE_SHARE)
    for n in range(total):
        yield _pass(rng, rng.uniform(91, 500) if n < inactive else rng.uniform(0, 89))


def _metered_client(endpoint: str) -> tuple[Any, ReadMeter]:
    client = dynamodb_client(endpoint)
    meter = ReadMeter()
    meter.attach(client)
    return client, meter


def _run(endpoint: str, table: str, cutoff: ExpiryCutoff, *, dry_run: bool = False) -> tuple[Any, ReadMeter]:
    client, meter = _metered_client(endpoint)
    run = expire_inactive_passes(
        ActivityIndex(client, table), cutoff, clock=lambda: cutoff.as_of, dry_run=dry_run
    )
    if not run.finished or meter.scans:
        raise RuntimeError(f"the expiry run did not finish on the index alone: {run.summary()}")
    return run, meter


def _due(last_activity: list[str], cutoff: ExpiryCutoff) -> int:
    return sum(1 for at in last_activity if cutoff.is_inactive(at))


def _measure(endpoint: str, total: int) -> list[Figure]:
    loader = dynamodb_client(endpoint)
    table = f"bench-expiry-{total}"
    create_table(loader, table)
    items = list(_population(total, seed=total))
    load_items(loader, table, items)
    last_activity = [item["lastActivityAt"]["S"] for item in items]
    label = f"{total:,} passes"

    # The weekly schedule: Sundays 02:00, whole months of idleness; each run expires what became due.
    read = expired = 0
    quiet_reads: list[int] = []
    seconds = 0.0
    done = 0
    for week in range(WEEKLY_RUNS):
        cutoff = ExpiryCutoff(as_of=AS_OF + timedelta(days=7 * week), days=DAYS, whole_months=True)
        due = _due(last_activity, cutoff)
        started = time.perf_counter()
        run, meter = _run(endpoint, table, cutoff)
        seconds += time.perf_counter() - started
        if run.expired != due - done:
            raise RuntimeError(f"run {week} expired {run.expired}, {due - done} were due: {run.summary()}")
        done = due
        read += meter.total_read
        expired += run.expired
        if not run.expired:
            quiet_reads.append(meter.total_read)
    if not quiet_reads:
        raise RuntimeError("no run of the schedule was a quiet one")

    exact: list[Figure] = []
    if total == SIZES[0]:
        # An operator's preview for the exact moment after the schedule: it reads the cutoff's month too.
        cutoff = ExpiryCutoff(as_of=AS_OF + timedelta(days=7 * WEEKLY_RUNS), days=DAYS)
        preview, preview_meter = _run(endpoint, table, cutoff, dry_run=True)
        if preview.would_expire != _due(last_activity, cutoff) - done:
            raise RuntimeError(f"the preview missed idle passes: {preview.summary()}")
        exact.append(
            Figure(
                f"  exact-moment preview (--as-of): items read ({label})",
                preview_meter.total_read,
                "items",
                f"{preview.would_expire} would expire; it reads the cutoff's month and each candidate pass",
            )
        )
    loader.delete_table(TableName=table)
    return [
        Figure(
            f"items read per expired pass (weekly schedule, {label})", read / expired, "items", "aim <= 1.5"
        ),
        Figure(
            f"items read by an expiry run with nothing to expire ({label})",
            max(quiet_reads),
            "items",
            "aim <= 100",
        ),
        Figure(f"  passes expired by {WEEKLY_RUNS} weekly runs ({label})", expired, "passes"),
        Figure(f"  run time of {WEEKLY_RUNS} weekly runs in DynamoDB Local ({label})", seconds * 1000, "ms"),
        *exact,
    ]


def run() -> list[Figure]:
    return in_dynamodb_local(lambda endpoint: [f for total in SIZES for f in _measure(endpoint, total)])
