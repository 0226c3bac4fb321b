"""What became of a pass's wallet updates: the member page's `wallet` block and the offer's `wallets` counts.

Apple: how many devices are registered for the pass, the last push and what APNs answered, and whether the devices
then fetched the pass again. The fetch (`GET /v1/passes/{type}/{serial}`) names no device, so "every device
fetched" is counted, not traced: a push starts a new count at 0, each fetch (a 200 or a 304: either way the phone
now holds the current pass) adds one, and the pass is up to date once the count reaches the registered devices. A
pass never pushed is up to date as soon as it is on a device (the phone downloaded it as it is). A pass on no device
is not up to date: there is nothing of it to be current.

Google: saved or removed, from Google's save/delete callbacks (None until one came), and the last update's result.
"""

from __future__ import annotations

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
