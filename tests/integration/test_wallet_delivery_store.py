"""A pass's delivery record and the offer's `wallets` counts on DynamoDB Local: device registrations counted in
their own transaction, pushes and fetches, Google's callbacks applied once and in order, counts moved once per
write."""

from __future__ import annotations

from typing import Any

import pytest

from loyalty.adapters.dynamodb.dynamo import from_item, to_item
from loyalty.adapters.dynamodb.wallet_delivery import (
    WalletCountStore,
    WalletDeliveryStore,
    delivery_key,
    wallet_count_change,
)
from loyalty.adapters.dynamodb.wallet_registrations import AppleWalletStore
from loyalty.app.ports.delivery import GoogleCallback
from loyalty.app.ports.wallets import PassAddress

pytestmark = pytest.mark.integration

PASS = PassAddress("cus_aaaaaaaaaaaaaaaaaaaaaaaaaa", "off_aaaaaaaaaaaaaaaaaaaaaaaaaa")
TYPE = "pass.test.loyalty"
AT = "2026-12-07T10:00:00Z"


def _item(ddb: Any, table_name: str) -> dict[str, Any] | None:
    found = ddb.get_item(TableName=table_name, Key=to_item(delivery_key(PASS)), ConsistentRead=True).get(
        "Item"
    )
    return from_item(found) if found else None


class _Counted:
    """What the ledger does with each write of the record, from the images before and after it."""

    def __init__(self, ddb: Any, table_name: str) -> None:
        self.ddb, self.table_name = ddb, table_name
        self.counts = WalletCountStore(ddb, table_name)
        self.before = _item(ddb, table_name)

    def step(self) -> bool:
        after = _item(self.ddb, self.table_name)
        change = wallet_count_change(self.before, after)
        self.before = after
        return change is not None and self.counts.apply(change)


def test_devices_are_counted_with_their_registrations(ddb: Any, table_name: str) -> None:
    wallet = AppleWalletStore(ddb, table_name)
    deliveries = WalletDeliveryStore(ddb, table_name)
    assert wallet.register("dev1", TYPE, "s1", PASS, "a" * 64, AT) is True
    assert wallet.register("dev1", TYPE, "s1", PASS, "b" * 64, AT) is False  # a new token, the same device
    assert wallet.register("dev2", TYPE, "s1", PASS, "c" * 64, AT) is True
    assert deliveries.of_passes([PASS])[PASS].apple_devices == 2
    assert wallet.unregister("dev1", TYPE, "s1", PASS) is True
    assert wallet.unregister("dev1", TYPE, "s1", PASS) is False  # already gone: not counted twice
    # APNs called a token dead, but the device has registered again with another one since: it stays.
    assert wallet.unregister("dev2", TYPE, "s1", PASS, only_push_token="z" * 64) is False
    delivery = deliveries.of_passes([PASS])[PASS]
    assert (delivery.apple_devices, delivery.apple_ever) == (1, True)
    assert [d.device_library_id for d in wallet.devices_of_pass(PASS.customer_id, PASS.offer_id)] == ["dev2"]


def test_a_push_waits_for_every_device_to_fetch(ddb: Any, table_name: str) -> None:
    wallet = AppleWalletStore(ddb, table_name)
    deliveries = WalletDeliveryStore(ddb, table_name)
    wallet.register("dev1", TYPE, "s1", PASS, "a" * 64, AT)
    wallet.register("dev2", TYPE, "s1", PASS, "b" * 64, AT)
    assert deliveries.of_passes([PASS])[PASS].up_to_date
    deliveries.push_started(PASS, "2026-12-07T11:00:00Z")
    deliveries.push_finished(PASS, "2026-12-07T11:00:00Z", "DELIVERED")
    # Both devices ask what changed and are told version 2; one of them fetches.
    wallet.record_told("dev1", {PASS: 2}, "2026-12-07T11:00:01Z")
    wallet.record_told("dev2", {PASS: 2}, "2026-12-07T11:00:01Z")
    assert wallet.record_fetch(PASS, 2, "2026-12-07T11:00:01Z") is True
    seen = deliveries.of_passes([PASS])[PASS]
    assert (seen.last_push_result, seen.fetches_since_push, seen.up_to_date) == ("DELIVERED", 1, False)
    assert wallet.record_fetch(PASS, 2, "2026-12-07T11:00:02Z") is True
    seen = deliveries.of_passes([PASS])[PASS]
    assert (seen.last_fetched_at, seen.up_to_date) == ("2026-12-07T11:00:02Z", True)
    # A later push's own answer is never overwritten by an earlier one's.
    deliveries.push_started(PASS, "2026-12-07T12:00:00Z")
    deliveries.push_finished(PASS, "2026-12-07T11:00:00Z", "FAILED: late")
    assert deliveries.of_passes([PASS])[PASS].last_push_result == "PENDING"


def test_a_fetch_counts_only_devices_told_each_once_a_version(ddb: Any, table_name: str) -> None:
    wallet = AppleWalletStore(ddb, table_name)
    deliveries = WalletDeliveryStore(ddb, table_name)
    wallet.register("dev1", TYPE, "s1", PASS, "a" * 64, AT)
    wallet.register("dev2", TYPE, "s1", PASS, "b" * 64, AT)
    deliveries.push_started(PASS, "2026-12-07T11:00:00Z")
    # A fetch before any device asked what changed counts nobody (a download, or a device that was not told).
    assert wallet.record_fetch(PASS, 5, "2026-12-07T11:00:01Z") is False
    seen = deliveries.of_passes([PASS])[PASS]
    assert (seen.fetches_since_push, seen.last_fetched_at) == (0, "2026-12-07T11:00:01Z")

    wallet.record_told("dev1", {PASS: 5}, "2026-12-07T11:00:02Z")
    assert wallet.record_fetch(PASS, 5, "2026-12-07T11:00:03Z") is True
    # dev1 fetching again (a 304, a retry) is not a second device: only dev1 was told.
    assert wallet.record_fetch(PASS, 5, "2026-12-07T11:00:04Z") is False
    assert deliveries.of_passes([PASS])[PASS].fetches_since_push == 1
    news = {d.device_library_id: d for d in wallet.device_news(PASS)}
    assert (news["dev1"].told_version, news["dev1"].fetched_version) == (5, 5)
    assert (news["dev2"].told_version, news["dev2"].fetched_version) == (None, None)

    # Being told an older version again changes nothing; a device told of a newer version than the one served
    # is not counted by a fetch of the older one (it still owes the newer).
    wallet.record_told("dev1", {PASS: 4}, "2026-12-07T11:00:05Z")
    assert {d.device_library_id: d.told_version for d in wallet.device_news(PASS)}["dev1"] == 5
    wallet.record_told("dev2", {PASS: 6}, "2026-12-07T11:00:06Z")
    assert wallet.record_fetch(PASS, 5, "2026-12-07T11:00:07Z") is False
    assert wallet.record_fetch(PASS, 6, "2026-12-07T11:00:08Z") is True
    assert deliveries.of_passes([PASS])[PASS].up_to_date
    # A device told of a pass it is not registered for is not written.
    wallet.record_told("dev3", {PASS: 6}, "2026-12-07T11:00:09Z")
    assert sorted(d.device_library_id for d in wallet.device_news(PASS)) == ["dev1", "dev2"]


def test_google_callbacks_apply_once_and_in_order(ddb: Any, table_name: str) -> None:
    deliveries = WalletDeliveryStore(ddb, table_name)
    save = GoogleCallback("issuer.x", saved=True, sent_at_millis=1000, nonce="n1")
    delete = GoogleCallback("issuer.x", saved=False, sent_at_millis=2000, nonce="n2")
    assert deliveries.record(save, PASS, AT) is True
    assert deliveries.record(save, PASS, AT) is False  # replayed
    assert deliveries.record(delete, PASS, AT) is True
    assert deliveries.record(save, PASS, AT) is False  # the earlier save, late, never undoes the delete
    assert deliveries.of_passes([PASS])[PASS].google_saved is False


def test_counts_follow_the_writes_exactly_once(ddb: Any, table_name: str) -> None:
    wallet = AppleWalletStore(ddb, table_name)
    deliveries = WalletDeliveryStore(ddb, table_name)
    counts = WalletCountStore(ddb, table_name)
    ledger = _Counted(ddb, table_name)
    wallet.register("dev1", TYPE, "s1", PASS, "a" * 64, AT)
    assert ledger.step()
    deliveries.record(GoogleCallback("issuer.x", True, 1000, "n1"), PASS, AT)
    assert ledger.step()
    assert counts.of_offer(PASS.offer_id) == {
        "appleInstalled": 1,
        "appleRemoved": 0,
        "googleSaved": 1,
        "googleRemoved": 0,
        "upToDate": 1,
    }
    before = _item(ddb, table_name)
    wallet.unregister("dev1", TYPE, "s1", PASS)
    after = _item(ddb, table_name)
    change = wallet_count_change(before, after)
    assert change is not None
    assert counts.apply(change) is True
    assert counts.apply(change) is False  # the stream delivered it again
    assert counts.of_offer(PASS.offer_id)["appleInstalled"] == 0
    assert counts.of_offer(PASS.offer_id)["appleRemoved"] == 1
    # The ledger's own mark (countedW) is a write that moves no count.
    assert wallet_count_change(after, _item(ddb, table_name)) is None
