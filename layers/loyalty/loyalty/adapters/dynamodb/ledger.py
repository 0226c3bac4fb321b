"""The ledger in the single table, without transactions (docs/decisions/0021g, superseding the writing part of
0011): each change's audit event (and enroll key) is written by BatchWriteItem, and a batch's counts are summed in
memory into ONE UpdateItem per counter item, run a few at a time.

Exactly once: an event's key is fixed by its pass and version (`EVENT#v<version>`) and its content by the change,
so writing it again is harmless; a counter item holds, per lane of changes (the stream shard, or the pass), the
position of the last change it added, and adds only changes after it (loyalty.adapters.dynamodb.ledger_counters).
An entry is written when its event and all its counter items are; the first entry that is not, and those after
it, are handed back, and writing them again adds nothing twice."""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aws_lambda_powertools import Logger
from botocore.exceptions import BotoCoreError, ClientError

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import to_item
from loyalty.adapters.dynamodb.enroll_keys import KINDS as ENROLL_KINDS
from loyalty.adapters.dynamodb.enroll_keys import enroll_key_item
from loyalty.adapters.dynamodb.ledger_counters import Addition, CounterWriter, position
from loyalty.adapters.dynamodb.pass_events import event_sort
from loyalty.adapters.dynamodb.stats import CounterItem, tally_counts
from loyalty.app.ports.ledger import LedgerEntry

logger = Logger(child=True)

# DynamoDB's limit of puts in one BatchWriteItem.
BATCH_WRITE_ITEMS = 25
# Tries of a BatchWriteItem's unprocessed items (throttled) before their entries are handed back.
MAX_ATTEMPTS = 6
# Writes in flight at once (counter items and event batches are independent of each other).
WORKERS = 8


def event_id(customer_id: str, offer_id: str, version: int) -> str:
    """The event's id in the history: opaque, and the same whenever the change is handed over."""
    return hashlib.sha256(f"{customer_id}\n{offer_id}\n{version}".encode()).hexdigest()[:32]


def event_item(entry: LedgerEntry) -> dict[str, Any]:
    """The audit event of a change (plain values, None = absent), under the pass's partition."""
    pass_, note = entry.pass_, entry.note
    return {
        "PK": keys.pass_partition(pass_.customer_id, pass_.offer_id),
        "SK": event_sort(pass_.version),
        "entity": "PASS_EVENT",
        "eventId": event_id(pass_.customer_id, pass_.offer_id, pass_.version),
        "kind": note.kind,
        "actor": note.actor,
        "branchId": note.branch_id,
        "at": pass_.updated_at,
        "businessId": pass_.business_id,
        "currentStamps": pass_.current_stamps,
        "stampsRequired": pass_.stamps_required,
        "rewardsClaimed": pass_.rewards_claimed,
        "lifetimeStamps": pass_.lifetime_stamps,
        "version": pass_.version,
        "reason": note.reason,
        "idempotencyKey": note.idempotency_key,
    }


def entry_counts(entry: LedgerEntry) -> dict[CounterItem, dict[str, int]]:
    pass_ = entry.pass_
    return tally_counts(pass_.offer_id, pass_.customer_id, entry.day, entry.note.branch_id, entry.counted)


def keeps_enroll_key(entry: LedgerEntry) -> bool:
    """An enrollment or reactivation that came with an Idempotency-Key: its key is kept for erasure."""
    return entry.note.kind in ENROLL_KINDS and bool(entry.note.idempotency_key)


def lane_of(entry: LedgerEntry) -> tuple[str, str]:
    """The entry's lane and decimal position in it: its stream shard and sequence number when the batch said its
    shard, else its pass and version (a pass's changes come in the order of their versions)."""
    if entry.lane:
        return entry.lane, entry.position
    pass_ = entry.pass_
    return f"pass {pass_.customer_id} {pass_.offer_id}", str(pass_.version)


_pools: dict[int, ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()


def _pool(workers: int) -> ThreadPoolExecutor:
    """The process's pool of `workers` threads, shared by every ledger (a container builds one, tests many)."""
    with _pools_lock:
        if workers not in _pools:
            _pools[workers] = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ledger")
        return _pools[workers]


def _pause(attempt: int) -> None:
    """A short, jittered pause, so that throttled writers spread out."""
    time.sleep(random.uniform(0, min(0.5, 0.02 * 2**attempt)))  # noqa: S311 - jitter, not security


class DynamoLedger:
    """A `Ledger`. `batch_writes` counts the BatchWriteItem calls made, `counters.requests` the counter updates
    (tests and the bench read them)."""

    def __init__(
        self,
        client: Any,
        table_name: str,
        *,
        max_attempts: int = MAX_ATTEMPTS,
        pause: Callable[[int], None] = _pause,
        workers: int = WORKERS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = client
        self._table = table_name
        self._max_attempts = max_attempts
        self._pause = pause
        self._pool = _pool(workers)
        self.counters = CounterWriter(client, table_name, clock)
        self.batch_writes = 0

    def write(self, entries: Sequence[LedgerEntry]) -> int:
        # Each item to put, with the entries it belongs to (an entry named twice puts its items once).
        puts: dict[tuple[str, str], tuple[dict[str, Any], set[int]]] = {}
        additions: dict[CounterItem, list[Addition]] = {}
        owners: dict[CounterItem, list[int]] = {}
        for n, entry in enumerate(entries):
            for item in self.items_of(entry):
                _, users = puts.setdefault((item["PK"], item["SK"]), (item, set()))
                users.add(n)
            lane, place = lane_of(entry)
            for counter, counts in entry_counts(entry).items():
                addition = Addition(lane, position(place), counts)
                owners.setdefault(counter, []).append(n)
                added = additions.setdefault(counter, [])
                if not any((a.lane, a.position) == (lane, addition.position) for a in added):
                    added.append(addition)  # a change named twice is added once
        groups = list(puts.values())
        put_jobs = [
            self._pool.submit(self._put, [item for item, _ in groups[start : start + BATCH_WRITE_ITEMS]])
            for start in range(0, len(groups), BATCH_WRITE_ITEMS)
        ]
        counter_jobs = {
            counter: self._pool.submit(self._add, counter, added) for counter, added in additions.items()
        }
        failed: set[int] = set()
        for job in put_jobs:
            for key in job.result():
                failed.update(puts[key][1])
        for counter, counter_job in counter_jobs.items():
            if not counter_job.result():
                failed.update(owners[counter])
        return min(failed) if failed else len(entries)

    def items_of(self, entry: LedgerEntry) -> list[dict[str, Any]]:
        """The items an entry puts (plain values): its event, and its enroll key when it keeps one."""
        items = [event_item(entry)]
        if keeps_enroll_key(entry):
            pass_ = entry.pass_
            partition = keys.pass_partition(pass_.customer_id, pass_.offer_id)
            items.append(enroll_key_item(partition, pass_.version, str(entry.note.idempotency_key)))
        return items

    def _put(self, items: list[dict[str, Any]]) -> set[tuple[str, str]]:
        """Put the items (one BatchWriteItem, its unprocessed items tried again); the keys of those not written."""
        requests = [{"PutRequest": {"Item": to_item(item)}} for item in items]
        attempt = 0
        while requests:
            try:
                self.batch_writes += 1
                answer = self._client.batch_write_item(RequestItems={self._table: requests})
            except (ClientError, BotoCoreError) as error:
                logger.error("the ledger could not write audit events", extra={"error": repr(error)})
                return {_key(request) for request in requests}
            requests = list((answer.get("UnprocessedItems") or {}).get(self._table) or [])
            if not requests:
                break
            attempt += 1
            if attempt >= self._max_attempts:
                logger.warning(
                    "audit events kept being throttled; they come back", extra={"items": len(requests)}
                )
                return {_key(request) for request in requests}
            self._pause(attempt)
        return set()

    def _add(self, counter: CounterItem, added: list[Addition]) -> bool:
        try:
            if self.counters.add(counter, added):
                return True
            logger.warning("a counter item kept moving under the ledger; its changes come back")
        except (ClientError, BotoCoreError) as error:
            logger.error("the ledger could not add to a counter item", extra={"error": repr(error)})
        return False


def _key(request: dict[str, Any]) -> tuple[str, str]:
    item = request["PutRequest"]["Item"]
    return str(item["PK"]["S"]), str(item["SK"]["S"])
