"""A pass's own notifying Google message sent late: a new tier, the expiry or the expiry reminder that waited on
the campaign queue for the pass's notification window (adapters/google/passes.py holds it there). Read off the
scan path: one read of the pass and its offer, then the message, only while the pass still shows that news."""

from __future__ import annotations

from loyalty.adapters.google.client import WalletObjectsClient
from loyalty.adapters.google.objects import notice_kind, notice_message, object_id
from loyalty.app.ports.passes import PassStore
from loyalty.domain.passes import PassStatus
from loyalty.domain.reminders import notice_for


class GoogleNotices:
    def __init__(
        self, passes: PassStore, objects: WalletObjectsClient, issuer_id: str, inactivity_days: int
    ) -> None:
        self._passes = passes
        self._objects = objects
        self._issuer_id = issuer_id
        self._inactivity_days = inactivity_days

    def notify(self, customer_id: str, offer_id: str, kind: str) -> bool:
        snap = self._passes.snapshot(pass_key=(customer_id, offer_id), offer_id=offer_id)
        pass_, offer = snap.pass_, snap.offer
        if pass_ is None or offer is None:
            return False
        notice = notice_for(pass_, self._inactivity_days, pass_.preferred_language)
        # One notice waits a pass (a later one joins it): it announces the reminder or the expiry while they stand,
        # and the tier only when a tier was what waited and the pass is still active; otherwise the news went
        # stale (a visit ended the reminder) and the pass itself shows what is true now.
        current = notice_kind(pass_, notice)
        if current == "tier" and (kind != "tier" or pass_.status is not PassStatus.ACTIVE):
            return False
        standing = offer.ladder.standing(pass_.rewards_claimed)
        self._objects.add_object_message(
            object_id(self._issuer_id, customer_id, offer_id), notice_message(pass_, standing, notice)
        )
        return True
