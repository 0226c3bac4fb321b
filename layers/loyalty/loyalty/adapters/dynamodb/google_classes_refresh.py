"""Google classes made before they carried `callbackOptions` get it (the deploy step before the Google saves
backfill, docs/DEPLOY-STEPS.md).

Google posts save/delete callbacks only for classes whose `callbackOptions.url` is set; a class gets it when made,
or when its offer or brand is edited (the PATCH of the look fields, `GoogleWalletPasses.update_class`). The step
scans the table for offer items (a page at a time), reads each offer's class from Google once and, where the class
lacks the callback URL, PATCHes it as an edit would, through the same `update_class`. A class already carrying the
URL is not written (a PATCH of an approved class sends it back under review), nor is one Google does not have (the
offer's first pass makes it, with the URL). Calls are spaced to stay a trickle against the issuer's API quota; an
offer Google did not answer (a 5xx, a 429) is counted failed and left to the next run, and the run goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from loyalty.adapters.dynamodb.dynamo import from_item, to_item
from loyalty.adapters.dynamodb.offers import ENTITY, offer_from_item
from loyalty.adapters.google.client import WalletResourceNotFound
from loyalty.adapters.google.objects import class_id
from loyalty.adapters.http import ServiceUnavailable
from loyalty.domain.offers import Offer

DEFAULT_CALLS_PER_SECOND = 5.0


class GoogleClasses(Protocol):
    def get_class(self, class_id: str) -> dict[str, Any]: ...


class ClassUpdates(Protocol):
    def update_class(self, offer: Offer) -> None: ...


@dataclass(frozen=True)
class ClassesRun:
    offers: int  # offer items looked at in this run
    updated: int  # classes PATCHed with the callback URL
    skipped: int  # classes already carrying it, or not made at Google yet
    failed: int  # Google did not answer: left to the next run
    start_after: dict[str, Any] | None  # where a run stopped by its limit ends: the next run's start


def refresh_google_classes(
    client: Any,
    table_name: str,
    classes: GoogleClasses,
    passes: ClassUpdates,
    *,
    issuer_id: str,
    callback_url: str,
    limit: int | None = None,
    start_after: dict[str, Any] | None = None,
    page_size: int = 100,
    calls_per_second: float = DEFAULT_CALLS_PER_SECOND,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> ClassesRun:
    """Give the class of every offer (at most `limit` items of the scan, from `start_after` on) the callback URL."""
    gap = 1.0 / calls_per_second if calls_per_second > 0 else 0.0
    next_at = 0.0

    def spaced(call: Callable[..., Any], *args: Any) -> Any:
        nonlocal next_at
        wait = next_at - clock()
        if wait > 0:
            sleep(wait)
        next_at = clock() + gap
        return call(*args)

    tally = {"offers": 0, "updated": 0, "skipped": 0, "failed": 0}
    scanned = 0
    cursor = start_after
    while True:
        size = page_size if limit is None else min(page_size, limit - scanned)
        page = client.scan(
            TableName=table_name,
            FilterExpression="entity = :offer",
            ExpressionAttributeValues=to_item({":offer": ENTITY}),
            Limit=size,
            **({"ExclusiveStartKey": cursor} if cursor else {}),
        )
        for raw in page.get("Items", []):
            offer = offer_from_item(from_item(raw))
            tally["offers"] += 1
            try:
                try:
                    found = spaced(classes.get_class, class_id(issuer_id, offer.offer_id))
                except WalletResourceNotFound:
                    tally["skipped"] += 1
                    continue
                if (found.get("callbackOptions") or {}).get("url") == callback_url:
                    tally["skipped"] += 1
                    continue
                spaced(passes.update_class, offer)
                tally["updated"] += 1
            except ServiceUnavailable:
                tally["failed"] += 1
        scanned += page.get("ScannedCount", 0)
        cursor = page.get("LastEvaluatedKey")
        if cursor is None:
            return ClassesRun(**tally, start_after=None)
        if limit is not None and scanned >= limit:
            return ClassesRun(**tally, start_after=cursor)
