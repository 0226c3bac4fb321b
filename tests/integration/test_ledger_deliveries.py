"""Any delivery of one stream shard at least once, against DynamoDB Local (docs/decisions/0021g): batches of any
size, counter items and event writes failing at random, batches handed back from the failure point, redelivered
prefixes and bisected halves. In the end each change has one event and is counted exactly once."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyalty.adapters.dynamodb.enroll_keys import enroll_key_sort
from loyalty.adapters.dynamodb.keys import pass_partition
from loyalty.adapters.dynamodb.ledger import DynamoLedger
from loyalty.app.ports.ledger import LedgerEntry
from tests.integration.test_ledger_store import a_day_of, assert_counted_once, on_shard

pytestmark = pytest.mark.integration


class Flaky:
    """The table's client; a write fails when `fails` says so for its key (counter items and event batches)."""

    def __init__(self, ddb: Any) -> None:
        self.ddb = ddb
        self.meta = ddb.meta
        self.fails: Any = lambda _: False

    def update_item(self, **request: Any) -> Any:
        if self.fails(request["Key"]["SK"]["S"]):
            raise ClientError({"Error": {"Code": "InternalServerError", "Message": "x"}}, "UpdateItem")
        return self.ddb.update_item(**request)

    def batch_write_item(self, **request: Any) -> Any:
        ((_, items),) = request["RequestItems"].items()
        if self.fails(items[0]["PutRequest"]["Item"]["SK"]["S"]):
            raise ClientError({"Error": {"Code": "InternalServerError", "Message": "x"}}, "BatchWriteItem")
        return self.ddb.batch_write_item(**request)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.ddb, name)


FAILING = st.sampled_from(["", "", "MEMBERS#", "DAY#", "EVENT#", "ENROLLKEY#"])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_delivery_of_a_shard_adds_each_change_once(
    ddb: Any, table_name: str, data: st.DataObject
) -> None:
    offer = f"off_{uuid.uuid4().hex[:26]}"
    changes = [
        replace(
            e,
            pass_=replace(e.pass_, offer_id=offer),
            # Enrollments with a key: their enroll-key items are written with their events (0021b).
            note=replace(e.note, idempotency_key=f"key-{n}") if e.note.kind == "ENROLL" else e.note,
        )
        for n, e in enumerate(a_day_of(6, 3))
    ]
    stream: list[LedgerEntry] = on_shard("shardId-00000001700000000000-prop0001", changes)
    client = Flaky(ddb)
    ledger = DynamoLedger(client, table_name, max_attempts=1, pause=lambda _: None, workers=4)
    position, steps = 0, 0
    while position < len(stream):
        steps += 1
        assert steps < 200, "the shard made no progress"
        size = data.draw(st.integers(1, 12), label="batch size")
        batch = stream[position : position + size]
        failing = data.draw(FAILING, label="failing writes")
        times = [data.draw(st.integers(0, 1), label="fail this batch")]
        client.fails = lambda key, f=failing, t=times: bool(f) and t[0] == 1 and key.startswith(f)
        if data.draw(st.booleans(), label="bisected"):
            # Lambda splits a failed batch: its first half alone, then the rest.
            batch = batch[: max(1, len(batch) // 2)]
        written = ledger.write(batch)
        if written < len(batch):
            position += written  # handed back from the first change not written
        elif data.draw(st.booleans(), label="a redelivered prefix"):
            position = data.draw(st.integers(0, position), label="back to")
        else:
            position += len(batch)
    client.fails = lambda _: False
    assert_counted_once(ddb, table_name, stream)
    for entry in stream:
        if entry.note.kind == "ENROLL":
            kept = ddb.get_item(
                TableName=table_name,
                Key={
                    "PK": {"S": pass_partition(entry.pass_.customer_id, offer)},
                    "SK": {"S": enroll_key_sort(entry.pass_.version)},
                },
            ).get("Item")
            assert kept and kept["idempotencyKey"]["S"] == entry.note.idempotency_key
