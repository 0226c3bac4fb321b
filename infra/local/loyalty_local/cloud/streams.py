"""The local event source mapping: polls the table's stream on DynamoDB Local and calls every function that
template.yaml subscribes to it, with Lambda's batch, filter, retry and partial-batch-failure semantics.

Like the event source mapping, it remembers how far each consumer got in each shard (a checkpoint file in the
stack's data directory), so a restart of `make run` resumes after the last record processed instead of replaying
the stream from its start: no repeated wallet updates, no repeated workflows."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from loyalty_local.cloud.lambda_runtime import FunctionRuntime
from loyalty_local.cloud.template import StreamSubscription, stream_subscriptions

log = logging.getLogger("loyalty_local.cloud.streams")


def matches(pattern: Any, value: Any) -> bool:
    """EventBridge-style filter matching as Lambda applies it: dicts nest, a list lists the accepted values, and
    `{"exists": true|false}` accepts a field by its presence alone."""
    if isinstance(pattern, dict):
        if not isinstance(value, dict):
            return False
        return all(_field_matches(sub, key in value, value.get(key)) for key, sub in pattern.items())
    if isinstance(pattern, list):
        return any(_option_matches(option, True, value) for option in pattern)
    return bool(pattern == value)


def _field_matches(pattern: Any, present: bool, value: Any) -> bool:
    if isinstance(pattern, list):
        return any(_option_matches(option, present, value) for option in pattern)
    return present and matches(pattern, value)


def _option_matches(option: Any, present: bool, value: Any) -> bool:
    if isinstance(option, dict) and set(option) == {"exists"}:
        return present is bool(option["exists"])
    if not present:
        return False
    return matches(option, value) if isinstance(option, dict) else bool(option == value)


def accepted(subscription: StreamSubscription, record: dict[str, Any]) -> bool:
    return not subscription.filters or any(matches(f, record) for f in subscription.filters)


class StreamCheckpoints:
    """The last sequence number each consumer processed, per stream and shard; kept in a JSON file when the
    stack has a data directory (`path`), in memory otherwise. Written after every batch, atomically (a stop in the
    middle leaves the previous checkpoint, and at most that batch is delivered again, as Lambda may)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._positions: dict[str, dict[str, dict[str, str]]] = {}
        if path is not None and path.exists():
            try:
                self._positions = json.loads(path.read_text(encoding="utf-8"))
            except ValueError:
                log.warning("ignoring an unreadable stream checkpoint file %s", path)

    def get(self, stream_arn: str, function: str, shard: str) -> str | None:
        with self._lock:
            return self._positions.get(stream_arn, {}).get(function, {}).get(shard)

    def put(self, stream_arn: str, function: str, shard: str, sequence_number: str) -> None:
        with self._lock:
            shards = self._positions.setdefault(stream_arn, {}).setdefault(function, {})
            if shards.get(shard) == sequence_number:
                return
            shards[shard] = sequence_number
            if self.path is None:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(".tmp")
            partial.write_text(json.dumps(self._positions, indent=1, sort_keys=True), encoding="utf-8")
            os.replace(partial, self.path)


@dataclass
class _Cursor:
    iterator: str | None
    pending: list[dict[str, Any]] = field(default_factory=list)
    attempts: int = 0
    # Sequence number of the last record read from the shard (delivered, filtered out or given up on).
    read_until: str | None = None


class StreamPoller:
    """One poller a table; each subscription has its own cursor per shard, so one failing consumer does not
    hold another back."""

    def __init__(
        self,
        streams_client: Any,
        dynamodb_client: Any,
        table_name: str,
        runtime: FunctionRuntime,
        subscriptions: list[StreamSubscription] | None = None,
        interval: float = 0.2,
        checkpoints: StreamCheckpoints | None = None,
    ) -> None:
        self.streams = streams_client
        self.table_name = table_name
        self.runtime = runtime
        self.subscriptions = subscriptions if subscriptions is not None else stream_subscriptions()
        self.interval = interval
        self.checkpoints = checkpoints or StreamCheckpoints()
        self.stream_arn: str = dynamodb_client.describe_table(TableName=table_name)["Table"][
            "LatestStreamArn"
        ]
        self._cursors: dict[tuple[str, str], _Cursor] = {}
        self._closed: set[tuple[str, str]] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._idle = threading.Event()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="stream-poller", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until a full poll found nothing new to deliver (tests use it to await side effects)."""
        self._idle.clear()
        return self._idle.wait(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                delivered = self.poll_once()
            except Exception:
                log.exception("stream poll failed")
                delivered = 0
            if delivered == 0:
                self._idle.set()
                self._stop.wait(self.interval)

    def _shards(self) -> list[str]:
        shards: list[str] = []
        start: str | None = None
        while True:
            kwargs: dict[str, Any] = {"StreamArn": self.stream_arn}
            if start:
                kwargs["ExclusiveStartShardId"] = start
            description = self.streams.describe_stream(**kwargs)["StreamDescription"]
            shards.extend(s["ShardId"] for s in description["Shards"])
            start = description.get("LastEvaluatedShardId")
            if not start:
                return shards

    def poll_once(self) -> int:
        """Deliver what is new on every shard to every subscription; the number of records delivered."""
        delivered = 0
        shards = self._shards()
        for subscription in self.subscriptions:
            for shard in shards:
                key = (subscription.function, shard)
                if key in self._closed:
                    continue
                cursor = self._cursors.get(key)
                if cursor is None:
                    cursor = _Cursor(self._iterator(subscription, shard))
                    self._cursors[key] = cursor
                delivered += self._advance(subscription, key, cursor)
        return delivered

    def _iterator(self, subscription: StreamSubscription, shard: str) -> str:
        """Right after the consumer's checkpoint in this shard; without one, where the subscription starts."""
        processed = self.checkpoints.get(self.stream_arn, subscription.function, shard)
        if processed is not None:
            try:
                response = self.streams.get_shard_iterator(
                    StreamArn=self.stream_arn,
                    ShardId=shard,
                    ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                    SequenceNumber=processed,
                )
                return str(response["ShardIterator"])
            except ClientError as error:  # trimmed past the checkpoint (24 h), or a stream of another table
                log.warning(
                    "%s: checkpoint %s of %s not usable (%s)", subscription.function, processed, shard, error
                )
        kind = "LATEST" if subscription.starting_position == "LATEST" else "TRIM_HORIZON"
        response = self.streams.get_shard_iterator(
            StreamArn=self.stream_arn, ShardId=shard, ShardIteratorType=kind
        )
        return str(response["ShardIterator"])

    def _checkpoint(
        self, subscription: StreamSubscription, shard: str, cursor: _Cursor, last_done: dict[str, Any] | None
    ) -> None:
        """Everything before the first pending record is processed: with nothing pending, all that was read
        (records the filter let through and records it kept away alike)."""
        sequence = cursor.read_until if not cursor.pending else None
        if sequence is None and last_done is not None:
            sequence = last_done["dynamodb"]["SequenceNumber"]
        if sequence is not None:
            self.checkpoints.put(self.stream_arn, subscription.function, shard, sequence)

    def _advance(self, subscription: StreamSubscription, key: tuple[str, str], cursor: _Cursor) -> int:
        shard = key[1]
        if not cursor.pending:
            if cursor.iterator is None:
                self._closed.add(key)
                return 0
            response = self.streams.get_records(ShardIterator=cursor.iterator, Limit=1000)
            cursor.iterator = response.get("NextShardIterator")
            records = [self._lambda_shape(r) for r in response.get("Records", [])]
            if records:
                cursor.read_until = records[-1]["dynamodb"]["SequenceNumber"]
            cursor.pending = [r for r in records if accepted(subscription, r)]
            if records and not cursor.pending:
                self._checkpoint(subscription, shard, cursor, None)
        if not cursor.pending:
            return 0
        batch = cursor.pending[: subscription.batch_size]
        failed_from = self._deliver(subscription, batch, shard)
        if failed_from is None:
            cursor.pending = cursor.pending[len(batch) :]
            cursor.attempts = 0
            self._checkpoint(subscription, shard, cursor, batch[-1])
            return len(batch)
        cursor.attempts += 1
        if cursor.attempts > subscription.maximum_retry_attempts >= 0:
            log.error(
                "discarding %d stream records after %d attempts", len(batch) - failed_from, cursor.attempts
            )
            cursor.pending = cursor.pending[len(batch) :]
            cursor.attempts = 0
            self._checkpoint(subscription, shard, cursor, batch[-1])
            return len(batch)
        # Lambda retries from the first failed record (the ones before it were processed).
        cursor.pending = cursor.pending[failed_from:]
        if failed_from:
            self._checkpoint(subscription, shard, cursor, batch[failed_from - 1])
        time.sleep(min(2.0, 0.1 * 2**cursor.attempts))
        return failed_from

    def _deliver(
        self, subscription: StreamSubscription, batch: list[dict[str, Any]], shard: str
    ) -> int | None:
        """None when the whole batch succeeded; else the index of the first record to retry from."""
        event: dict[str, Any] = {"Records": batch}
        if subscription.tumbling_window_seconds:
            # A mapping with a tumbling window names the batch's shard and window, and passes the window's state
            # (Lambda developer guide, "Implementing stateful DynamoDB stream processing in Lambda").
            event.update(
                shardId=shard, eventSourceARN=self.stream_arn, state={}, isFinalInvokeForWindow=False
            )
        try:
            result = self.runtime.invoke(subscription.function, event)
        except Exception:
            log.exception("%s failed on a stream batch", subscription.function)
            return 0
        if subscription.tumbling_window_seconds and not (isinstance(result, dict) and "state" in result):
            # With a tumbling window, an answer without `state` is a failed invocation (same page).
            log.error("%s answered a windowed stream batch without its state", subscription.function)
            return 0
        if not subscription.report_batch_item_failures or not isinstance(result, dict):
            return None
        failures = result.get("batchItemFailures") or []
        if not failures:
            return None
        sequence_numbers = [r["dynamodb"]["SequenceNumber"] for r in batch]
        indexes = [
            sequence_numbers.index(f["itemIdentifier"])
            for f in failures
            if f.get("itemIdentifier") in sequence_numbers
        ]
        return min(indexes) if indexes else 0

    def _lambda_shape(self, record: dict[str, Any]) -> dict[str, Any]:
        """A stream record as the Lambda event source mapping hands it over."""
        shaped = dict(record)
        dynamodb = dict(shaped.get("dynamodb", {}))
        created = dynamodb.get("ApproximateCreationDateTime")
        if isinstance(created, datetime):
            dynamodb["ApproximateCreationDateTime"] = int(created.timestamp())
        shaped["dynamodb"] = dynamodb
        shaped["eventSourceARN"] = self.stream_arn
        shaped.setdefault("eventSource", "aws:dynamodb")
        shaped.setdefault("awsRegion", "us-east-1")
        return shaped
