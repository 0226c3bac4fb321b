"""Expiry reminder: items read per reminded pass, at 2,000 and 20,000 passes, by the same index as the expiry.

Every read is counted, not estimated: a botocore hook adds up each Query's ScannedCount (the activity index) and
one item per GetItem (the settings-in-use item, each offer met), on a table created from template.yaml in DynamoDB
Local. The activity index keys the month of the last activity (decision 0021), and a run reads the month the
expiry's own rule makes due (decision 0021f): in the week it is read, every entry is a pass to remind, and a week
where no month is due reads nothing. The passes belong to 20 offers and were last active up to 125 days ago (the
weekly expiry keeps a pass up to about 128 days). First all keep the default (14 days). Then (2,000 passes) 18 keep
it, one asks for 30 days and one turned the reminder off: the run reads the month due per setting in use, and
every month read holds the passes of all offers (the index is shared by all offers, as the expiry's is).
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.figures import Figure
from bench.loaders import bench_pass, in_dynamodb_local, load_items, metered_client, new_table, plain_offer
from loyalty.adapters.dynamodb.offers import DynamoOfferStore
from loyalty.adapters.dynamodb.pass_items import pass_to_item
from loyalty.adapters.dynamodb.reminders import DynamoReminderIndex
from loyalty.app.passes.reminders import send_expiry_reminders
from loyalty.domain.clock import to_iso
from loyalty.domain.offers import OfferChanges
from loyalty_local.cloud.dynamodb_local import dynamodb_client

SIZES = (2_000, 20_000)
AS_OF = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)  # a Sunday 02:00 UTC, as the weekly schedule runs
DAYS = 90
BUSINESS = "biz_benchreminders0000001"


def _offers(client: Any, table: str, mixed: bool) -> list[str]:
    store = DynamoOfferStore(client, table)
    ids: list[str] = []
    for n in range(20):
        offer = plain_offer(BUSINESS, f"Card {n}")
        store.add(offer)
        if mixed and n == 18:
            store.edit(
                offer.offer_id, BUSINESS, OfferChanges({"expiryReminderDays": 30}), at=offer.created_at
            )
        if mixed and n == 19:
            store.edit(offer.offer_id, BUSINESS, OfferChanges({"expiryReminderDays": 0}), at=offer.created_at)
        ids.append(offer.offer_id)
    return ids


def _pass(rng: random.Random, offer_id: str) -> dict[str, Any]:
    at = to_iso(AS_OF - timedelta(days=rng.uniform(0, 125)))
    return pass_to_item(
        bench_pass(offer_id, BUSINESS, at, current_stamps=rng.randint(0, 4), lifetime_stamps=4, version=5)
    )


def _measure(endpoint: str, total: int, mixed: bool = False) -> list[Figure]:
    table = f"bench-reminders-{total}{'-mixed' if mixed else ''}"
    loader = new_table(endpoint, table)
    offer_ids = _offers(loader, table, mixed)
    rng = random.Random(total)
    load_items(loader, table, [_pass(rng, offer_ids[n % len(offer_ids)]) for n in range(total)])

    client, meter = metered_client(endpoint)
    started = time.perf_counter()
    run = send_expiry_reminders(
        DynamoReminderIndex(client, table), DynamoOfferStore(client, table), AS_OF, DAYS, clock=lambda: AS_OF
    )
    seconds = time.perf_counter() - started
    if not run.finished or not run.reminded:
        raise RuntimeError(f"the reminder run did not finish or reminded nobody: {run.summary()}")

    again_client = dynamodb_client(endpoint)
    again = send_expiry_reminders(
        DynamoReminderIndex(again_client, table),
        DynamoOfferStore(again_client, table),
        AS_OF,
        DAYS,
        clock=lambda: AS_OF,
    )
    if again.reminded:
        raise RuntimeError(f"a second run reminded passes again: {again.summary()}")
    quiet_client, quiet_meter = metered_client(endpoint)
    next_week = AS_OF + timedelta(days=7)  # no month turns between this week's due month and next week's
    send_expiry_reminders(
        DynamoReminderIndex(quiet_client, table),
        DynamoOfferStore(quiet_client, table),
        next_week,
        DAYS,
        clock=lambda: next_week,
    )
    loader.delete_table(TableName=table)

    label = f"{total:,} passes"
    if mixed:
        label += ", three settings in use"
    quiet = [
        Figure(
            f"  items read by a reminder run with nothing due ({label})",
            quiet_meter.items_read,
            "items",
            "the settings item, nothing of the index",
        )
    ]
    return [
        *([] if mixed else quiet),
        Figure(
            f"reminder items read per reminded pass ({label})",
            meter.items_read / run.reminded,
            "items",
            f"aim <= 1.5; {run.reminded} reminded" if not mixed else f"{run.reminded} reminded",
        ),
        Figure(
            f"  index months read ({label})", len([w for w in run.weeks_read if w]), "months", "the month due"
        ),
        Figure(f"  passes of another setting met ({label})", run.other_setting, "passes"),
        Figure(f"  conditional UpdateItem calls ({label})", meter.updates, "calls", "one per pass met"),
        Figure(f"  run time in DynamoDB Local ({label})", seconds * 1000, "ms"),
    ]


def run() -> list[Figure]:
    def measure(endpoint: str) -> list[Figure]:
        sizes = [f for total in SIZES for f in _measure(endpoint, total)]
        return sizes + _measure(endpoint, SIZES[0], mixed=True)

    return in_dynamodb_local(measure)
