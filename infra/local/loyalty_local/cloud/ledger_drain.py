"""The ledger without a stack (integration tests that call use cases directly, the scan bench): `drain` reads what
is new on a table's stream in DynamoDB Local and has the ledger write it, as `ledger` does on AWS.

Call it after the writes and before reading history or stats. It remembers how far it read each shard of each
table, so calling it again ledgers only what came since (and a record read twice would be harmless anyway)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import boto3

from loyalty.adapters.dynamodb.ledger import DynamoLedger
from loyalty.adapters.dynamodb.offers import DynamoOfferStore
from loyalty.adapters.dynamodb.stream import StreamRecord, stream_records
from loyalty.app.ports.ledger import PassWritten
from loyalty.app.stats.ledger import (
    TIMEZONE_MAX_AGE_SECONDS,
    OfferTimezones,
    is_ledgered,
    record_pass_changes,
)

# (stream ARN, shard id) -> the last sequence number drained.
_positions: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class BatchCost:
    """What one batch's ledgering took (the bench models the ledger function on Lambda from it): its pass changes,
    wall and CPU seconds (the process's, all threads; the calling thread's alone: reading the records, building
    the entries, waiting on the pool), DynamoDB requests made one after another by the calling thread (the
    offers' time zones) and by the ledger's pool (events, counters, refusals)."""

    changes: int
    seconds: float
    cpu_seconds: float
    caller_cpu_seconds: float
    serial_requests: int
    pool_requests: int


def _streams(client: Any) -> Any:
    return boto3.client(
        "dynamodbstreams",
        endpoint_url=client.meta.endpoint_url,
        region_name=client.meta.region_name,
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def _shards(streams: Any, stream_arn: str) -> list[str]:
    shards: list[str] = []
    start: str | None = None
    while True:
        request: dict[str, Any] = {"StreamArn": stream_arn}
        if start:
            request["ExclusiveStartShardId"] = start
        description = streams.describe_stream(**request)["StreamDescription"]
        shards.extend(shard["ShardId"] for shard in description["Shards"])
        start = description.get("LastEvaluatedShardId")
        if not start:
            return shards


def _new_records(streams: Any, stream_arn: str, shard: str) -> list[dict[str, Any]]:
    after = _positions.get((stream_arn, shard))
    request: dict[str, Any] = {"StreamArn": stream_arn, "ShardId": shard}
    if after is None:
        request["ShardIteratorType"] = "TRIM_HORIZON"
    else:
        request.update(ShardIteratorType="AFTER_SEQUENCE_NUMBER", SequenceNumber=after)
    iterator = streams.get_shard_iterator(**request)["ShardIterator"]
    records: list[dict[str, Any]] = []
    while iterator:
        answer = streams.get_records(ShardIterator=iterator, Limit=1000)
        page = answer.get("Records", [])
        if not page:
            break
        records.extend(page)
        iterator = answer.get("NextShardIterator")
    return records


def drain(
    client: Any,
    table_name: str,
    batch_size: int | None = None,
    spent: list[float] | None = None,
    costs: list[BatchCost] | None = None,
) -> int:
    """Ledger every pass change on the table's stream not drained yet (all shards), `batch_size` pass changes an
    invocation (all at once by default); how many pass changes were ledgered. Fails when the ledger hands any
    back. Records of anything else (the ledger's own events and counters) are passed over, as the consumer's
    filter passes them over on AWS. `spent` gets the seconds of each batch's ledgering (what the ledger function
    does with a batch the event source mapping hands it; reading the stream here is the mapping's part), `costs`
    each batch's `BatchCost`."""
    stream_arn = client.describe_table(TableName=table_name)["Table"]["LatestStreamArn"]
    streams = _streams(client)
    ledger = DynamoLedger(client, table_name)
    offers = DynamoOfferStore(client, table_name)
    # As the deployed ledger's container keeps them: across the batches of this drain.
    timezones = OfferTimezones(offers, max_age=TIMEZONE_MAX_AGE_SECONDS)
    read = 0
    for shard in _shards(streams, stream_arn):
        raw = _new_records(streams, stream_arn, shard)
        if not raw:
            continue
        # The records the consumer's filter lets through; each batch wraps its own records afresh, so that the
        # batch decodes them in its time, as the function does (a record keeps what it decoded).
        changes = [record for record in raw if _is_change(StreamRecord(record))]
        size = batch_size or len(changes) or 1
        for start in range(0, len(changes), size):
            batch = stream_records(changes[start : start + size])
            reads, requests = timezones.reads, _pool_requests(ledger)
            cpu, caller_cpu = time.process_time(), time.thread_time()
            started = time.perf_counter()
            failed = record_pass_changes(ledger, offers, batch, timezones, shard=shard)
            seconds = time.perf_counter() - started
            if spent is not None:
                spent.append(seconds)
            if costs is not None:
                costs.append(
                    BatchCost(
                        changes=len(batch),
                        seconds=seconds,
                        cpu_seconds=time.process_time() - cpu,
                        caller_cpu_seconds=time.thread_time() - caller_cpu,
                        serial_requests=timezones.reads - reads,
                        pool_requests=_pool_requests(ledger) - requests,
                    )
                )
            if failed:
                raise AssertionError(f"the ledger handed back {len(failed)} stream records of {table_name}")
        _positions[(stream_arn, shard)] = raw[-1]["dynamodb"]["SequenceNumber"]
        read += len(changes)
    return read


def _pool_requests(ledger: DynamoLedger) -> int:
    """The requests the ledger's pool made so far: event batches, counter updates (refused ones included) and the
    reads after a refusal."""
    counters = ledger.counters
    return ledger.batch_writes + counters.requests + counters.reads


def _is_change(record: StreamRecord) -> bool:
    written = record.written()
    return isinstance(written, PassWritten) and is_ledgered(written)
