"""Every wallet of an offer redrawn when its tier ladder changes.

A customer's tier is derived from the ladder in force, so a new ladder re-ranks every customer at once in every
answer of the API; but a wallet shows what it was last given. When the wallet sync sees an offer's ladder
change, it puts the offer on a queue, and this module works through it off the stream that carries the
scanners' updates (a large offer must not hold back the next customer's stamp):

1. plan: the offer's active passes are listed from the members index, one page a message, and handed back to the
   queue in chunks, so the chunks are redrawn in parallel;
2. redraw, for each pass of a chunk: one conditional write moves the pass's version and `updatedAt` (a phone
   asks "what changed since this tag?" by version and downloads again by Last-Modified), then Google's object
   gets one PATCH and Apple's devices one push. Nobody is notified: a business reshaping its ladder is not the
   customer's achievement, and the wallet shows the new tier quietly.

A chunk planned for a ladder no longer in force is dropped: the newer change has a refresh of its own. A scan
racing a redraw cannot leave Google behind: after its PATCHes a chunk reads its passes' versions again and draws
once more every pass that moved in between (the scan's own PATCH may have landed before ours).
Repeating a message is harmless: a redraw sets absolute values.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from aws_lambda_powertools import Logger

from loyalty.app.metrics import BusinessEvent, count
from loyalty.app.ports.offers import OfferSource
from loyalty.app.ports.wallets import GoogleWalletUpdater, OfferPasses, PassChangeNotifier, RefreshQueue
from loyalty.domain.clock import Clock, parse_iso, to_iso
from loyalty.domain.ids import is_id
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass, PassStatus
from loyalty.domain.tiers import TierLadder

logger = Logger(child=True)

PLAN_PAGE = 1000
CHUNK = 25
# How often a chunk draws a pass again when scans keep moving it under the redraw (then the stream's own
# update, which follows every scan in order, has the last word anyway).
MAX_DRAWS = 3


def ladder_fingerprint(ladder: TierLadder) -> str:
    """Every field of every tier, canonically: equal for equal ladders, whatever their order of edits."""
    tiers = [
        {
            "id": tier.id,
            "name": tier.name,
            "nameAr": tier.name_ar,
            "minRewards": tier.min_rewards,
            "maxRewards": tier.max_rewards,
            "icon": tier.icon,
            **({"color": tier.color} if tier.color is not None else {}),
        }
        for tier in ladder.tiers
    ]
    canonical = json.dumps(tiers, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class PlanRefresh:
    """List the offer's passes after `after` (a position of the listing: `<memberSince>#<customerId>`, or a bare
    customer id in a plan queued before the listing moved to the members index) and queue them in chunks."""

    offer_id: str
    ladder: str
    after: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"kind": "plan", "offerId": self.offer_id, "ladder": self.ladder, "after": self.after}


@dataclass(frozen=True)
class RedrawPasses:
    offer_id: str
    ladder: str
    customer_ids: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": "redraw",
            "offerId": self.offer_id,
            "ladder": self.ladder,
            "customerIds": list(self.customer_ids),
        }


RefreshMessage = PlanRefresh | RedrawPasses


class MalformedRefreshMessage(ValueError):
    """Not a message this module wrote; retrying it would never help."""


def parse_message(body: str) -> RefreshMessage:
    try:
        raw = json.loads(body)
    except ValueError:
        raise MalformedRefreshMessage("not JSON") from None
    if not isinstance(raw, Mapping):
        raise MalformedRefreshMessage("not an object")
    offer_id, ladder = raw.get("offerId"), raw.get("ladder")
    if not isinstance(offer_id, str) or not is_id(offer_id, "off") or not isinstance(ladder, str):
        raise MalformedRefreshMessage("no offer or ladder")
    kind = raw.get("kind")
    if kind == "plan":
        after = raw.get("after")
        if after is not None and not (isinstance(after, str) and _is_position(after)):
            raise MalformedRefreshMessage("bad position")
        return PlanRefresh(offer_id, ladder, after)
    customer_ids = raw.get("customerIds")
    if (
        kind == "redraw"
        and isinstance(customer_ids, list)
        and customer_ids
        and all(isinstance(c, str) and is_id(c, "cus") for c in customer_ids)
    ):
        return RedrawPasses(offer_id, ladder, tuple(customer_ids))
    raise MalformedRefreshMessage("unknown kind or bad customers")


def _is_position(after: str) -> bool:
    """`<memberSince>#<customerId>` (ISO-8601 and an id), or a bare customer id (a plan of the former listing)."""
    since, _, customer_id = after.rpartition("#")
    if not is_id(customer_id, "cus"):
        return False
    if not since:
        return "#" not in after
    try:
        parse_iso(since)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class WalletRefresh:
    offers: OfferSource
    passes: OfferPasses
    queue: RefreshQueue
    apple: PassChangeNotifier | None
    google: GoogleWalletUpdater | None
    clock: Clock
    plan_page: int = PLAN_PAGE

    def handle(self, message: RefreshMessage, time_left: Callable[[], bool] | None = None) -> int:
        """Carry one message out; the number of passes redrawn (0 for a plan or a superseded chunk).

        `time_left` answers whether one more pass still fits in the invocation; when it does not, the passes
        not reached go back to the queue as a chunk of their own rather than being cut off by the timeout."""
        offer = self.offers.get(message.offer_id)
        if offer is None or ladder_fingerprint(offer.ladder) != message.ladder:
            logger.info("ladder refresh superseded", extra={"offerId": message.offer_id})
            return 0
        if isinstance(message, PlanRefresh):
            if message.after is None and self.google is not None:
                # The class first: it carries the offer's texts and the business's brand (a brand change
                # comes this way too, app/brand/brand_refresh.py).
                self.google.update_class(offer)
            self._plan(message)
            return 0
        return self._redraw(offer, message, time_left or (lambda: True))

    def _plan(self, message: PlanRefresh) -> None:
        page = self.passes.customer_ids(message.offer_id, after=message.after, limit=self.plan_page)
        queued: list[RefreshMessage] = [
            RedrawPasses(message.offer_id, message.ladder, tuple(page.customer_ids[i : i + CHUNK]))
            for i in range(0, len(page.customer_ids), CHUNK)
        ]
        if page.after is not None:
            queued.append(PlanRefresh(message.offer_id, message.ladder, page.after))
        if queued:
            self.queue.send(queued)
        logger.info(
            "ladder refresh planned",
            extra={
                "offerId": message.offer_id,
                "passes": len(page.customer_ids),
                "more": page.after is not None,
            },
        )

    def _redraw(self, offer: Offer, message: RedrawPasses, time_left: Callable[[], bool]) -> int:
        drawn: dict[str, int] = {}
        at = to_iso(self.clock())
        for position, customer_id in enumerate(message.customer_ids):
            if not time_left():
                rest = message.customer_ids[position:]
                self.queue.send([RedrawPasses(offer.offer_id, message.ladder, rest)])
                logger.warning(
                    "out of time; the rest of the chunk is queued again", extra={"passes": len(rest)}
                )
                break
            pass_ = self.passes.redraw(customer_id, offer.offer_id, at)
            if pass_ is not None:
                self._show(offer, pass_)
                drawn[customer_id] = pass_.version
        if self.google is not None:
            self._draw_moved_again(offer, self.google, drawn)
        return len(drawn)

    def _draw_moved_again(self, offer: Offer, google: GoogleWalletUpdater, drawn: dict[str, int]) -> None:
        """A scan between our write and our PATCH may have had its own PATCH land first: Google would keep our
        older picture. Read the versions back and draw each pass that moved once more (Apple needs none of this:
        a push only makes the phone fetch the pass as it is)."""
        pending = drawn
        for _ in range(MAX_DRAWS - 1):
            if not pending:
                return
            current = self.passes.passes(offer.offer_id, list(pending))
            moved = [c for c in current.values() if c.version != pending[c.customer_id]]
            pending = {}
            for pass_ in moved:
                if pass_.status is PassStatus.ACTIVE:
                    google.update(offer, pass_, offer.ladder.standing(pass_.rewards_claimed), notify=False)
                    pending[pass_.customer_id] = pass_.version

    def _show(self, offer: Offer, pass_: Pass) -> None:
        if self.google is not None:
            self.google.update(offer, pass_, offer.ladder.standing(pass_.rewards_claimed), notify=False)
        if self.apple is not None:
            self.apple.pass_changed(pass_.customer_id, pass_.offer_id)
        count(BusinessEvent.WALLET_UPDATE)


@dataclass(frozen=True)
class LadderRefreshStarter:
    """What the wallet sync calls when an offer's ladder changed: one plan message starts the refresh."""

    queue: RefreshQueue

    def ladder_changed(self, offer: Offer) -> None:
        self.queue.send([PlanRefresh(offer.offer_id, ladder_fingerprint(offer.ladder))])
