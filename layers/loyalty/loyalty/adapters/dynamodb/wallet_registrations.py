"""Apple Wallet items in the single table: which pass an Apple serial number is, and which devices registered
for which passes (each registration kept under the device and under the pass, written together)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb import keys, wallet_keys
from loyalty.adapters.dynamodb.dynamo import (
    batch_get,
    condition_failed,
    from_item,
    to_item,
)
from loyalty.adapters.dynamodb.wallet_delivery import WalletDeliveryStore, devices_changed
from loyalty.app.ports.wallets import DeviceRegistration, PassAddress
from loyalty.domain.wallet_delivery import DeviceNews, devices_to_count


class AppleWalletStore:
    def __init__(self, client: Any, table_name: str) -> None:
        self.client = client
        self.table_name = table_name
        self.delivery = WalletDeliveryStore(client, table_name)

    def record_told(self, device_library_id: str, told: Mapping[PassAddress, int], at: str) -> None:
        """The device was answered that these passes changed, each at this version: its registration for each
        keeps the version (only a newer one replaces it; a pass it is not registered for is left alone)."""
        for address, version in told.items():
            try:
                self.client.update_item(
                    TableName=self.table_name,
                    Key=to_item(
                        wallet_keys.pass_device_key(address.customer_id, address.offer_id, device_library_id)
                    ),
                    UpdateExpression="SET toldVersion = :v, toldAt = :at",
                    ConditionExpression=(
                        "attribute_exists(PK) AND (attribute_not_exists(toldVersion) OR toldVersion < :v)"
                    ),
                    ExpressionAttributeValues=to_item({":v": version, ":at": at}),
                )
            except ClientError as error:
                if not condition_failed(error):
                    raise

    def record_fetch(self, address: PassAddress, version: int, at: str) -> bool:
        """A fetch of the pass at `version`, counted for one device told of it (domain/wallet_delivery.py);
        False when it counted for none."""
        for device in devices_to_count(self.device_news(address), version):
            if self.delivery.fetched_by(address, device, version, at):
                return True
        self.delivery.fetched(address, at)
        return False

    def device_news(self, address: PassAddress) -> list[DeviceNews]:
        """What each device registered for the pass was told of it, and fetched (one query of the pass's
        partition)."""
        return [
            DeviceNews(
                device_library_id=str(item["deviceLibraryId"]),
                told_version=int(item["toldVersion"]) if "toldVersion" in item else None,
                fetched_version=int(item["fetchedVersion"]) if "fetchedVersion" in item else None,
            )
            for item in self._query(
                keys.pass_partition(address.customer_id, address.offer_id), wallet_keys.DEVICE_SORT_PREFIX
            )
        ]

    # ------------------------------------------------------------------ serial numbers
    def record_serial(self, pass_type_id: str, serial: str, address: PassAddress, at: str) -> None:
        """Remember which pass a serial is (idempotent; a serial never moves to another pass)."""
        try:
            self.client.put_item(
                TableName=self.table_name,
                Item=to_item(
                    {
                        **wallet_keys.serial_key(pass_type_id, serial),
                        "entity": "APPLE_SERIAL",
                        "customerId": address.customer_id,
                        "offerId": address.offer_id,
                        "createdAt": at,
                    }
                ),
                ConditionExpression="attribute_not_exists(PK) OR (customerId = :c AND offerId = :o)",
                ExpressionAttributeValues={":c": {"S": address.customer_id}, ":o": {"S": address.offer_id}},
            )
        except ClientError as error:
            if condition_failed(error):
                raise ValueError("this serial number already belongs to another pass") from None
            raise

    def pass_of_serial(self, pass_type_id: str, serial: str) -> PassAddress | None:
        found = self.client.get_item(
            TableName=self.table_name, Key=to_item(wallet_keys.serial_key(pass_type_id, serial))
        ).get("Item")
        if found is None:
            return None
        item = from_item(found)
        return PassAddress(item["customerId"], item["offerId"])

    # ------------------------------------------------------------------ registrations
    def register(
        self,
        device_library_id: str,
        pass_type_id: str,
        serial: str,
        address: PassAddress,
        push_token: str,
        at: str,
    ) -> bool:
        """Register the device for the pass: True when new, False when it was (its push token is refreshed)."""
        device_key = wallet_keys.device_registration_key(device_library_id, pass_type_id, serial)
        pass_key = wallet_keys.pass_device_key(address.customer_id, address.offer_id, device_library_id)
        common = {
            "deviceLibraryId": device_library_id,
            "passTypeId": pass_type_id,
            "serial": serial,
            "customerId": address.customer_id,
            "offerId": address.offer_id,
            "pushToken": push_token,
            "createdAt": at,
            "updatedAt": at,
        }
        # A new registration counts one more device on the pass, in its own transaction; a registration removed
        # between the refusal and the refresh below is created again (and counted) on the next round.
        for _ in range(3):
            try:
                self.client.transact_write_items(
                    TransactItems=[
                        {
                            "Put": {
                                "TableName": self.table_name,
                                "Item": to_item(
                                    {**device_key, "entity": "APPLE_DEVICE_REGISTRATION", **common}
                                ),
                                "ConditionExpression": "attribute_not_exists(PK)",
                            }
                        },
                        {
                            "Put": {
                                "TableName": self.table_name,
                                "Item": to_item({**pass_key, "entity": "APPLE_PASS_DEVICE", **common}),
                            }
                        },
                        devices_changed(self.table_name, address, +1),
                    ]
                )
                return True
            except ClientError as error:
                if not condition_failed(error):
                    raise
            # Already registered: refresh the push token, restating every attribute of both items.
            try:
                self.client.transact_write_items(
                    TransactItems=[
                        _refresh(self.table_name, device_key, "APPLE_DEVICE_REGISTRATION", common),
                        _refresh(self.table_name, pass_key, "APPLE_PASS_DEVICE", common),
                    ]
                )
                return False
            except ClientError as error:
                if not condition_failed(error):
                    raise
        raise RuntimeError("the registration kept changing under this request")

    def unregister(
        self,
        device_library_id: str,
        pass_type_id: str,
        serial: str,
        address: PassAddress,
        *,
        only_push_token: str | None = None,
    ) -> bool:
        """Forget the registration; with `only_push_token`, only while it still has that token (a device that
        registered again with a new token after APNs called the old one dead keeps its new registration)."""
        # Only a registration that exists is removed (and uncounted from the pass's devices).
        condition: dict[str, Any] = {"ConditionExpression": "attribute_exists(PK)"}
        if only_push_token is not None:
            condition = {
                "ConditionExpression": "attribute_exists(PK) AND pushToken = :t",
                "ExpressionAttributeValues": {":t": {"S": only_push_token}},
            }
        try:
            self.client.transact_write_items(
                TransactItems=[
                    {
                        "Delete": {
                            "TableName": self.table_name,
                            "Key": to_item(
                                wallet_keys.device_registration_key(device_library_id, pass_type_id, serial)
                            ),
                            **condition,
                        }
                    },
                    {
                        "Delete": {
                            "TableName": self.table_name,
                            "Key": to_item(
                                wallet_keys.pass_device_key(
                                    address.customer_id, address.offer_id, device_library_id
                                )
                            ),
                            **condition,
                        }
                    },
                    devices_changed(self.table_name, address, -1),
                ]
            )
        except ClientError as error:
            if condition_failed(error):
                return False
            raise
        return True

    def registrations_of_device(self, device_library_id: str, pass_type_id: str) -> list[DeviceRegistration]:
        return [
            _registration(item)
            for item in self._query(
                wallet_keys.device_partition(device_library_id),
                wallet_keys.registration_sort_prefix(pass_type_id),
            )
        ]

    def devices_of_pass(self, customer_id: str, offer_id: str) -> list[DeviceRegistration]:
        return [
            _registration(item)
            for item in self._query(
                keys.pass_partition(customer_id, offer_id), wallet_keys.DEVICE_SORT_PREFIX
            )
        ]

    def _query(self, partition: str, sort_prefix: str) -> Iterable[dict[str, Any]]:
        paginator = self.client.get_paginator("query")
        for page in paginator.paginate(
            TableName=self.table_name,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues={":pk": {"S": partition}, ":prefix": {"S": sort_prefix}},
            ConsistentRead=True,
        ):
            for raw in page.get("Items", []):
                yield from_item(raw)

    # ------------------------------------------------------------------ pass versions
    def pass_versions(self, addresses: Iterable[PassAddress]) -> dict[PassAddress, int]:
        """The current version of each pass that exists (consistent BatchGetItems of just the version)."""
        wanted = [keys.pass_key(a.customer_id, a.offer_id) for a in dict.fromkeys(addresses)]
        items = batch_get(self.client, self.table_name, wanted, projection="PK, version")
        return {PassAddress(*_pass_ids(item["PK"])): int(item["version"]) for item in items}


def _pass_ids(partition: str) -> tuple[str, str]:
    """The customer and offer ids of a pass's partition key, `PASS#<customerId>#<offerId>`."""
    _, customer_id, offer_id = partition.split("#", 2)
    return customer_id, offer_id


def _refresh(table_name: str, key: dict[str, str], entity: str, values: dict[str, str]) -> dict[str, Any]:
    fields = {name: value for name, value in values.items() if name != "createdAt"}
    assignments = [f"#{name} = :{name}" for name in fields]
    return {
        "Update": {
            "TableName": table_name,
            "Key": to_item(key),
            "UpdateExpression": "SET "
            + ", ".join(
                [*assignments, "#entity = :entity", "#createdAt = if_not_exists(#createdAt, :createdAt)"]
            ),
            "ExpressionAttributeNames": {f"#{name}": name for name in [*fields, "entity", "createdAt"]},
            "ExpressionAttributeValues": to_item(
                {
                    **{f":{name}": value for name, value in fields.items()},
                    ":entity": entity,
                    ":createdAt": values["createdAt"],
                }
            ),
            "ConditionExpression": "attribute_exists(PK)",
        }
    }


def _registration(item: dict[str, Any]) -> DeviceRegistration:
    return DeviceRegistration(
        device_library_id=item["deviceLibraryId"],
        pass_type_id=item["passTypeId"],
        serial=item["serial"],
        push_token=item["pushToken"],
        address=PassAddress(item["customerId"], item["offerId"]),
    )
