"""The ledger in the single table (docs/decisions/0011-ledger-from-the-stream.md): each chunk of pass changes is
ONE TransactWriteItems of a conditional Put per audit event and the chunk's counter ADDs, summed per counter item.

Exactly once: an event's key is fixed by its pass and version (`EVENT#v<version>`), its Put holds only while no
such event exists, and its counters commit with it or not at all. So an event that exists was counted; a chunk
refused because some of its events exist drops those (done already) and is written again without them."""

from __future__ import annotations

import hashlib
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from aws_lambda_powertools import Logger
from botocore.exceptions import BotoCoreError, ClientError

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import to_item
from loyalty.adapters.dynamodb.enroll_keys import KINDS as ENROLL_KINDS
from loyalty.adapters.dynamodb.enroll_keys import enroll_key_put
from loyalty.adapters.dynamodb.pass_events import event_sort
from loyalty.adapters.dynamodb.stats import CounterItem, counter_writes, tally_counts
from loyalty.app.ports.ledger import LedgerEntry

logger = Logger(child=True)

# DynamoDB's limit of actions in one TransactWriteItems.
MAX_TRANSACTION_ITEMS = 100
# Tries of one chunk that collided with another transaction or was throttled, before it is handed back.
MAX_ATTEMPTS = 6
# Cancellation reasons (per item) and errors (of the call) that pass by themselves: try again shortly.
_PASSING_REASONS = {
    "TransactionConflict",
    "ThrottlingError",
    "ProvisionedThroughputExceeded",
    "RequestLimitExceeded",
}
_PASSING_ERRORS = {
    "TransactionConflictException",
    "TransactionInProgressException",
    "ThrottlingException",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "InternalServerError",
}


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


def _items_of(entry: LedgerEntry) -> int:
    return 2 if keeps_enroll_key(entry) else 1


def chunks(entries: Sequence[LedgerEntry]) -> list[list[LedgerEntry]]:
    """Consecutive runs of entries whose events (with their enroll keys) and (distinct) counter items fit one
    transaction."""
    runs: list[list[LedgerEntry]] = []
    run: list[LedgerEntry] = []
    counters: set[CounterItem] = set()
    own = 0
    for entry in entries:
        mine = set(entry_counts(entry))
        if run and own + _items_of(entry) + len(counters | mine) > MAX_TRANSACTION_ITEMS:
            runs.append(run)
            run, counters, own = [], set(), 0
        run.append(entry)
        counters |= mine
        own += _items_of(entry)
    if run:
        runs.append(run)
    return runs


def _pause(attempt: int) -> None:
    """A short, jittered pause, so that contending writers spread out."""
    time.sleep(random.uniform(0, min(0.5, 0.02 * 2**attempt)))  # noqa: S311 - jitter, not security


class DynamoLedger:
    """A `Ledger`. `transactions` counts the TransactWriteItems calls made (tests and the bench read it)."""

    def __init__(
        self,
        client: Any,
        table_name: str,
        *,
        max_attempts: int = MAX_ATTEMPTS,
        pause: Callable[[int], None] = _pause,
    ) -> None:
        self._client = client
        self._table = table_name
        self._max_attempts = max_attempts
        self._pause = pause
        self.transactions = 0

    def write(self, entries: Sequence[LedgerEntry]) -> int:
        written = 0
        for run in chunks(entries):
            if not self._write_chunk(run):
                return written
            written += len(run)
        return written

    def transaction(self, entries: Sequence[LedgerEntry]) -> list[dict[str, Any]]:
        """The chunk's TransactWriteItems elements: its events' Puts first, in order, then the counters, then the
        enroll keys (docs/decisions/0021b), so a cancellation's reasons name the events by their places."""
        puts = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": to_item(event_item(entry)),
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            }
            for entry in entries
        ]
        summed: dict[CounterItem, Counter[str]] = {}
        for entry in entries:
            for item, moved in entry_counts(entry).items():
                summed.setdefault(item, Counter()).update(moved)
        kept = [
            enroll_key_put(
                self._table,
                keys.pass_partition(entry.pass_.customer_id, entry.pass_.offer_id),
                entry.pass_.version,
                str(entry.note.idempotency_key),
            )
            for entry in entries
            if keeps_enroll_key(entry)
        ]
        return puts + counter_writes(self._table, summed) + kept

    def _write_chunk(self, run: list[LedgerEntry]) -> bool:
        """Write one chunk; False when it cannot be (nothing of what is left of it is written then)."""
        remaining = list(run)
        attempt = 0
        while remaining:
            try:
                self.transactions += 1
                self._client.transact_write_items(TransactItems=self.transaction(remaining))
                return True
            except ClientError as error:
                code = str(error.response.get("Error", {}).get("Code"))
                reasons = [
                    str(reason.get("Code") or "None")
                    for reason in error.response.get("CancellationReasons") or []
                ]
                done = {
                    n
                    for n, reason in enumerate(reasons[: len(remaining)])
                    if reason == "ConditionalCheckFailed"
                }
                if code == "TransactionCanceledException" and done:
                    # Those events exist, so they were counted with them: the rest goes again without them.
                    remaining = [entry for n, entry in enumerate(remaining) if n not in done]
                    continue
                passing = code in _PASSING_ERRORS or (
                    code == "TransactionCanceledException"
                    and any(reason in _PASSING_REASONS for reason in reasons)
                    and all(reason in _PASSING_REASONS or reason == "None" for reason in reasons)
                )
                if not passing:
                    logger.error(
                        "the ledger could not write a chunk of pass changes",
                        extra={"error": code, "reasons": reasons, "changes": len(remaining)},
                    )
                    return False
            except BotoCoreError as error:  # no answer at all (a connection lost): the stream tries again
                logger.error("the ledger could not reach the table", extra={"error": repr(error)})
                return False
            attempt += 1
            if attempt >= self._max_attempts:
                logger.warning(
                    "a chunk of pass changes kept colliding or being throttled; it comes back",
                    extra={"attempts": attempt, "changes": len(remaining)},
                )
                return False
            self._pause(attempt)
        return True
