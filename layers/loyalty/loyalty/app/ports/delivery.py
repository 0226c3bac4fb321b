"""What the use cases need to keep and read what became of the wallet updates (domain/wallet_delivery.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from loyalty.app.ports.wallets import PassAddress
from loyalty.domain.wallet_delivery import WalletDelivery


class WalletDeliveries(Protocol):
    """Each pass's delivery record, read for a page of members at once."""

    def of_passes(self, addresses: Iterable[PassAddress]) -> Mapping[PassAddress, WalletDelivery]: ...


@dataclass(frozen=True)
class GoogleCallback:
    """A verified save or delete event of one Google Wallet object."""

    object_id: str
    saved: bool
    # Google's message expiry, a fixed time after it sent the event: events are applied in its order, so a late
    # save never undoes a delete, and the same event twice changes nothing.
    sent_at_millis: int
    nonce: str
    # The pass the object is, when it is one of ours.
    address: PassAddress | None = None


class GoogleCallbackCheck(Protocol):
    def verify(self, payload: object) -> GoogleCallback:
        """The event of a signed callback body; raises an Unauthorized domain error when it does not verify."""
        ...


class GoogleSaves(Protocol):
    """Records Google's save and delete events of the passes' objects."""

    def record(self, event: GoogleCallback, address: PassAddress, at: str) -> bool: ...


@dataclass(frozen=True)
class WalletCountChange:
    """How one write of a pass's delivery record moves its offer's `wallets` counts (from the stream)."""

    offer_id: str
    address: PassAddress
    write: int
    deltas: Mapping[str, int]


class WalletCounts(Protocol):
    def apply(self, change: WalletCountChange) -> bool: ...

    def of_offer(self, offer_id: str) -> dict[str, int]: ...


class DeliveryRecord(Protocol):
    """One record of the table's stream, as the wallet counts read it."""

    @property
    def sequence_number(self) -> str: ...

    def wallet_count_change(self) -> WalletCountChange | None: ...
