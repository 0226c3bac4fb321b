"""Keeps Google Wallet in step with our passes: insert on creation, PATCH on change, EXPIRED on expiry."""

from __future__ import annotations

from loyalty.adapters.google.client import WalletObjectsClient, WalletResourceNotFound
from loyalty.adapters.google.objects import (
    loyalty_class,
    loyalty_object,
    loyalty_object_patch,
    object_id,
)
from loyalty.domain.expiry import DEFAULT_INACTIVITY_DAYS
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass
from loyalty.domain.reminders import notice_for
from loyalty.domain.tiers import TierStanding


class GoogleWalletPasses:
    def __init__(
        self,
        client: WalletObjectsClient,
        issuer_id: str,
        issuer_name: str,
        program_logo_url: str,
        inactivity_days: int = DEFAULT_INACTIVITY_DAYS,
    ) -> None:
        self._client = client
        self._inactivity_days = inactivity_days
        self._issuer_id = issuer_id
        self._issuer_name = issuer_name
        self._program_logo_url = program_logo_url

    def ensure_class(self, offer: Offer) -> None:
        self._client.insert_class(
            loyalty_class(self._issuer_id, self._issuer_name, self._program_logo_url, offer)
        )

    def update_class(self, offer: Offer) -> None:
        """The offer's texts as the class shows them (its program name), after an edit."""
        resource = loyalty_class(self._issuer_id, self._issuer_name, self._program_logo_url, offer)
        changes = {key: resource[key] for key in ("programName", "localizedProgramName", "programLogo")}
        try:
            self._client.patch_class(resource["id"], changes)
        except WalletResourceNotFound:
            self.ensure_class(offer)

    def ensure_object(self, offer: Offer, card: Pass, standing: TierStanding) -> None:
        # The class first, every time: a 409 costs one request, a missing class would cost the pass.
        self.ensure_class(offer)
        self._client.insert_object(loyalty_object(self._issuer_id, card, standing))

    def update(self, offer: Offer, card: Pass, standing: TierStanding, *, notify: bool) -> None:
        """One PATCH with everything that may have changed; `notify` lights up the customer's phone."""
        wallet_object_id = object_id(self._issuer_id, card.customer_id, card.offer_id)
        try:
            notice = notice_for(card, self._inactivity_days, card.preferred_language)
            self._client.patch_object(
                wallet_object_id, loyalty_object_patch(card, standing, notify=notify, notice=notice)
            )
        except WalletResourceNotFound:
            # Never inserted (the pass predates Google Wallet, or the insert was lost): insert it as is.
            self.ensure_object(offer, card, standing)
