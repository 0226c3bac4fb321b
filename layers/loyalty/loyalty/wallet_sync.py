"""Wallet sync: the table's stream keeps every wallet pass current, off the scanner's request path.

A stamp, a claimed prize, a tier crossed, an expiry or a reactivation is a write to the pass item; its
stream record reaches this module after the scanner has had its answer. For each record the wallets are told
what the customer should now see: Apple through a push that makes the phone fetch the pass again, Google
through one PATCH of the loyalty object. The phone's notification is kept for what matters (a new tier, an
expired pass), never for each stamp (Google shows at most three a pass a day).

Records are handled in stream order; the first one that fails is reported as a batch item failure, so Lambda
retries from it (and everything after it, in order) and no update is lost. Repeating a record is harmless: a
push only makes the phone look again, a PATCH sets absolute values, an insert of an existing resource is a
no-op.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from boto3.dynamodb.types import TypeDeserializer

from loyalty.wallet.google.objects import StandingLike, WalletOffer, WalletPass

Item = Mapping[str, Any]
logger = logging.getLogger(__name__)


class PassChangeNotifier(Protocol):
    """Apple Wallet's side: tell every device holding the pass to fetch it again."""

    def pass_changed(self, customer_id: str, offer_id: str) -> None: ...


class GoogleWalletUpdater(Protocol):
    def ensure_class(self, offer: WalletOffer) -> None: ...
    def ensure_object(self, offer: WalletOffer, card: WalletPass, standing: StandingLike) -> None: ...
    def update(
        self, offer: WalletOffer, card: WalletPass, standing: StandingLike, *, notify: bool
    ) -> None: ...


class TierLadderLike(Protocol):
    def standing(self, rewards_claimed: int) -> StandingLike: ...


class OfferCatalog(Protocol):
    def offer_item(self, offer_id: str) -> Item | None: ...


class OfferMissing(Exception):
    pass


@dataclass(frozen=True)
class WalletSyncDeps:
    offers: OfferCatalog
    ladder_of: Callable[[Item], TierLadderLike]
    qr_payload_of: Callable[[Item], str]
    apple: PassChangeNotifier | None
    google: GoogleWalletUpdater | None


@dataclass(frozen=True)
class PassChange:
    shown: bool
    tier_changed: bool
    expired: bool

    @property
    def notify(self) -> bool:
        return self.tier_changed or self.expired


def _shown(card: WalletPass) -> tuple[object, ...]:
    return (card.status, card.current_stamps, card.stamps_required, card.rewards_claimed, card.customer_name)


def _tier_id(standing: StandingLike) -> str | None:
    return standing.current.id if standing.current is not None else None


def pass_change(
    old: WalletPass, new: WalletPass, old_standing: StandingLike, new_standing: StandingLike
) -> PassChange:
    """What a customer would notice between two versions of a pass (not activity times, not versions)."""
    tier_changed = _tier_id(old_standing) != _tier_id(new_standing)
    expired = old.status != "EXPIRED" and new.status == "EXPIRED"
    return PassChange(
        shown=_shown(old) != _shown(new) or tier_changed, tier_changed=tier_changed, expired=expired
    )


def wallet_offer(item: Item) -> WalletOffer:
    return WalletOffer(
        offer_id=str(item["offerId"]), name=str(item["name"]), name_ar=item.get("nameAr") or None
    )


def wallet_pass(item: Item, qr_payload: str) -> WalletPass:
    return WalletPass(
        customer_id=str(item["customerId"]),
        offer_id=str(item["offerId"]),
        status=str(item["status"]),
        current_stamps=int(item.get("currentStamps", 0)),
        stamps_required=int(item["stampsRequired"]),
        rewards_claimed=int(item.get("rewardsClaimed", 0)),
        customer_name=str(item.get("customerName") or ""),
        qr_payload=qr_payload,
        preferred_language="ar" if item.get("preferredLanguage") == "ar" else "en",
    )


_deserializer = TypeDeserializer()


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: _plain(inner) for key, inner in value.items()}
    if isinstance(value, (list, set)):
        return [_plain(inner) for inner in value]
    return value


def stream_image(record: Mapping[str, Any], which: str) -> dict[str, Any] | None:
    image = record.get("dynamodb", {}).get(which)
    if not image:
        return None
    return {key: _plain(_deserializer.deserialize(value)) for key, value in image.items()}


class _Sync:
    """One batch: offers read once each, records applied in order."""

    def __init__(self, deps: WalletSyncDeps) -> None:
        self._deps = deps
        self._offers: dict[str, Item] = {}

    def _offer(self, offer_id: str) -> Item:
        if offer_id not in self._offers:
            item = self._deps.offers.offer_item(offer_id)
            if item is None:
                raise OfferMissing(f"offer {offer_id} not found for a pass that names it")
            self._offers[offer_id] = item
        return self._offers[offer_id]

    def apply(self, record: Mapping[str, Any]) -> None:
        new = stream_image(record, "NewImage")
        if new is None:  # a removal: no wallet shows a deleted item
            return
        kind = new.get("SK")
        if kind == "OFFER" and record.get("eventName") == "INSERT":
            self._offers[str(new["offerId"])] = new
            if self._deps.google is not None:
                self._deps.google.ensure_class(wallet_offer(new))
        elif kind == "PASS":
            old = stream_image(record, "OldImage")
            self._pass_written(old, new)

    def _pass_written(self, old_item: Item | None, new_item: Item) -> None:
        offer_item = self._offer(str(new_item["offerId"]))
        offer = wallet_offer(offer_item)
        ladder = self._deps.ladder_of(offer_item)
        new = wallet_pass(new_item, self._deps.qr_payload_of(new_item))
        new_standing = ladder.standing(new.rewards_claimed)
        google = self._deps.google
        if old_item is None:
            # A new pass: Apple's is downloaded fresh; Google's object must exist before its link is used.
            if google is not None:
                google.ensure_object(offer, new, new_standing)
            return
        old = wallet_pass(old_item, self._deps.qr_payload_of(old_item))
        change = pass_change(old, new, ladder.standing(old.rewards_claimed), new_standing)
        if not change.shown:
            return
        if google is not None:
            google.update(offer, new, new_standing, notify=change.notify)
        if self._deps.apple is not None:
            self._deps.apple.pass_changed(new.customer_id, new.offer_id)


def sync_batch(records: Iterable[Mapping[str, Any]], deps: WalletSyncDeps) -> list[str]:
    """Apply a batch of stream records; answer the sequence number to retry from (none when all went)."""
    sync = _Sync(deps)
    for record in records:
        try:
            sync.apply(record)
        except Exception:
            # Whatever failed (Google, Apple, a read), the record comes back: a retry, never a lost update.
            logger.exception(
                "wallet sync failed; retrying from this record",
                extra={"sequenceNumber": record.get("dynamodb", {}).get("SequenceNumber")},
            )
            return [str(record["dynamodb"]["SequenceNumber"])]
    return []
