"""The PassKit web service (what a phone calls under `webServiceURL`) and the first download of a pass: a use case
behind ports (the pass store, the device registrations, the pass renderer, the download link check); the
adapters keep the I/O.

Every call about one pass is authorized by that pass's own token (`Authorization: ApplePass <authToken>`,
compared in constant time). An unknown serial is answered exactly like a wrong token, so serials cannot be
probed. Listing a device's updated passes carries no token (Apple sends none): it answers only serials, and
only to whoever knows the device library identifier, which the phone keeps to itself.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from loyalty.app.ports.campaigns import CampaignOutcomes, CampaignTexts
from loyalty.app.ports.passes import PassStore
from loyalty.app.ports.wallets import (
    ApplePassRenderer,
    AppleWalletRegistrations,
    DownloadTokenCheck,
    PassAddress,
)
from loyalty.app.wallets.apple_updates import (
    encode_tag,
    http_date,
    is_not_modified,
    last_modified,
    updated_since,
)
from loyalty.domain.clock import Clock, parse_iso, to_iso
from loyalty.domain.errors import (
    Conflict,
    FieldError,
    MalformedRequest,
    NotFound,
    Unauthorized,
    ValidationFailed,
)
from loyalty.domain.ids import is_id
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass, PassStatus
from loyalty.domain.won_back import campaign_id_of

# The media type of a pass package (Apple: "Distributing and updating a pass").
PKPASS_CONTENT_TYPE = "application/vnd.apple.pkpass"
AUTH_SCHEME = "ApplePass"
# Apple's device library identifiers and push tokens are hex/alphanumeric; anything else is not a phone.
_DEVICE_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
_PUSH_TOKEN = re.compile(r"^[A-Za-z0-9]{1,200}$")
# Our serials are url-safe random tokens; anything else names no pass of ours and never reaches a table key
# (DynamoDB refuses keys past 2 KB with an error, which would be a 500).
_SERIAL = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# A customer's phone, watch and a few replaced devices; beyond that every scan would fan out to made-up devices.
MAX_DEVICES_PER_PASS = 10
MAX_LOG_ENTRIES = 20
MAX_LOG_LENGTH = 500


class AppleWalletOff(NotFound):
    def __init__(self) -> None:
        super().__init__("Apple Wallet passes are not offered here.", code="APPLE_WALLET_DISABLED")


class ApplePassUnauthorized(Unauthorized):
    def __init__(self) -> None:
        super().__init__("A valid `Authorization: ApplePass <token>` header for this pass is required.")


class TooManyDevices(Conflict):
    def __init__(self) -> None:
        super().__init__(
            f"This pass is already registered on {MAX_DEVICES_PER_PASS} devices.", code="TOO_MANY_DEVICES"
        )


class DownloadUnauthorized(Unauthorized):
    def __init__(self) -> None:
        super().__init__("This pass link is not valid.")


@dataclass(frozen=True)
class PkpassAnswer:
    """A pass to send (`body`), or None when the phone's copy is current (304)."""

    body: bytes | None
    last_modified: str


@dataclass(frozen=True)
class DeviceRegistered:
    """A device follows the pass: newly (`created`), or it already did."""

    created: bool


@dataclass(frozen=True)
class UpdatedPasses:
    """The serials of a device's passes changed since the tag it sent, and the tag to send next time."""

    serial_numbers: list[str]
    last_updated: str


def _presented_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme != AUTH_SCHEME or not token.strip():
        return None
    return token.strip()


def _authorized(pass_: Pass, authorization: str | None) -> bool:
    token = _presented_token(authorization)
    return token is not None and hmac.compare_digest(token.encode(), pass_.auth_token.encode())


class AppleWebService:
    def __init__(
        self,
        passes: PassStore,
        wallet: AppleWalletRegistrations,
        renderer: ApplePassRenderer,
        clock: Clock,
        is_download_token: DownloadTokenCheck,
        outcomes: CampaignOutcomes | None = None,
        campaigns: CampaignTexts | None = None,
    ) -> None:
        self.passes = passes
        self.outcomes = outcomes
        self.campaigns = campaigns
        self.wallet = wallet
        self.renderer = renderer
        self.clock = clock
        self.is_download_token = is_download_token

    @property
    def pass_type_id(self) -> str:
        return self.renderer.pass_type_id

    def _authorized_pass(
        self, pass_type_id: str, serial: str, authorization: str | None
    ) -> tuple[Pass, Offer]:
        ours = pass_type_id == self.pass_type_id and _SERIAL.match(serial) is not None
        address = self.wallet.pass_of_serial(pass_type_id, serial) if ours else None
        if address is None:
            raise ApplePassUnauthorized()
        snap = self.passes.snapshot(
            pass_key=(address.customer_id, address.offer_id), offer_id=address.offer_id
        )
        if snap.pass_ is None or snap.offer is None or not _authorized(snap.pass_, authorization):
            raise ApplePassUnauthorized()
        return snap.pass_, snap.offer

    # -------------------------------------------------------------- POST .../registrations/{type}/{serial}
    def register(
        self,
        device_library_id: str,
        pass_type_id: str,
        serial: str,
        authorization: str | None,
        body: str | None,
    ) -> DeviceRegistered:
        """The device registered for the pass's updates (`body` is Apple's `{"pushToken": ...}` as the phone sent
        it, read only once the pass's token is checked)."""
        pass_, _ = self._authorized_pass(pass_type_id, serial, authorization)
        payload = _json(body)
        push_token = payload.get("pushToken") if isinstance(payload, Mapping) else None
        problems = []
        if not _DEVICE_ID.match(device_library_id):
            problems.append(FieldError("deviceLibraryIdentifier", "is not a device library identifier"))
        if not isinstance(push_token, str) or not _PUSH_TOKEN.match(push_token):
            problems.append(FieldError("pushToken", "is required: the device's APNs push token"))
        if problems or not isinstance(push_token, str):
            raise ValidationFailed(problems)
        address = PassAddress(pass_.customer_id, pass_.offer_id)
        devices = {
            d.device_library_id for d in self.wallet.devices_of_pass(pass_.customer_id, pass_.offer_id)
        }
        # A soft cap (read, then write): concurrent registrations may pass it by a few, never by many.
        if device_library_id not in devices and len(devices) >= MAX_DEVICES_PER_PASS:
            raise TooManyDevices()
        created = self.wallet.register(
            device_library_id, pass_type_id, serial, address, push_token, to_iso(self.clock())
        )
        return DeviceRegistered(created)

    # -------------------------------------------------------------- DELETE .../registrations/{type}/{serial}
    def unregister(
        self, device_library_id: str, pass_type_id: str, serial: str, authorization: str | None
    ) -> None:
        pass_, _ = self._authorized_pass(pass_type_id, serial, authorization)
        if not _DEVICE_ID.match(device_library_id):
            raise ValidationFailed(
                [FieldError("deviceLibraryIdentifier", "is not a device library identifier")]
            )
        self.wallet.unregister(
            device_library_id, pass_type_id, serial, PassAddress(pass_.customer_id, pass_.offer_id)
        )

    # -------------------------------------------------------------- GET .../registrations/{type}?passesUpdatedSince
    def updated_serials(
        self, device_library_id: str, pass_type_id: str, passes_updated_since: str | None
    ) -> UpdatedPasses | None:
        """The passes changed since the tag, or None when none did."""
        if pass_type_id != self.pass_type_id or not _DEVICE_ID.match(device_library_id):
            return None
        registrations = self.wallet.registrations_of_device(device_library_id, pass_type_id)
        versions = self.wallet.pass_versions(r.address for r in registrations)
        current = {r.serial: versions[r.address] for r in registrations if r.address in versions}
        changed = updated_since(current, passes_updated_since)
        if not changed:
            return None
        # The only request of the update that names the device: what it is told here is what its following
        # fetch of each pass is counted for (domain/wallet_delivery.py).
        listed = set(changed)
        told = {
            r.address: versions[r.address]
            for r in registrations
            if r.serial in listed and r.address in versions
        }
        self.wallet.record_told(device_library_id, told, to_iso(self.clock()))
        return UpdatedPasses(changed, encode_tag(current))

    # -------------------------------------------------------------- GET /v1/passes/{type}/{serial}
    def latest_pass(
        self, pass_type_id: str, serial: str, authorization: str | None, if_modified_since: str | None
    ) -> PkpassAnswer:
        pass_, offer = self._authorized_pass(pass_type_id, serial, authorization)
        answer = self._answer(pass_, offer, if_modified_since)
        # A phone asking by serial holds the pass: a 200 or a 304, it now shows the current version (what the
        # owner sees as "fetched" after a push), counted for a device told of that version, each device once a
        # version (domain/wallet_delivery.py).
        address = PassAddress(pass_.customer_id, pass_.offer_id)
        counted = self.wallet.record_fetch(address, pass_.version, to_iso(self.clock()))
        # A device that fetched after the push of the campaign that last reached the pass now shows its message:
        # the campaign's `fetched`, for the same devices the fetch counted (adapters/dynamodb/campaign_outcomes.py).
        campaign_id = campaign_id_of(pass_)
        if (
            counted
            and self.outcomes is not None
            and campaign_id is not None
            and pass_.campaign_at is not None
        ):
            self.outcomes.fetched(address, campaign_id, pass_.campaign_at)
        if pass_.status is PassStatus.ERASED:
            # The phone now holds the voided pass, the last it will ever get: its registrations go (they were
            # kept until now so that the erasure's push could still lead the phone here).
            for device in self.wallet.devices_of_pass(pass_.customer_id, pass_.offer_id):
                self.wallet.unregister(
                    device.device_library_id, device.pass_type_id, device.serial, device.address
                )
        return answer

    # -------------------------------------------------------------- GET /download/{customerId}/{offerId}
    def download(
        self, customer_id: str, offer_id: str, expires: str | None, token: str | None
    ) -> PkpassAnswer:
        if not (is_id(customer_id, "cus") and is_id(offer_id, "off")):
            raise DownloadUnauthorized()
        snap = self.passes.snapshot(pass_key=(customer_id, offer_id), offer_id=offer_id)
        pass_ = snap.pass_
        if (
            pass_ is None
            or snap.offer is None
            or not self.is_download_token(
                pass_.auth_token, customer_id, offer_id, expires, token, self.clock()
            )
        ):
            raise DownloadUnauthorized()
        if pass_.status is PassStatus.ERASED:
            raise DownloadUnauthorized()
        # The phone will address this pass by serial from now on.
        self.wallet.record_serial(
            self.pass_type_id, pass_.pass_serial, PassAddress(customer_id, offer_id), to_iso(self.clock())
        )
        return self._answer(pass_, snap.offer, None)

    def _answer(self, pass_: Pass, offer: Offer, if_modified_since: str | None) -> PkpassAnswer:
        updated_at = parse_iso(pass_.updated_at)
        dated = http_date(last_modified(updated_at, self.clock()))
        if is_not_modified(if_modified_since, updated_at):
            return PkpassAnswer(None, dated)
        return PkpassAnswer(self.renderer.render(self._with_news(pass_), offer), dated)

    def _with_news(self, pass_: Pass) -> Pass:
        """The pass with the texts of the campaign that last reached it (its back's "News" field). They are kept
        on the campaign item, not the pass, so a pass stays one write unit for every later scan; this read is
        the phone's download, never the scan. Passes marked before that keep their texts on themselves."""
        campaign_id = campaign_id_of(pass_)
        if campaign_id is None or pass_.campaign_message is not None or self.campaigns is None:
            return pass_
        campaign = self.campaigns.get(pass_.offer_id, campaign_id)
        if campaign is None:
            return pass_
        return replace(pass_, campaign_message=campaign.message, campaign_message_ar=campaign.message_ar)


def _json(body: str | None) -> object:
    try:
        return json.loads(body) if body else None
    except ValueError:
        raise MalformedRequest() from None


def device_logs(body: str | None) -> list[str]:
    """What a phone reports about our passes (`{"logs": [...]}`), bounded before it reaches our logs."""
    payload = _json(body)
    logs = payload.get("logs") if isinstance(payload, Mapping) else None
    if not isinstance(logs, list):
        raise ValidationFailed([FieldError("logs", "must be a list of messages")])
    return [str(entry)[:MAX_LOG_LENGTH] for entry in logs[:MAX_LOG_ENTRIES]]
