"""Ports of the wallets: links, previews, change notifiers and the refresh queue."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass
from loyalty.domain.tiers import TierStanding

if TYPE_CHECKING:
    # wallet_refresh speaks these ports itself.
    from loyalty.app.wallets.refresh import RefreshMessage


# A pass's `wallet` block of the enroll answer (`appleWalletUrl`, `googleWalletSaveUrl`), None when no wallet is on.
WalletLinks = Callable[[Pass], dict[str, str] | None]


# Makes the wallets' copies of a pass exist before the answer carrying their links leaves (Google's save link
# names an object that must already be there).
WalletsReady = Callable[[Offer, Pass], None]


class WalletPreviews(Protocol):
    """What each wallet would show of a pass, built by the code that builds the real passes."""

    def apple(self, pass_: Pass, offer: Offer, standing: TierStanding, language: str) -> dict[str, Any]: ...

    def google(self, pass_: Pass, standing: TierStanding, offer: Offer | None = None) -> dict[str, Any]:
        """The object's texts and, given the offer, what its class shows (issuer, colour, logo, hero)."""
        ...


class PassChangeNotifier(Protocol):
    """Apple Wallet's side: every device holding the pass is told to fetch it again."""

    def pass_changed(self, customer_id: str, offer_id: str) -> None: ...


class GoogleWalletUpdater(Protocol):
    def ensure_class(self, offer: Offer) -> None: ...
    def update_class(self, offer: Offer) -> None: ...
    def ensure_object(self, offer: Offer, pass_: Pass, standing: TierStanding) -> None: ...
    def update(self, offer: Offer, pass_: Pass, standing: TierStanding, *, notify: bool) -> None: ...


class LadderChangeListener(Protocol):
    """Told when an offer's tier ladder or its texts changed: every wallet of the offer must be redrawn
    (wallet_refresh)."""

    def ladder_changed(self, offer: Offer) -> None: ...


@dataclass(frozen=True)
class CustomerPage:
    customer_ids: list[str]
    # Where the next page starts when there may be more (opaque: the store's position, not always a listed id).
    after: str | None


class OfferPasses(Protocol):
    def customer_ids(self, offer_id: str, *, after: str | None, limit: int) -> CustomerPage: ...
    def redraw(self, customer_id: str, offer_id: str, at: str) -> Pass | None: ...
    def passes(self, offer_id: str, customer_ids: Sequence[str]) -> dict[str, Pass]: ...


class RefreshQueue(Protocol):
    def send(self, messages: Sequence[RefreshMessage]) -> None: ...


@dataclass(frozen=True)
class PassAddress:
    customer_id: str
    offer_id: str


@dataclass(frozen=True)
class DeviceRegistration:
    """A device that asked to hear about one pass."""

    device_library_id: str
    pass_type_id: str
    serial: str
    push_token: str
    address: PassAddress


class AppleWalletRegistrations(Protocol):
    """Which pass an Apple serial number is, and which devices registered for which passes."""

    def record_serial(self, pass_type_id: str, serial: str, address: PassAddress, at: str) -> None: ...

    def pass_of_serial(self, pass_type_id: str, serial: str) -> PassAddress | None: ...

    def register(
        self,
        device_library_id: str,
        pass_type_id: str,
        serial: str,
        address: PassAddress,
        push_token: str,
        at: str,
    ) -> bool: ...

    def unregister(
        self, device_library_id: str, pass_type_id: str, serial: str, address: PassAddress
    ) -> bool: ...

    def registrations_of_device(
        self, device_library_id: str, pass_type_id: str
    ) -> list[DeviceRegistration]: ...

    def devices_of_pass(self, customer_id: str, offer_id: str) -> list[DeviceRegistration]: ...

    def pass_versions(self, addresses: Iterable[PassAddress]) -> dict[PassAddress, int]: ...

    def record_told(self, device_library_id: str, told: Mapping[PassAddress, int], at: str) -> None:
        """The device was answered that these passes changed, each at this version."""
        ...

    def record_fetch(self, address: PassAddress, version: int, at: str) -> bool:
        """The pass was fetched at `version` through the web service: True when the fetch was counted for a
        device told of it (domain/wallet_delivery.py), False when for none."""
        ...


class ApplePassRenderer(Protocol):
    """A pass as Apple Wallet receives it (signed and zipped), for the pass type it renders."""

    @property
    def pass_type_id(self) -> str: ...

    def render(self, pass_: Pass, offer: Offer) -> bytes: ...


# Whether a download link's `expires` and `token` are good for the pass (its auth token, address) at `now`.
DownloadTokenCheck = Callable[[str, str, str, str | None, str | None, datetime], bool]
