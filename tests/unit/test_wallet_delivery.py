"""Delivery you can see, in memory: what a pass's delivery record shows the owner and how it moves the offer's
`wallets` counts (domain/wallet_delivery.py, app/wallets/delivery.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import pytest

from loyalty.app.ports.delivery import WalletCountChange
from loyalty.app.ports.wallets import PassAddress
from loyalty.app.wallets.delivery import count_wallet_changes, wallets_of
from loyalty.domain.pass_results import MemberList, MemberShown
from loyalty.domain.wallet_delivery import (
    PUSH_DELIVERED,
    PUSH_UNREGISTERED,
    DeviceNews,
    WalletDelivery,
    counted_change,
    devices_to_count,
    push_result,
)
from loyalty.entrypoints.http.render import members_answer
from tests.support.apple_passes import an_offer
from tests.support.passes import fresh_pass

ON_ONE_PHONE = WalletDelivery(apple_devices=1, apple_ever=True)


def test_a_pass_on_no_device_is_not_up_to_date() -> None:
    assert not WalletDelivery().up_to_date
    assert not replace(ON_ONE_PHONE, apple_devices=0).up_to_date


def test_a_pass_never_pushed_is_up_to_date_on_its_device() -> None:
    assert ON_ONE_PHONE.up_to_date


def test_after_a_push_every_device_must_fetch() -> None:
    pushed = replace(ON_ONE_PHONE, apple_devices=2, last_push_at="2026-12-07T10:00:00Z", fetches_since_push=0)
    assert not pushed.up_to_date
    assert not replace(pushed, fetches_since_push=1).up_to_date
    assert replace(pushed, fetches_since_push=2).up_to_date


def test_the_wallet_block_says_what_the_member_page_shows() -> None:
    delivery = replace(
        ON_ONE_PHONE,
        last_push_at="2026-12-07T10:00:00Z",
        last_push_result=PUSH_DELIVERED,
        fetches_since_push=1,
        last_fetched_at="2026-12-07T10:00:02Z",
        google_saved=False,
        last_update_at="2026-12-07T10:00:01Z",
        last_update_result="OK",
    )
    assert delivery.as_dict() == {
        "apple": {
            "devices": 1,
            "lastPushAt": "2026-12-07T10:00:00Z",
            "lastPushResult": "DELIVERED",
            "lastFetchedAt": "2026-12-07T10:00:02Z",
            "upToDate": True,
        },
        "google": {"saved": False, "lastUpdateAt": "2026-12-07T10:00:01Z", "lastUpdateResult": "OK"},
    }
    assert WalletDelivery().as_dict()["google"]["saved"] is None


def test_installing_removing_and_saving_move_the_counts() -> None:
    assert counted_change(None, ON_ONE_PHONE) == {"appleInstalled": 1, "upToDate": 1}
    removed = replace(ON_ONE_PHONE, apple_devices=0)
    assert counted_change(ON_ONE_PHONE, removed) == {"appleInstalled": -1, "appleRemoved": 1, "upToDate": -1}
    assert counted_change(removed, ON_ONE_PHONE) == {"appleInstalled": 1, "appleRemoved": -1, "upToDate": 1}
    saved = WalletDelivery(google_saved=True)
    assert counted_change(None, saved) == {"googleSaved": 1}
    assert counted_change(saved, replace(saved, google_saved=False)) == {
        "googleSaved": -1,
        "googleRemoved": 1,
    }
    # A second device on a pass already installed moves nothing but whether it is up to date.
    assert counted_change(ON_ONE_PHONE, replace(ON_ONE_PHONE, apple_devices=2)) == {}


def test_a_push_is_judged_by_the_worst_answer() -> None:
    assert push_result(1, 0, None) == PUSH_DELIVERED
    assert push_result(1, 1, None) == PUSH_DELIVERED
    assert push_result(0, 2, None) == PUSH_UNREGISTERED
    assert push_result(1, 0, "APNs answered 503 ServiceUnavailable") == (
        "FAILED: APNs answered 503 ServiceUnavailable"
    )


@dataclass
class _Record:
    sequence_number: str
    change: WalletCountChange | None
    broken: bool = False

    def wallet_count_change(self) -> WalletCountChange | None:
        if self.broken:
            raise ValueError("unreadable image")
        return self.change


class _Counts:
    def __init__(self) -> None:
        self.counted: dict[tuple[PassAddress, int], Mapping[str, int]] = {}
        self.totals: dict[str, int] = {}

    def apply(self, change: WalletCountChange) -> bool:
        if (change.address, change.write) in self.counted:
            return False
        self.counted[(change.address, change.write)] = change.deltas
        for name, delta in change.deltas.items():
            self.totals[name] = self.totals.get(name, 0) + delta
        return True

    def of_offer(self, offer_id: str) -> dict[str, int]:
        return dict(self.totals)


def _change(write: int, **deltas: int) -> WalletCountChange:
    return WalletCountChange("off_1", PassAddress("cus_1", "off_1"), write, deltas)


def test_counts_move_once_per_write_even_when_the_batch_comes_back() -> None:
    counts = _Counts()
    batch = [
        _Record("1", _change(1, appleInstalled=1)),
        _Record("2", None),
        _Record("3", _change(2, googleSaved=1)),
    ]
    assert count_wallet_changes(counts, batch) == []
    assert count_wallet_changes(counts, batch) == []
    assert counts.totals == {"appleInstalled": 1, "googleSaved": 1}


def test_a_record_that_fails_comes_back_with_everything_after_it() -> None:
    counts = _Counts()
    batch = [
        _Record("1", _change(1, appleInstalled=1)),
        _Record("2", None, broken=True),
        _Record("3", _change(2, googleSaved=1)),
    ]
    assert count_wallet_changes(counts, batch) == ["2", "3"]
    assert counts.totals == {"appleInstalled": 1}


class _Deliveries:
    def __init__(self, known: Mapping[PassAddress, WalletDelivery]) -> None:
        self.known = known
        self.reads = 0

    def of_passes(self, addresses: Iterable[PassAddress]) -> dict[PassAddress, WalletDelivery]:
        self.reads += 1
        return {a: self.known.get(a, WalletDelivery()) for a in addresses}


def test_each_member_of_a_page_gets_its_wallet_block_in_one_read() -> None:
    deliveries = _Deliveries({PassAddress("cus_a", "off_1"): ON_ONE_PHONE})
    offer = an_offer()
    page = MemberList(
        [
            MemberShown(
                fresh_pass(customer_id=customer_id), offer.ladder.standing(0), "j***@example.com", offer
            )
            for customer_id in ("cus_a", "cus_b")
        ],
        None,
    )
    answer = members_answer(page, wallets_of(page, deliveries, "off_1"))
    assert deliveries.reads == 1
    assert [item["wallet"]["apple"]["devices"] for item in answer["items"]] == [1, 0]
    assert [item["wallet"]["apple"]["upToDate"] for item in answer["items"]] == [True, False]


@pytest.mark.parametrize("devices", [0, -1])
def test_a_count_below_zero_never_shows(devices: int) -> None:
    assert WalletDelivery(apple_devices=devices).as_dict()["apple"]["devices"] == 0


def test_a_fetch_is_counted_for_a_device_told_of_that_version_and_not_since_counted() -> None:
    told = DeviceNews("phone", told_version=5, fetched_version=4)
    fetched = DeviceNews("watch", told_version=5, fetched_version=5)
    never_told = DeviceNews("ipad", told_version=None, fetched_version=None)
    told_newer = DeviceNews("old-phone", told_version=7, fetched_version=None)
    assert [d.device_library_id for d in devices_to_count([fetched, never_told, told_newer, told], 5)] == [
        "phone"
    ]
    # Serving a later version still answers what the device was told of (it now holds more than that).
    assert [d.device_library_id for d in devices_to_count([told, told_newer], 7)] == ["phone", "old-phone"]
    # A device told and counted, then told again of a newer version, owes one more fetch.
    assert devices_to_count([replace(fetched, told_version=6)], 6) == [replace(fetched, told_version=6)]
    assert devices_to_count([never_told, fetched], 9) == []
