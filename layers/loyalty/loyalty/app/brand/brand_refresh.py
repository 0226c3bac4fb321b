"""A brand change redraws every pass of the business, quietly: each offer of the business goes through the wallet
refresh that a ladder change starts (app/wallets/refresh.py), which moves each pass's version in one conditional
write, PATCHes Google's object and pushes Apple's devices without a notification; its plan brings the offer's
Google class (which carries the brand) up to date first. The queue retries what fails, and a pass is never
half-updated: a phone fetches the whole signed pass as it is, drawn with the brand now saved."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from loyalty.app.ports.offers import OffersRead
from loyalty.app.ports.wallets import LadderChangeListener

PAGE = 100


class BusinessOffers(Protocol):
    def list_for_business(self, business_id: str, *, limit: int, cursor: str | None = None) -> OffersRead: ...


@dataclass(frozen=True)
class BrandRefresh:
    offers: BusinessOffers
    refresh: LadderChangeListener

    def __call__(self, business_id: str) -> None:
        """Starts the redraw of each offer of the business."""
        cursor: str | None = None
        while True:
            page = self.offers.list_for_business(business_id, limit=PAGE, cursor=cursor)
            for offer in page.offers:
                self.refresh.ladder_changed(offer)
            cursor = page.next_cursor
            if cursor is None:
                return
