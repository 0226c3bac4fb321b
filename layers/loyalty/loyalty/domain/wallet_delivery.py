"""What became of a pass's wallet updates: the member page's `wallet` block and the offer's `wallets` counts.

Apple: how many devices are registered for the pass, the last push and what APNs answered, and whether the devices
then fetched the pass again. The fetch (`GET /v1/passes/{type}/{serial}`) names no device, but a device learns of a
change by asking first which of its passes changed (`GET /v1/devices/{device}/registrations/{type}?passesUpdatedSince`,
PassKit Web Service reference), and that request names it: the answer's serials are kept per device as the pass
version it was told of. A fetch is then counted for one device told of a version at or before the one served that
has not fetched since it was told (`device_to_count`): a fetch counts at most the devices told, each device once per
version, and a fetch by no device told (a download, a device that did not ask) counts nobody. A push starts a new
count at 0; the pass is up to date once the devices counted since the push reach the registered devices (two devices
told, one fetches: 1 of 2, not up to date). A pass never pushed is up to date as soon as it is on a device (the
phone downloaded it as it is). A pass on no device is not up to date: there is nothing of it to be current.

Google: saved or removed, from Google's save/delete callbacks (None until one came), and the last update's result.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# What APNs answered, per pass (the worst of its devices' answers).
PUSH_DELIVERED = "DELIVERED"
PUSH_UNREGISTERED = "UNREGISTERED"  # APNs 410: the pass left that wallet; its registration is dropped
PUSH_FAILED = "FAILED"
PUSH_PENDING = "PENDING"  # the push is on its way (or its sender died before it could say)

UPDATE_OK = "OK"
UPDATE_FAILED = "FAILED"

# The counts the offer's stats keep (`wallets`), each a number of passes.
COUNTED = ("appleInstalled", "appleRemoved", "googleSaved", "googleRemoved", "upToDate")


@dataclass(frozen=True)
class WalletDelivery:
    apple_devices: int = 0
    # Ever on an Apple device: a pass on none now, after that, was removed from the wallet.
    apple_ever: bool = False
    last_push_at: str | None = None
    last_push_result: str | None = None
    fetches_since_push: int = 0
    last_fetched_at: str | None = None
    google_saved: bool | None = None
    last_update_at: str | None = None
    last_update_result: str | None = None

    @property
    def up_to_date(self) -> bool:
        if self.apple_devices <= 0:
            return False
        return self.last_push_at is None or self.fetches_since_push >= self.apple_devices

    def counted(self) -> dict[str, int]:
        """This pass's share (0 or 1) of each of the offer's `wallets` counts."""
        installed = self.apple_devices > 0
        return {
            "appleInstalled": int(installed),
            "appleRemoved": int(self.apple_ever and not installed),
            "googleSaved": int(self.google_saved is True),
            "googleRemoved": int(self.google_saved is False),
            "upToDate": int(self.up_to_date),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "apple": {
                "devices": max(self.apple_devices, 0),
                "lastPushAt": self.last_push_at,
                "lastPushResult": self.last_push_result,
                "lastFetchedAt": self.last_fetched_at,
                "upToDate": self.up_to_date,
            },
            "google": {
                "saved": self.google_saved,
                "lastUpdateAt": self.last_update_at,
                "lastUpdateResult": self.last_update_result,
            },
        }


NOTHING_YET = WalletDelivery()


def counted_change(old: WalletDelivery | None, new: WalletDelivery) -> dict[str, int]:
    """How the offer's counts move between two states of one pass (only the counts that move)."""
    before = (old or NOTHING_YET).counted()
    after = new.counted()
    return {name: after[name] - before[name] for name in COUNTED if after[name] != before[name]}


def push_result(delivered: int, unregistered: int, failure: str | None) -> str:
    """One pass's push, from its devices' answers: a failure names what APNs said; otherwise delivered when any
    device took it, unregistered when every device was gone."""
    if failure is not None:
        return f"{PUSH_FAILED}: {failure}"[:120]
    if delivered == 0 and unregistered > 0:
        return PUSH_UNREGISTERED
    return PUSH_DELIVERED


@dataclass(frozen=True)
class DeviceNews:
    """What one registered device was told of the pass (the version its last list of changes named) and the
    version it was last counted as fetching; None when never."""

    device_library_id: str
    told_version: int | None
    fetched_version: int | None

    def owes_fetch(self, served_version: int) -> bool:
        """Told of a version the fetch serves (or an older one) and not counted since it was told."""
        if self.told_version is None or self.told_version > served_version:
            return False
        return self.fetched_version is None or self.fetched_version < self.told_version


def devices_to_count(devices: Iterable[DeviceNews], served_version: int) -> list[DeviceNews]:
    """The devices a fetch of `served_version` may be counted for, in the order to try them: the one told earliest
    first (it has waited longest), then by identifier so two servers pick alike. The fetch counts the first whose
    conditional write still holds; none, when the list is empty."""
    owing = [device for device in devices if device.owes_fetch(served_version)]
    return sorted(owing, key=lambda d: (d.told_version or 0, d.device_library_id))
