"""The Idempotency-Keys a pass's enrollments came with, kept beside its events (docs/decisions/0021b).

An enrollment's (or a reactivation's) stored answer names the customer, so erasure deletes it; to find it, erasure
needs the keys those requests came with. The ledger writes, with the audit event of each ENROLL and REACTIVATE that
came with a key, a small item `ENROLLKEY#v<version>` in the pass's partition holding that key. Erasure then reads
these few items (one per enrollment or reactivation) instead of every event of the pass.

`backfill_enroll_keys` writes the items for events the ledger wrote before it kept them: a scan of the table for
such events, one idempotent PutItem each (the item is fixed by its event), resumable by `start_after`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from loyalty.adapters.dynamodb.dynamo import to_item

PREFIX = "ENROLLKEY#"
# The kinds of change whose stored answer names the customer.
KINDS = ("ENROLL", "REACTIVATE")


def enroll_key_sort(version: int) -> str:
    return f"{PREFIX}v{version:010d}"


def enroll_key_item(partition: str, version: int, idempotency_key: str) -> dict[str, Any]:
    """The item (plain values) that keeps the key an enrollment of this version came with."""
    return {
        "PK": partition,
        "SK": enroll_key_sort(version),
        "entity": "ENROLL_KEY",
        "idempotencyKey": idempotency_key,
    }


def enroll_key_put(table_name: str, partition: str, version: int, idempotency_key: str) -> dict[str, Any]:
    """The TransactWriteItems element that writes it (the same item whenever the change is handed over again)."""
    return {
        "Put": {
            "TableName": table_name,
            "Item": to_item(enroll_key_item(partition, version, idempotency_key)),
        }
    }


@dataclass(frozen=True)
class EnrollKeyBackfillRun:
    written: int
    start_after: dict[str, Any] | None


def backfill_enroll_keys(
    client: Any, table_name: str, *, limit: int | None = None, start_after: dict[str, Any] | None = None
) -> EnrollKeyBackfillRun:
    """Write the enroll-key item of every ENROLL or REACTIVATE event with a key (a run over a table already done
    writes the same items again, harmlessly); a run stopped by `limit` says where to start after."""
    request: dict[str, Any] = {
        "TableName": table_name,
        "FilterExpression": "entity = :event AND kind IN (:enroll, :reactivate) AND attribute_exists(idempotencyKey)",
        "ProjectionExpression": "PK, version, idempotencyKey",
        "ExpressionAttributeValues": to_item(
            {":event": "PASS_EVENT", ":enroll": KINDS[0], ":reactivate": KINDS[1]}
        ),
    }
    if start_after is not None:
        request["ExclusiveStartKey"] = to_item(start_after)
    written = 0
    while True:
        answer = client.scan(**request)
        for item in answer.get("Items", []):
            client.put_item(
                TableName=table_name,
                Item=to_item(
                    enroll_key_item(item["PK"]["S"], int(item["version"]["N"]), item["idempotencyKey"]["S"])
                ),
            )
            written += 1
        last = answer.get("LastEvaluatedKey")
        if last is None:
            return EnrollKeyBackfillRun(written, None)
        if limit is not None and written >= limit:
            return EnrollKeyBackfillRun(written, {"PK": last["PK"]["S"], "SK": last["SK"]["S"]})
        request["ExclusiveStartKey"] = last
