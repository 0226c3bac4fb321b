"""Passes whose Apple devices registered before delivery records existed: the offer's `wallets` counts miss them
until `loyalty-local backfill-delivery` counts their registrations; it runs resumably, and a second run changes
nothing (DynamoDB Local)."""

from __future__ import annotations

import re
from typing import Any

import boto3
import pytest

from loyalty.adapters.dynamodb import wallet_keys
from loyalty.adapters.dynamodb.delivery_backfill import backfill_delivery
from loyalty.adapters.dynamodb.dynamo import from_item, to_item
from loyalty.adapters.dynamodb.stream import stream_records
from loyalty.adapters.dynamodb.wallet_delivery import (
    WalletCountStore,
    WalletDeliveryStore,
    delivery_key,
)
from loyalty.adapters.dynamodb.wallet_registrations import AppleWalletStore
from loyalty.app.ports.wallets import PassAddress
from loyalty.app.wallets.delivery import count_wallet_changes
from loyalty.domain.ids import new_id
from loyalty_local.tools.cli import main as loyalty_local

pytestmark = pytest.mark.integration

TYPE = "pass.test.loyalty"
AT = "2026-06-01T10:00:00Z"


def _older_registration(ddb: Any, table_name: str, address: PassAddress, device: str) -> None:
    """A registration as it was written before delivery records: its two items, no count anywhere."""
    serial = f"s-{address.customer_id[-8:]}"
    common = {
        "deviceLibraryId": device,
        "passTypeId": TYPE,
        "serial": serial,
        "customerId": address.customer_id,
        "offerId": address.offer_id,
        "pushToken": "a" * 64,
        "createdAt": AT,
        "updatedAt": AT,
    }
    for key, entity in (
        (wallet_keys.device_registration_key(device, TYPE, serial), "APPLE_DEVICE_REGISTRATION"),
        (
            wallet_keys.pass_device_key(address.customer_id, address.offer_id, device),
            "APPLE_PASS_DEVICE",
        ),
    ):
        ddb.put_item(TableName=table_name, Item=to_item({**key, "entity": entity, **common}))


def _record(ddb: Any, table_name: str, address: PassAddress) -> dict[str, Any] | None:
    found = ddb.get_item(TableName=table_name, Key=to_item(delivery_key(address)), ConsistentRead=True).get(
        "Item"
    )
    return from_item(found) if found else None


class Ledger:
    """The ledger's share of the table's stream in DynamoDB Local: each delivery write since the last catch-up,
    handed to the same use case the deployed ledger runs (`count_wallet_changes`)."""

    def __init__(self, ddb: Any, table_name: str) -> None:
        self.ddb, self.table_name = ddb, table_name
        self.streams = boto3.client(
            "dynamodbstreams",
            endpoint_url=ddb.meta.endpoint_url,
            region_name=ddb.meta.region_name,
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )
        self.arn = ddb.describe_table(TableName=table_name)["Table"]["LatestStreamArn"]
        self.after: dict[str, str] = {}

    def catch_up(self) -> int:
        """Count the delivery writes that came since; how many records moved a count."""
        raw: list[dict[str, Any]] = []
        for shard in self.streams.describe_stream(StreamArn=self.arn)["StreamDescription"]["Shards"]:
            shard_id = shard["ShardId"]
            where: dict[str, Any] = {"ShardIteratorType": "TRIM_HORIZON"}
            if shard_id in self.after:
                where = {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": self.after[shard_id]}
            iterator = self.streams.get_shard_iterator(StreamArn=self.arn, ShardId=shard_id, **where)[
                "ShardIterator"
            ]
            while iterator:
                answer = self.streams.get_records(ShardIterator=iterator, Limit=1000)
                if not answer.get("Records"):
                    break
                raw.extend(answer["Records"])
                self.after[shard_id] = answer["Records"][-1]["dynamodb"]["SequenceNumber"]
                iterator = answer.get("NextShardIterator")
        records = stream_records(raw)
        moving = sum(record.wallet_count_change() is not None for record in records)
        assert count_wallet_changes(WalletCountStore(self.ddb, self.table_name), records) == []
        return moving


def test_the_backfill_counts_older_registrations_once(
    ddb: Any, table_name: str, dynamodb_endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    offer_id = new_id("off")
    two_older, older_and_newer, left_since, never = (PassAddress(new_id("cus"), offer_id) for _ in range(4))
    wallet = AppleWalletStore(ddb, table_name)
    ledger = Ledger(ddb, table_name)
    _older_registration(ddb, table_name, two_older, "dev-a")
    _older_registration(ddb, table_name, two_older, "dev-b")
    _older_registration(ddb, table_name, older_and_newer, "dev-c")
    _older_registration(ddb, table_name, left_since, "dev-d")
    # Since delivery records exist: one more device registers (counted from 0), one older one leaves (−1).
    assert wallet.register("dev-e", TYPE, "s-new", older_and_newer, "b" * 64, AT) is True
    assert wallet.unregister("dev-d", TYPE, f"s-{left_since.customer_id[-8:]}", left_since) is True
    ledger.catch_up()
    counts = WalletCountStore(ddb, table_name)
    # Under-reported: two passes are on devices (four devices), the counts say one.
    assert counts.of_offer(offer_id)["appleInstalled"] == 1

    args = ["backfill-delivery", "--endpoint", dynamodb_endpoint, "--table", table_name]
    assert loyalty_local([*args, "--limit", "2"]) == 0
    out = capsys.readouterr().out
    found = re.search(r"--start-after '(.+)'", out)
    assert found is not None, out
    while found is not None:
        assert loyalty_local([*args, "--limit", "2", "--start-after", found.group(1)]) == 0
        out = capsys.readouterr().out
        found = re.search(r"--start-after '(.+)'", out)
    assert "0 to go" in out

    # Right after the backfill and the ledger's turn on its writes, the counts and the member pages agree.
    assert ledger.catch_up() == 1  # the pass on two devices and none counted; the others move no count
    assert counts.of_offer(offer_id) == {
        "appleInstalled": 2,
        "appleRemoved": 0,
        "googleSaved": 0,
        "googleRemoved": 0,
        "upToDate": 2,
    }
    shown = WalletDeliveryStore(ddb, table_name).of_passes([two_older, older_and_newer, left_since, never])
    assert [shown[a].apple_devices for a in (two_older, older_and_newer, left_since, never)] == [2, 2, 0, 0]
    assert shown[two_older].apple_ever and shown[two_older].up_to_date
    # The stream hands the same records over again: nothing moves twice.
    ledger.after.clear()
    ledger.catch_up()
    assert counts.of_offer(offer_id)["appleInstalled"] == 2

    # A second whole run changes nothing.
    before = {a: _record(ddb, table_name, a) for a in (two_older, older_and_newer, left_since)}
    assert loyalty_local(args) == 0
    assert "corrected 0" in capsys.readouterr().out
    assert {a: _record(ddb, table_name, a) for a in before} == before
    assert ledger.catch_up() == 0
    assert counts.of_offer(offer_id)["appleInstalled"] == 2

    # Registrations keep counting as before on the corrected records.
    assert wallet.unregister("dev-a", TYPE, f"s-{two_older.customer_id[-8:]}", two_older) is True
    assert wallet.unregister("dev-b", TYPE, f"s-{two_older.customer_id[-8:]}", two_older) is True
    ledger.catch_up()
    assert counts.of_offer(offer_id)["appleInstalled"] == 1
    assert counts.of_offer(offer_id)["appleRemoved"] == 1


def test_a_registration_during_the_backfill_is_not_lost(ddb: Any, table_name: str) -> None:
    """The backfill writes only over the record it read: a device counted meanwhile makes it read again."""
    address = PassAddress(new_id("cus"), new_id("off"))
    _older_registration(ddb, table_name, address, "dev-a")
    wallet = AppleWalletStore(ddb, table_name)
    registered = False

    def register_once(**_: Any) -> None:
        nonlocal registered
        if not registered:
            registered = True
            wallet.register("dev-b", TYPE, "s-b", address, "b" * 64, AT)

    ddb.meta.events.register("before-call.dynamodb.UpdateItem", register_once)
    try:
        done = backfill_delivery(ddb, table_name)
    finally:
        ddb.meta.events.unregister("before-call.dynamodb.UpdateItem", register_once)
    assert registered and (done.corrected, done.busy) == (1, 0)
    assert WalletDeliveryStore(ddb, table_name).of_passes([address])[address].apple_devices == 2
