"""What became of a pass's wallet updates, in the single table (domain/wallet_delivery.py).

One item a pass, `PASS#<customerId>#<offerId>` / `DELIVERY`, beside the pass item but never written with it: the
scan stays one request, and these writes come from the device registrations (in their own transaction), the push
sender and the Google update (both off the stream), the phone's fetch and Google's callbacks. Every write that can
move the offer's `wallets` counts adds one to `w`; the ledger turns each such write into its count changes from the
stream's two images, exactly once (`countedW` is set in the same transaction as the counts, on condition that it
is older), into `STATS#<offerId>` / `WALLETS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb import keys, wallet_keys
from loyalty.adapters.dynamodb.dynamo import batch_get, condition_failed, from_item, to_item
from loyalty.app.ports.delivery import GoogleCallback, WalletCountChange
from loyalty.app.ports.wallets import PassAddress
from loyalty.domain.wallet_delivery import COUNTED, PUSH_PENDING, DeviceNews, WalletDelivery, counted_change

ENTITY = "WALLET_DELIVERY"
SORT = "DELIVERY"
COUNTS_SORT = "WALLETS"


def delivery_key(address: PassAddress) -> dict[str, str]:
    return {"PK": keys.pass_partition(address.customer_id, address.offer_id), "SK": SORT}


def counts_key(offer_id: str) -> dict[str, str]:
    return {"PK": f"STATS#{offer_id}", "SK": COUNTS_SORT}


def _identity(address: PassAddress) -> dict[str, Any]:
    return {":entity": ENTITY, ":customerId": address.customer_id, ":offerId": address.offer_id}


_IDENTITY = "entity = :entity, customerId = :customerId, offerId = :offerId"


def devices_changed(table_name: str, address: PassAddress, delta: int) -> dict[str, Any]:
    """The transaction item that counts a device registered (+1) or unregistered (−1) for the pass, written in the
    registration's own transaction so the count never drifts from the registrations."""
    ever = ", appleEver = :true" if delta > 0 else ""
    values: dict[str, Any] = {**_identity(address), ":delta": delta, ":one": 1}
    if delta > 0:
        values[":true"] = True
    return {
        "Update": {
            "TableName": table_name,
            "Key": to_item(delivery_key(address)),
            "UpdateExpression": f"SET {_IDENTITY}{ever} ADD appleDevices :delta, w :one",
            "ExpressionAttributeValues": to_item(values),
        }
    }


def delivery_from_item(item: Mapping[str, Any]) -> WalletDelivery:
    saved = item.get("googleSaved")
    return WalletDelivery(
        apple_devices=int(item.get("appleDevices", 0)),
        apple_ever=bool(item.get("appleEver", False)),
        last_push_at=item.get("lastPushAt"),
        last_push_result=item.get("lastPushResult"),
        fetches_since_push=int(item.get("fetchesSincePush", 0)),
        last_fetched_at=item.get("lastFetchedAt"),
        google_saved=saved if isinstance(saved, bool) else None,
        last_update_at=item.get("lastUpdateAt"),
        last_update_result=item.get("lastUpdateResult"),
    )


class WalletDeliveryStore:
    def __init__(self, client: Any, table_name: str) -> None:
        self.client = client
        self.table_name = table_name

    def _update(self, address: PassAddress, expression: str, values: dict[str, Any], **extra: Any) -> bool:
        try:
            self.client.update_item(
                TableName=self.table_name,
                Key=to_item(delivery_key(address)),
                UpdateExpression=expression,
                ExpressionAttributeValues=to_item({**_identity(address), **values}),
                **extra,
            )
        except ClientError as error:
            if condition_failed(error):
                return False
            raise
        return True

    # ------------------------------------------------------------------ Apple
    def push_started(self, address: PassAddress, at: str) -> None:
        """Written before the push leaves, so a fetch it causes is never counted against the previous push."""
        self._update(
            address,
            f"SET {_IDENTITY}, lastPushAt = :at, lastPushResult = :pending, fetchesSincePush = :zero ADD w :one",
            {":at": at, ":pending": PUSH_PENDING, ":zero": 0, ":one": 1},
        )

    def push_finished(self, address: PassAddress, started_at: str, result: str) -> None:
        """What APNs answered; only while no later push has started (its own answer is the one to show)."""
        self._update(
            address,
            f"SET {_IDENTITY}, lastPushResult = :result",
            {":result": result, ":at": started_at},
            ConditionExpression="lastPushAt = :at",
        )

    def fetched(self, address: PassAddress, at: str) -> None:
        """A fetch counted for no device (none was told of a version it had not fetched): only its time."""
        self._update(address, f"SET {_IDENTITY}, lastFetchedAt = :at", {":at": at})

    def fetched_by(self, address: PassAddress, device: DeviceNews, served_version: int, at: str) -> bool:
        """Count the fetch for `device`: its registration notes the version it now holds, on condition that it was
        told of the version it is counted for and not counted since (so a device counts once a version, and of two
        fetches at once only one passes), then the pass's record counts one more device since the push. Two
        single-item writes, not a transaction (2 write units instead of 4 a counted fetch, docs/decisions/0021j): a
        function ending between them leaves the device noted and the record one short, never counted twice. False
        when the condition no longer holds (another fetch counted it, or it left)."""
        if device.told_version is None:
            return False
        try:
            self.client.update_item(
                TableName=self.table_name,
                Key=to_item(
                    wallet_keys.pass_device_key(
                        address.customer_id, address.offer_id, device.device_library_id
                    )
                ),
                UpdateExpression="SET fetchedVersion = :served, fetchedAt = :at",
                ConditionExpression=(
                    "toldVersion = :told AND (attribute_not_exists(fetchedVersion) OR fetchedVersion < :told)"
                ),
                ExpressionAttributeValues=to_item(
                    {":served": served_version, ":at": at, ":told": device.told_version}
                ),
            )
        except ClientError as error:
            if condition_failed(error):
                return False
            raise
        self._update(
            address,
            f"SET {_IDENTITY}, lastFetchedAt = :at ADD fetchesSincePush :one, w :one",
            {":at": at, ":one": 1},
        )
        return True

    # ------------------------------------------------------------------ Google
    def google_updated(self, address: PassAddress, at: str, result: str) -> None:
        self._update(
            address,
            f"SET {_IDENTITY}, lastUpdateAt = :at, lastUpdateResult = :result",
            {":at": at, ":result": result},
        )

    def record(self, event: GoogleCallback, address: PassAddress, at: str) -> bool:
        """Google's save or delete, applied only when it is newer than the last one applied: a replayed callback
        changes nothing, and a save Google sent before a delete never undoes it."""
        return self._update(
            address,
            f"SET {_IDENTITY}, googleSaved = :saved, googleEventMillis = :millis, googleEventAt = :at ADD w :one",
            {":saved": event.saved, ":millis": event.sent_at_millis, ":at": at, ":one": 1},
            ConditionExpression="attribute_not_exists(googleEventMillis) OR googleEventMillis < :millis",
        )

    # ------------------------------------------------------------------ reads
    def of_passes(self, addresses: Iterable[PassAddress]) -> dict[PassAddress, WalletDelivery]:
        wanted = list(dict.fromkeys(addresses))
        found = batch_get(self.client, self.table_name, [delivery_key(a) for a in wanted])
        by_address = {PassAddress(str(i["customerId"]), str(i["offerId"])): i for i in found}
        return {a: delivery_from_item(by_address[a]) if a in by_address else WalletDelivery() for a in wanted}


class WalletCountStore:
    """The offer's `wallets` counts: one item, moved by the stream's delivery writes exactly once each."""

    def __init__(self, client: Any, table_name: str) -> None:
        self.client = client
        self.table_name = table_name

    def apply(self, change: WalletCountChange) -> bool:
        """False when this write (or a later one of the same pass) was counted already."""
        adds = ", ".join(f"#{name} :{name}" for name in change.deltas)
        try:
            self.client.transact_write_items(
                TransactItems=[
                    {
                        "Update": {
                            "TableName": self.table_name,
                            "Key": to_item(delivery_key(change.address)),
                            "UpdateExpression": "SET countedW = :w",
                            "ConditionExpression": "attribute_not_exists(countedW) OR countedW < :w",
                            "ExpressionAttributeValues": to_item({":w": change.write}),
                        }
                    },
                    {
                        "Update": {
                            "TableName": self.table_name,
                            "Key": to_item(counts_key(change.offer_id)),
                            "UpdateExpression": f"ADD {adds}",
                            "ExpressionAttributeNames": {f"#{name}": name for name in change.deltas},
                            "ExpressionAttributeValues": to_item(
                                {f":{name}": delta for name, delta in change.deltas.items()}
                            ),
                        }
                    },
                ]
            )
        except ClientError as error:
            if condition_failed(error):
                return False
            raise
        return True

    def of_offer(self, offer_id: str) -> dict[str, int]:
        found = self.client.get_item(
            TableName=self.table_name, Key=to_item(counts_key(offer_id)), ConsistentRead=True
        ).get("Item")
        item = from_item(found) if found else {}
        return {name: max(int(item.get(name, 0)), 0) for name in COUNTED}


def wallet_count_change(
    old: Mapping[str, Any] | None, new: Mapping[str, Any] | None
) -> WalletCountChange | None:
    """The count change a stream record of a delivery item shows, or None (another item, a removal, a write that
    moves no count)."""
    if new is None or new.get("entity") != ENTITY:
        return None
    if old is not None and int(old.get("w", 0)) == int(new.get("w", 0)):
        return None
    deltas = counted_change(delivery_from_item(old) if old else None, delivery_from_item(new))
    if not deltas:
        return None
    return WalletCountChange(
        offer_id=str(new["offerId"]),
        address=PassAddress(str(new["customerId"]), str(new["offerId"])),
        write=int(new.get("w", 0)),
        deltas=deltas,
    )
