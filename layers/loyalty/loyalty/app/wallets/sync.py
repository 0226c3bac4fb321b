"""Wallet sync: the table's stream keeps every wallet pass current, off the scanner's request path.

A stamp, a claimed prize, a tier crossed, an expiry or a reactivation is a write to the pass item; its stream
record reaches this module after the scanner has had its answer. For each record the wallets are told what the
customer should now see: Apple through a push that makes the phone fetch the pass again, Google through one
PATCH of the loyalty object. The phone's notification is kept for what matters (a new tier, an expired pass),
never for each stamp (Google shows at most three a pass a day). A new tier ladder on an offer re-ranks all its
customers at once; their wallets are redrawn through `wallet_refresh`, off this stream.

Records are handled in stream order; the first one that fails is reported as a batch item failure, so Lambda
retries from it (and everything after it, in order) and no update is lost. Repeating a record is harmless: a
push only makes the phone look again, a PATCH sets absolute values, an insert of an existing resource is a
no-op.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from aws_lambda_powertools import Logger

from loyalty.app.metrics import BusinessEvent, count
from loyalty.app.ports.brand import BusinessWritten
from loyalty.app.ports.ledger import OfferWritten, PassWritten, TableChange
from loyalty.app.ports.offers import OfferSource
from loyalty.app.ports.wallets import GoogleWalletUpdater, LadderChangeListener, PassChangeNotifier
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass, PassStatus
from loyalty.domain.tiers import TierStanding

logger = Logger(child=True)


class OfferMissing(Exception):
    pass


@dataclass(frozen=True)
class Wallets:
    """Who is told about pass changes; a wallet the stage does not use is None."""

    offers: OfferSource
    apple: PassChangeNotifier | None
    google: GoogleWalletUpdater | None
    ladders: LadderChangeListener | None = None
    # Told the business whose names or brand changed: every pass of it is redrawn (app/brand/brand_refresh.py).
    brands: Callable[[str], None] | None = None


class WalletTableChange(TableChange, Protocol):
    """A stream record as the wallet sync reads it: the business's own item too."""

    def business_written(self) -> BusinessWritten | None: ...


@dataclass(frozen=True)
class WalletChange:
    shown: bool
    tier_changed: bool
    expired: bool
    # The pass now shows its expiry reminder (domain/reminders.py): a notification the holder must see.
    reminded: bool = False

    @property
    def notify(self) -> bool:
        return self.tier_changed or self.expired or self.reminded


def _shown(pass_: Pass) -> tuple[object, ...]:
    return (
        pass_.status,
        pass_.current_stamps,
        pass_.stamps_required,
        pass_.rewards_claimed,
        pass_.customer_name,
        pass_.preferred_language,
        pass_.reminder_shown,
    )


def _tier_id(standing: TierStanding) -> str | None:
    return standing.current.id if standing.current is not None else None


def pass_change(old: Pass, new: Pass, old_standing: TierStanding, new_standing: TierStanding) -> WalletChange:
    """What a customer would notice between two versions of a pass (not activity times, not versions)."""
    tier_changed = _tier_id(old_standing) != _tier_id(new_standing)
    expired = old.status is not PassStatus.EXPIRED and new.status is PassStatus.EXPIRED
    return WalletChange(
        shown=_shown(old) != _shown(new) or tier_changed,
        tier_changed=tier_changed,
        expired=expired,
        reminded=new.reminder_shown and not old.reminder_shown,
    )


class _Batch:
    """One batch: each offer read once, records applied in stream order."""

    def __init__(self, wallets: Wallets) -> None:
        self._wallets = wallets
        self._offers: dict[str, Offer] = {}

    def _offer(self, offer_id: str) -> Offer:
        if offer_id not in self._offers:
            offer = self._wallets.offers.get(offer_id)
            if offer is None:
                raise OfferMissing(f"offer {offer_id} not found for a pass that names it")
            self._offers[offer_id] = offer
        return self._offers[offer_id]

    def apply(self, record: WalletTableChange) -> None:
        business = record.business_written()
        if business is not None:
            # Read off the stream, so a redraw that could not start (the queue down) comes back like any record,
            # and the brand is never saved without its passes following.
            wallets = self._wallets
            if business.face_changed and wallets.brands is not None and (wallets.apple or wallets.google):
                wallets.brands(business.new.business_id)
            return
        written = record.written()
        if isinstance(written, OfferWritten):
            # The batch's later pass records are shown with this version of the offer (its ladder may be new).
            offer = written.new
            self._offers[offer.offer_id] = offer
            if written.old is None and self._wallets.google is not None:
                self._wallets.google.ensure_class(offer)
            if written.old is None:
                return
            texts_changed = written.old.wallet_face() != offer.wallet_face()
            if texts_changed and self._wallets.google is not None:
                self._wallets.google.update_class(offer)
            # An edit of the offer's texts or its own brand redraws every pass as quietly as a new ladder does.
            if texts_changed or written.old.ladder != offer.ladder:
                self._ladder_changed(offer)
        elif isinstance(written, PassWritten):
            self._pass_written(written.old, written.new)

    def _ladder_changed(self, offer: Offer) -> None:
        """Every customer of the offer may now stand elsewhere on the ladder; their wallets are redrawn off this
        stream (an offer may have many passes, and the next scanner's update must not wait behind them)."""
        wallets = self._wallets
        if wallets.ladders is not None and (wallets.apple is not None or wallets.google is not None):
            wallets.ladders.ladder_changed(offer)

    def _pass_written(self, old: Pass | None, new: Pass) -> None:
        offer = self._offer(new.offer_id)
        standing = offer.ladder.standing(new.rewards_claimed)
        google = self._wallets.google
        if old is None:
            # A new pass: Apple's is downloaded fresh; Google's object must exist before its link is used.
            if google is not None:
                google.ensure_object(offer, new, standing)
            return
        change = pass_change(old, new, offer.ladder.standing(old.rewards_claimed), standing)
        if not change.shown:
            return
        if google is not None:
            google.update(offer, new, standing, notify=change.notify)
        if self._wallets.apple is not None:
            self._wallets.apple.pass_changed(new.customer_id, new.offer_id)
        count(BusinessEvent.WALLET_UPDATE)


def sync_batch(
    records: Iterable[WalletTableChange],
    wallets: Wallets,
    seconds_left: Callable[[], float] | None = None,
    reserve_seconds: float = 0.0,
) -> list[str]:
    """Apply a batch of stream records; answer the sequence number to retry from (none when all went).

    A record is started only with `reserve_seconds` still left (the slowest it may take): past that, the rest
    of the batch is handed back for the next invocation rather than cut off by the function's timeout."""
    batch = _Batch(wallets)
    for record in records:
        sequence_number = record.sequence_number
        if seconds_left is not None and seconds_left() < reserve_seconds:
            logger.warning(
                "out of time; the rest of the batch comes back", extra={"sequenceNumber": sequence_number}
            )
            return [sequence_number]
        try:
            batch.apply(record)
        except Exception:
            # Whatever failed (Google, Apple, a read), the record comes back: a retry, never a lost update.
            count(BusinessEvent.WALLET_UPDATE_FAILURE)
            logger.exception(
                "wallet sync failed; retrying from this record", extra={"sequenceNumber": sequence_number}
            )
            return [sequence_number]
    return []
