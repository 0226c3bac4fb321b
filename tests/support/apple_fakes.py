"""Fakes of the Apple web service's ports: the device registrations in memory (one registration per device and
pass, as the DynamoDB store keys them) and a renderer that packs which pass, at which version, it was given."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from loyalty.app.ports.wallets import DeviceRegistration, PassAddress
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass


@dataclass
class InMemoryAppleRegistrations:
    """An `AppleWalletRegistrations`; `version_of` answers a pass's current version (the pass store's)."""

    version_of: Callable[[PassAddress], int | None]
    serials: dict[tuple[str, str], PassAddress] = field(default_factory=dict)
    devices: dict[tuple[str, str, str], DeviceRegistration] = field(default_factory=dict)
    fetches: list[tuple[PassAddress, str]] = field(default_factory=list)
    # What each device was told of (device, pass) -> version, and the version last counted as fetched by it.
    told: dict[tuple[str, PassAddress], int] = field(default_factory=dict)
    counted: dict[tuple[str, PassAddress], int] = field(default_factory=dict)

    def record_serial(self, pass_type_id: str, serial: str, address: PassAddress, at: str) -> None:
        self.serials[(pass_type_id, serial)] = address

    def pass_of_serial(self, pass_type_id: str, serial: str) -> PassAddress | None:
        return self.serials.get((pass_type_id, serial))

    def register(
        self,
        device_library_id: str,
        pass_type_id: str,
        serial: str,
        address: PassAddress,
        push_token: str,
        at: str,
    ) -> bool:
        key = (device_library_id, pass_type_id, serial)
        created = key not in self.devices
        self.devices[key] = DeviceRegistration(device_library_id, pass_type_id, serial, push_token, address)
        return created

    def unregister(
        self, device_library_id: str, pass_type_id: str, serial: str, address: PassAddress
    ) -> bool:
        return self.devices.pop((device_library_id, pass_type_id, serial), None) is not None

    def registrations_of_device(self, device_library_id: str, pass_type_id: str) -> list[DeviceRegistration]:
        return [
            d
            for d in self.devices.values()
            if d.device_library_id == device_library_id and d.pass_type_id == pass_type_id
        ]

    def devices_of_pass(self, customer_id: str, offer_id: str) -> list[DeviceRegistration]:
        return [d for d in self.devices.values() if d.address == PassAddress(customer_id, offer_id)]

    def pass_versions(self, addresses: Iterable[PassAddress]) -> dict[PassAddress, int]:
        found = {address: self.version_of(address) for address in addresses}
        return {address: version for address, version in found.items() if version is not None}

    def record_told(self, device_library_id: str, told: Mapping[PassAddress, int], at: str) -> None:
        for address, version in told.items():
            self.told[(device_library_id, address)] = version

    def record_fetch(self, address: PassAddress, version: int, at: str) -> bool:
        """Counted for one device told of this version or an older one and not counted since (as the store does)."""
        self.fetches.append((address, at))
        for (device, told_address), told_version in sorted(self.told.items()):
            if told_address != address or told_version > version:
                continue
            if self.counted.get((device, address), -1) >= told_version:
                continue
            self.counted[(device, address)] = version
            return True
        return False


@dataclass(frozen=True)
class PackingRenderer:
    """An `ApplePassRenderer` whose package says which pass, at which version, of which offer it was made of."""

    pass_type_id: str = "pass.com.example.loyalty"

    def render(self, pass_: Pass, offer: Offer) -> bytes:
        return f"{pass_.pass_serial}@{pass_.version}:{offer.offer_id}".encode()
