"""Keeps Google Wallet in step with our passes: insert on creation, PATCH on change, EXPIRED on expiry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger

from loyalty.adapters.google.client import (
    GoogleWalletUnavailable,
    WalletObjectsClient,
    WalletResourceNotFound,
)
from loyalty.adapters.google.objects import (
    CLASS_LOOK_FIELDS,
    ClassLook,
    loyalty_class,
    loyalty_object,
    loyalty_object_patch,
    notice_kind,
    notice_message,
    object_id,
)
from loyalty.app.campaigns.fanout import NoticeLater, plan_delay
from loyalty.app.metrics import BusinessEvent, count
from loyalty.app.ports.campaigns import NotificationWindow
from loyalty.domain.clock import to_iso, utc_now
from loyalty.domain.expiry import DEFAULT_INACTIVITY_DAYS
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass
from loyalty.domain.reminders import notice_for
from loyalty.domain.tiers import TierStanding

logger = Logger(child=True)
# Google answers a notification past its quota (3 a pass in 24 hours) with 429.
QUOTA_EXCEEDED = 429


class GoogleWalletPasses:
    def __init__(
        self,
        client: WalletObjectsClient,
        issuer_id: str,
        issuer_name: str,
        program_logo_url: str,
        looks: Callable[[Offer], ClassLook | None] | None = None,
        inactivity_days: int = DEFAULT_INACTIVITY_DAYS,
        callback_url: str | None = None,
        window: NotificationWindow | None = None,
        hold: Callable[[NoticeLater, int], None] | None = None,
    ) -> None:
        self._client = client
        self._callback_url = callback_url
        # The pass's 3 notifications a day, shared with campaigns (adapters/dynamodb/campaigns.py).
        self._window = window
        # Where a notice waits when the window is full (the campaign queue, delayed until a slot frees).
        self._hold = hold
        self._inactivity_days = inactivity_days
        self._issuer_id = issuer_id
        self._issuer_name = issuer_name
        self._program_logo_url = program_logo_url
        self._looks = looks

    def _class(self, offer: Offer) -> dict[str, Any]:
        look = self._looks(offer) if self._looks else None
        return loyalty_class(
            self._issuer_id, self._issuer_name, self._program_logo_url, offer, look, self._callback_url
        )

    def ensure_class(self, offer: Offer) -> None:
        self._client.insert_class(self._class(offer))

    def update_class(self, offer: Offer) -> None:
        """The offer's texts and the business's brand as the class shows them, after an edit. Google has
        approved the class by then, and an update of an approved class must say `underReview` again."""
        resource = self._class(offer)
        changes = {key: resource[key] for key in (*CLASS_LOOK_FIELDS, "reviewStatus") if key in resource}
        try:
            self._client.patch_class(resource["id"], changes)
        except WalletResourceNotFound:
            self.ensure_class(offer)

    def ensure_object(self, offer: Offer, pass_: Pass, standing: TierStanding) -> None:
        # The class first, every time: a 409 costs one request, a missing class would cost the pass.
        self.ensure_class(offer)
        self._client.insert_object(loyalty_object(self._issuer_id, pass_, standing))

    def update(self, offer: Offer, pass_: Pass, standing: TierStanding, *, notify: bool) -> None:
        """One quiet PATCH with everything that may have changed; `notify` then adds the message that lights
        up the customer's phone. Past Google's three notifications a pass a day the pass is still updated and
        the notice is left out (the next wallet update carries the news on the pass itself)."""
        wallet_object_id = object_id(self._issuer_id, pass_.customer_id, pass_.offer_id)
        # The expiry reminder while it stands: a text module on the pass, and the message when it is new.
        notice = notice_for(pass_, self._inactivity_days, pass_.preferred_language)
        try:
            self._client.patch_object(
                wallet_object_id, loyalty_object_patch(pass_, standing, notify=False, notice=notice)
            )
        except WalletResourceNotFound:
            # Never inserted (the pass predates Google Wallet, or the insert was lost): insert it as is.
            self.ensure_object(offer, pass_, standing)
        if not notify:
            return
        at = utc_now()
        frees = self._window.take(pass_.customer_id, pass_.offer_id, at) if self._window is not None else None
        if frees is not None:
            # The day's three are taken (campaigns included): the pass shows the news quietly now, and the
            # notification waits on the campaign queue until a slot frees (app/campaigns/fanout.py), never
            # dropped and never a fourth Google would refuse.
            if self._hold is None:
                logger.info(
                    "the pass's three notifications of the day are taken; the pass is updated quietly"
                )
                return
            if self._window.hold(pass_.customer_id, pass_.offer_id, frees, at):  # type: ignore[union-attr]
                self._hold(
                    NoticeLater(pass_.offer_id, pass_.customer_id, notice_kind(pass_, notice)),
                    plan_delay(to_iso(frees), at) or 1,
                )
            else:
                logger.info(
                    "a notice of this pass already waits; it sends the pass's news as they stand then"
                )
            count(BusinessEvent.GOOGLE_NOTICE_DEFERRED)
            return
        try:
            self._client.add_object_message(wallet_object_id, notice_message(pass_, standing, notice))
        except GoogleWalletUnavailable as exc:
            if exc.status != QUOTA_EXCEEDED:
                raise
            logger.warning("Google's notification quota for this pass is spent; the pass is updated quietly")
