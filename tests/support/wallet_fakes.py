"""Stand-ins for the wallets and the offer store, for unit tests of what reaches which wallet."""

from __future__ import annotations

from dataclasses import dataclass, field

from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass
from loyalty.domain.tiers import TierStanding


@dataclass
class ApplePushes:
    """Stands in for the Apple notifier (`pass_changed(customer_id, offer_id)`), failing when told to."""

    sent: list[tuple[str, str]] = field(default_factory=list)
    failures: int = 0

    def pass_changed(self, customer_id: str, offer_id: str) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("APNs unreachable")
        self.sent.append((customer_id, offer_id))


@dataclass
class GoogleObjects:
    classes: list[str] = field(default_factory=list)
    inserted: list[Pass] = field(default_factory=list)
    updates: list[tuple[Pass, TierStanding, bool]] = field(default_factory=list)
    fail_for: set[str] = field(default_factory=set)  # customers whose next update times out, once
    class_updates: list[str] = field(default_factory=list)

    def ensure_class(self, offer: Offer) -> None:
        self.classes.append(offer.offer_id)

    def update_class(self, offer: Offer) -> None:
        self.class_updates.append(offer.offer_id)

    def ensure_object(self, offer: Offer, card: Pass, standing: TierStanding) -> None:
        self.inserted.append(card)

    def update(self, offer: Offer, card: Pass, standing: TierStanding, *, notify: bool) -> None:
        if card.customer_id in self.fail_for:
            self.fail_for.discard(card.customer_id)
            raise TimeoutError("walletobjects timed out")
        self.updates.append((card, standing, notify))


@dataclass
class Offers:
    known: dict[str, Offer]
    reads: int = 0

    def get(self, offer_id: str) -> Offer | None:
        self.reads += 1
        return self.known.get(offer_id)
