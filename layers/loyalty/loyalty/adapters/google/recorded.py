"""Google Wallet updates with their outcome kept on the pass's delivery record (the member's `wallet.google`):
the wallet sync's updater, wrapped, so what Google answered the last update of each pass can be shown."""

from __future__ import annotations

from loyalty.adapters.dynamodb.wallet_delivery import WalletDeliveryStore
from loyalty.app.ports.wallets import GoogleWalletUpdater, PassAddress
from loyalty.domain.clock import to_iso, utc_now
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass
from loyalty.domain.tiers import TierStanding
from loyalty.domain.wallet_delivery import UPDATE_FAILED, UPDATE_OK


class RecordedGoogleUpdates:
    def __init__(self, passes: GoogleWalletUpdater, delivery: WalletDeliveryStore) -> None:
        self._passes = passes
        self._delivery = delivery

    def ensure_class(self, offer: Offer) -> None:
        self._passes.ensure_class(offer)

    def update_class(self, offer: Offer) -> None:
        self._passes.update_class(offer)

    def ensure_object(self, offer: Offer, pass_: Pass, standing: TierStanding) -> None:
        self._passes.ensure_object(offer, pass_, standing)

    def update(self, offer: Offer, pass_: Pass, standing: TierStanding, *, notify: bool) -> None:
        address = PassAddress(pass_.customer_id, pass_.offer_id)
        try:
            self._passes.update(offer, pass_, standing, notify=notify)
        except Exception as failure:
            # Kept, then raised: the stream record comes back and the next try's outcome replaces this one.
            self._delivery.google_updated(address, to_iso(utc_now()), f"{UPDATE_FAILED}: {failure}"[:120])
            raise
        self._delivery.google_updated(address, to_iso(utc_now()), UPDATE_OK)
