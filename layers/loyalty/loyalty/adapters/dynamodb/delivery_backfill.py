"""Delivery records for passes whose Apple devices registered before delivery records existed (decision 0025c).

A registration has counted its device on the pass's delivery record (`appleDevices`, in its own transaction) only
since the records exist; a pass registered before has no record, or one whose count is short (a later
registration counted from 0) or below 0 (an earlier registration unregistered since). The offer's `installed`
counts therefore under-report. This step sets each such record to what the pass's registrations say now.

It scans the table for the pass-side registration items and the delivery records (a page at a time), and for each
pass found counts its registrations (one consistent COUNT query) and compares. A pass whose record already says
so is left alone: a second run writes nothing. A record that must change is written as every delivery write is
(`w` + 1, domain/wallet_delivery.py), so the ledger moves the offer's `wallets` counts by the difference it makes,
exactly once, from the stream. The write holds only while the record is as read (the same `w`): a registration
meanwhile makes the pass read again, and after three tries it is left to the next run (`busy`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb import keys, wallet_keys
from loyalty.adapters.dynamodb.dynamo import condition_failed, from_item, to_item
from loyalty.adapters.dynamodb.wallet_delivery import ENTITY, delivery_from_item, delivery_key
from loyalty.app.ports.wallets import PassAddress
from loyalty.domain.wallet_delivery import NOTHING_YET

PASS_DEVICE = "APPLE_PASS_DEVICE"
_TRIES = 3


@dataclass(frozen=True)
class DeliveryBackfillRun:
    passes: int  # passes looked at in this run
    corrected: int  # of them, passes whose record was written
    busy: int  # passes whose record kept changing under the step (left to the next run)
    start_after: dict[str, Any] | None  # where a run stopped by its limit ends: the next run's start


def backfill_delivery(
    client: Any,
    table_name: str,
    *,
    limit: int | None = None,
    start_after: dict[str, Any] | None = None,
    page_size: int = 100,
) -> DeliveryBackfillRun:
    """Bring the delivery record of every pass with Apple registrations or a record in line with its
    registrations (at most `limit` items of the scan, from `start_after` on)."""
    seen: set[PassAddress] = set()
    corrected = busy = scanned = 0
    cursor = start_after
    while True:
        size = page_size if limit is None else min(page_size, limit - scanned)
        page = client.scan(
            TableName=table_name,
            FilterExpression="entity IN (:device, :delivery)",
            ExpressionAttributeValues=to_item({":device": PASS_DEVICE, ":delivery": ENTITY}),
            Limit=size,
            **({"ExclusiveStartKey": cursor} if cursor else {}),
        )
        for raw in page.get("Items", []):
            item = from_item(raw)
            address = PassAddress(str(item["customerId"]), str(item["offerId"]))
            if address in seen:
                continue
            seen.add(address)
            outcome = _reconcile(client, table_name, address)
            corrected += outcome == "corrected"
            busy += outcome == "busy"
        scanned += page.get("ScannedCount", 0)
        cursor = page.get("LastEvaluatedKey")
        if cursor is None:
            return DeliveryBackfillRun(len(seen), corrected, busy, None)
        if limit is not None and scanned >= limit:
            return DeliveryBackfillRun(len(seen), corrected, busy, {"PK": cursor["PK"], "SK": cursor["SK"]})


def _reconcile(client: Any, table_name: str, address: PassAddress) -> str:
    """ "corrected", "unchanged" or "busy"."""
    for _ in range(_TRIES):
        found = client.get_item(
            TableName=table_name, Key=to_item(delivery_key(address)), ConsistentRead=True
        ).get("Item")
        record = from_item(found) if found else None
        devices = _registrations(client, table_name, address)
        before = delivery_from_item(record) if record else NOTHING_YET
        after = replace(before, apple_devices=devices, apple_ever=before.apple_ever or devices > 0)
        if (after.apple_devices, after.apple_ever) == (before.apple_devices, before.apple_ever):
            return "unchanged"
        if _write(client, table_name, address, record, devices, after.apple_ever):
            return "corrected"
    return "busy"


def _registrations(client: Any, table_name: str, address: PassAddress) -> int:
    paginator = client.get_paginator("query")
    return sum(
        int(page.get("Count", 0))
        for page in paginator.paginate(
            TableName=table_name,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues=to_item(
                {
                    ":pk": keys.pass_partition(address.customer_id, address.offer_id),
                    ":prefix": wallet_keys.DEVICE_SORT_PREFIX,
                }
            ),
            Select="COUNT",
            ConsistentRead=True,
        )
    )


def _write(
    client: Any,
    table_name: str,
    address: PassAddress,
    record: Mapping[str, Any] | None,
    devices: int,
    ever: bool,
) -> bool:
    values: dict[str, Any] = {
        ":entity": ENTITY,
        ":customerId": address.customer_id,
        ":offerId": address.offer_id,
        ":devices": devices,
        ":ever": ever,
        ":one": 1,
    }
    if record is None or "w" not in record:
        condition = "attribute_not_exists(w)"
    else:
        condition = "w = :w"
        values[":w"] = int(record["w"])
    try:
        client.update_item(
            TableName=table_name,
            Key=to_item(delivery_key(address)),
            UpdateExpression=(
                "SET entity = :entity, customerId = :customerId, offerId = :offerId,"
                " appleDevices = :devices, appleEver = :ever ADD w :one"
            ),
            ConditionExpression=condition,
            ExpressionAttributeValues=to_item(values),
        )
    except ClientError as error:
        if condition_failed(error):
            return False
        raise
    return True
