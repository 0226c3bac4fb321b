"""A campaign's fan-out, off the request path, on the campaign queue (SQS; a queue the local stack polls too).

1. plan: when the campaign is due (a plan queued early comes back delayed, SQS holding it at most 15 minutes a
   time, until `sendAt`), one page of its audience is handed back to the queue in chunks, with the plan of the next
   page; the last page moves the campaign to SENT (everything is queued by then, counts keep growing);
2. deliver, for each pass of a chunk: one conditional write gives the pass the campaign's message only if it is
   active, its holder consents, and it has not had this campaign (so each recipient gets it at most once however
   often a chunk is retried or a plan repeated); the write answers the pass, so nothing else is read. Then Apple's
   devices get a push (the pass's back field changed, with a `changeMessage`: the lock screen shows it) and Google's
   object gets the message with TEXT_AND_NOTIFY, in the holder's language;
3. Google notifies at most 3 times a pass in 24 hours (and refuses the rest with a quota error): a notification
   window kept on our side takes one of those three first. When none is free, the Google message waits on the queue
   (delayed, then again while needed) until one frees: counted as deferred, never dropped, never refused by Google.

Counts are added to the campaign item with atomic increments once per chunk."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

from aws_lambda_powertools import Logger

from loyalty.app.ports.campaigns import (
    CampaignAudience,
    CampaignQueue,
    CampaignStore,
    CampaignWallets,
    NotificationWindow,
    PassNotices,
)
from loyalty.app.ports.offers import OfferSource
from loyalty.domain.campaigns import Campaign, CampaignStatus
from loyalty.domain.clock import Clock, parse_iso, to_iso
from loyalty.domain.ids import is_id
from loyalty.domain.passes import Pass

logger = Logger(child=True)

PLAN_PAGE = 500
CHUNK = 25
# Recipients of a chunk handled at once: each waits on DynamoDB, APNs and Google, not on the CPU (the chunk's
# time is their latencies). Five keep a chunk's calls to Google within a handful at a time, with the campaign
# queue's five chunks at once (template.yaml) at most 25 in flight.
RECIPIENTS_AT_ONCE = 5
# SQS holds a message back at most 15 minutes (DelaySeconds 0..900).
MAX_DELAY_SECONDS = 900


def plan_delay(send_at: str, now: datetime) -> int:
    """How long the queue holds a campaign's plan back: until `sendAt`, 15 minutes at most a time."""
    return max(0, min(MAX_DELAY_SECONDS, int((parse_iso(send_at) - now).total_seconds() + 0.999)))


@dataclass(frozen=True)
class PlanCampaign:
    offer_id: str
    campaign_id: str
    after: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"kind": "plan", "offerId": self.offer_id, "campaignId": self.campaign_id, "after": self.after}


@dataclass(frozen=True)
class DeliverCampaign:
    offer_id: str
    campaign_id: str
    customer_ids: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": "deliver",
            "offerId": self.offer_id,
            "campaignId": self.campaign_id,
            "customerIds": list(self.customer_ids),
        }


@dataclass(frozen=True)
class GoogleLater:
    """A recipient's Google message held back by the pass's notification window."""

    offer_id: str
    campaign_id: str
    customer_id: str
    language: str = "en"
    # The recipient counts as delivered already (their Apple device took it): Google's 200 adds nothing.
    delivered: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": "google-later",
            "offerId": self.offer_id,
            "campaignId": self.campaign_id,
            "customerId": self.customer_id,
            "language": self.language,
            "delivered": self.delivered,
        }


@dataclass(frozen=True)
class NoticeLater:
    """A pass's own notifying Google message (a new tier, the expiry, the expiry reminder) the wallet sync could
    not send because the pass's three of the day were taken: it waits here until one frees, never dropped, and
    Google is never asked for a fourth. `kind` says what it announced: it is sent only while still true."""

    offer_id: str
    customer_id: str
    kind: str

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": "notice-later",
            "offerId": self.offer_id,
            "customerId": self.customer_id,
            "notice": self.kind,
        }


NOTICE_KINDS = ("tier", "expired", "reminder")

CampaignMessage = PlanCampaign | DeliverCampaign | GoogleLater | NoticeLater


class MalformedCampaignMessage(ValueError):
    """Not a message this module wrote; retrying it would never help."""


def parse_message(body: str) -> CampaignMessage:
    try:
        raw = json.loads(body)
    except ValueError:
        raise MalformedCampaignMessage("not JSON") from None
    if not isinstance(raw, Mapping):
        raise MalformedCampaignMessage("not an object")
    offer_id, campaign_id, kind = raw.get("offerId"), raw.get("campaignId"), raw.get("kind")
    if not (isinstance(offer_id, str) and is_id(offer_id, "off")):
        raise MalformedCampaignMessage("no offer")
    if kind == "notice-later":
        customer_id, notice = raw.get("customerId"), raw.get("notice")
        if isinstance(customer_id, str) and is_id(customer_id, "cus") and notice in NOTICE_KINDS:
            return NoticeLater(offer_id, customer_id, str(notice))
        raise MalformedCampaignMessage("bad notice")
    if not (isinstance(campaign_id, str) and is_id(campaign_id, "cmp")):
        raise MalformedCampaignMessage("no campaign")
    if kind == "plan":
        after = raw.get("after")
        if after is not None and not isinstance(after, str):
            raise MalformedCampaignMessage("bad position")
        return PlanCampaign(offer_id, campaign_id, after)
    if kind == "deliver":
        ids = raw.get("customerIds")
        if isinstance(ids, list) and ids and all(isinstance(c, str) and is_id(c, "cus") for c in ids):
            return DeliverCampaign(offer_id, campaign_id, tuple(ids))
        raise MalformedCampaignMessage("bad customers")
    if kind == "google-later":
        customer_id = raw.get("customerId")
        language = raw.get("language", "en")
        if isinstance(customer_id, str) and is_id(customer_id, "cus") and language in ("en", "ar"):
            return GoogleLater(offer_id, campaign_id, customer_id, language, raw.get("delivered") is True)
        raise MalformedCampaignMessage("bad customer")
    raise MalformedCampaignMessage("unknown kind")


@dataclass
class FanOutTally:
    sent: int = 0
    delivered: int = 0
    deferred: int = 0
    failed: int = 0
    items_read: int = 0
    later: list[tuple[GoogleLater, int]] = field(default_factory=list)

    def merge(self, other: FanOutTally) -> None:
        self.sent += other.sent
        self.delivered += other.delivered
        self.deferred += other.deferred
        self.failed += other.failed
        self.items_read += other.items_read
        self.later.extend(other.later)

    def counts(self) -> dict[str, int]:
        return {
            name: value
            for name, value in (
                ("sent", self.sent),
                ("delivered", self.delivered),
                ("deferred", self.deferred),
                ("failed", self.failed),
            )
            if value
        }


@dataclass(frozen=True)
class CampaignFanOut:
    campaigns: CampaignStore
    offers: OfferSource
    audience: CampaignAudience
    queue: CampaignQueue
    wallets: CampaignWallets | None
    window: NotificationWindow
    clock: Clock
    google_on: bool = False
    apple_on: bool = False
    plan_page: int = PLAN_PAGE
    notices: PassNotices | None = None

    def handle(self, message: CampaignMessage, time_left: Callable[[], bool] | None = None) -> FanOutTally:
        tally = FanOutTally()
        if isinstance(message, NoticeLater):
            self._notice_later(message, tally)
            return tally
        campaign = self.campaigns.get(message.offer_id, message.campaign_id)
        tally.items_read += 1
        if campaign is None or campaign.status is CampaignStatus.CANCELLED:
            return tally
        if isinstance(message, PlanCampaign):
            self._plan(campaign, message, tally)
        elif isinstance(message, DeliverCampaign):
            self._deliver(campaign, message, tally, time_left or (lambda: True))
        else:
            self._google_later(campaign, message, tally)
        return tally

    def _plan(self, campaign: Campaign, message: PlanCampaign, tally: FanOutTally) -> None:
        now = self.clock()
        if campaign.status is CampaignStatus.SCHEDULED:
            delay = plan_delay(campaign.send_at, now)
            if delay > 0:
                self.queue.send([message], delay_seconds=delay)
                return
            self.campaigns.move(campaign, CampaignStatus.SENDING)
        elif campaign.status is CampaignStatus.SENT and message.after is None:
            return  # a repeated first plan: the campaign was planned whole already
        offer = self.offers.get(campaign.offer_id)
        tally.items_read += 1
        if offer is None:
            return
        page = self.audience.page(
            offer, campaign.audience, at=to_iso(now), after=message.after, limit=self.plan_page
        )
        tally.items_read += page.items_read
        queued: list[PlanCampaign | DeliverCampaign | GoogleLater] = [
            DeliverCampaign(campaign.offer_id, campaign.campaign_id, tuple(page.customer_ids[i : i + CHUNK]))
            for i in range(0, len(page.customer_ids), CHUNK)
        ]
        if page.after is not None:
            queued.append(PlanCampaign(campaign.offer_id, campaign.campaign_id, page.after))
        if queued:
            self.queue.send(queued)
        if page.after is None:
            current = self.campaigns.get(campaign.offer_id, campaign.campaign_id)
            if current is not None and current.status is CampaignStatus.SENDING:
                self.campaigns.move(current, CampaignStatus.SENT)

    def _deliver(
        self, campaign: Campaign, message: DeliverCampaign, tally: FanOutTally, time_left: Callable[[], bool]
    ) -> None:
        at = self.clock()
        ids = message.customer_ids
        try:
            with ThreadPoolExecutor(RECIPIENTS_AT_ONCE) as pool:
                for start in range(0, len(ids), RECIPIENTS_AT_ONCE):
                    if not time_left():
                        self.queue.send(
                            [DeliverCampaign(campaign.offer_id, campaign.campaign_id, ids[start:])]
                        )
                        break
                    wave = ids[start : start + RECIPIENTS_AT_ONCE]
                    for one in pool.map(lambda customer_id: self._recipient(campaign, customer_id, at), wave):
                        tally.merge(one)
        finally:
            for later, delay in tally.later:
                self.queue.send([later], delay_seconds=delay)
            counts = tally.counts()
            if counts:
                self.campaigns.add_counts(campaign, counts)

    def _recipient(self, campaign: Campaign, customer_id: str, at: datetime) -> FanOutTally:
        """One recipient's delivery, on a tally of its own (recipients of a wave run at once)."""
        tally = FanOutTally()
        pass_ = self.audience.mark(customer_id, campaign, to_iso(at))
        if pass_ is None:
            return tally
        tally.sent += 1
        delivered = failed = False
        if self.apple_on and self.wallets is not None:
            try:
                delivered = self.wallets.apple(pass_) > 0
            except Exception:
                logger.exception("campaign push failed", extra={"campaignId": campaign.campaign_id})
                failed = True
        if self.google_on and self.wallets is not None:
            outcome = self._google(campaign, pass_, at, tally, delivered)
            delivered = delivered or outcome is True
            failed = failed or outcome is False
        if delivered:
            tally.delivered += 1
        elif failed:
            tally.failed += 1
        return tally

    def _google(
        self, campaign: Campaign, pass_: Pass, at: datetime, tally: FanOutTally, delivered: bool
    ) -> bool | None:
        """True when Google took the message, False when it failed, None when it waits for the window."""
        frees = self.window.take(pass_.customer_id, campaign.offer_id, at)
        if frees is not None:
            tally.deferred += 1
            later = GoogleLater(
                campaign.offer_id,
                campaign.campaign_id,
                pass_.customer_id,
                pass_.preferred_language,
                delivered,
            )
            tally.later.append((later, plan_delay(to_iso(frees), at) or 1))
            return None
        return self._send_google(campaign, pass_.customer_id, pass_.preferred_language)

    def _send_google(self, campaign: Campaign, customer_id: str, language: str) -> bool:
        if self.wallets is None:
            return False
        try:
            self.wallets.google(customer_id, campaign, language)
        except Exception:
            logger.exception("campaign Google message failed", extra={"campaignId": campaign.campaign_id})
            return False
        return True

    def _notice_later(self, message: NoticeLater, tally: FanOutTally) -> None:
        if self.notices is None:
            return
        at = self.clock()
        frees = self.window.take(message.customer_id, message.offer_id, at)
        if frees is not None:
            tally.deferred += 1
            # Still the one waiting for this pass: a notice held meanwhile would only repeat it.
            self.window.hold(message.customer_id, message.offer_id, frees, frees)
            self.queue.send([message], delay_seconds=plan_delay(to_iso(frees), at) or 1)
            return
        if self.notices.notify(message.customer_id, message.offer_id, message.kind):
            tally.delivered += 1

    def _google_later(self, campaign: Campaign, message: GoogleLater, tally: FanOutTally) -> None:
        at = self.clock()
        frees = self.window.take(message.customer_id, message.offer_id, at)
        if frees is not None:
            self.queue.send([message], delay_seconds=plan_delay(to_iso(frees), at) or 1)
            return
        if self._send_google(campaign, message.customer_id, message.language):
            if not message.delivered:
                tally.delivered += 1
                self.campaigns.add_counts(campaign, {"delivered": 1})
        else:
            tally.failed += 1
            self.campaigns.add_counts(campaign, {"failed": 1})
