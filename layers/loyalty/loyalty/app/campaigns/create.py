"""Campaigns of an offer, for its owner: create (now or scheduled), list newest first, read one.

A new campaign is checked whole before anything is kept (its messages, its audience against this business's
ladder and branches, its schedule), then kept with one transaction that also takes one of the business's weekly
allowance and remembers the Idempotency-Key's answer: a refusal leaves nothing behind and sends nothing. The
fan-out (app/campaigns/fanout.py) starts from one message on the campaign queue, delayed until `sendAt`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from loyalty.app.campaigns.fanout import PlanCampaign, plan_delay
from loyalty.app.idempotency import IdempotentRequest, StoredAnswer
from loyalty.app.ports.campaigns import (
    AllowanceSpent,
    CampaignAudience,
    CampaignQueue,
    CampaignsRead,
    CampaignStore,
)
from loyalty.app.ports.offers import OfferSource
from loyalty.app.ports.staff import BranchNames
from loyalty.domain.campaigns import (
    WEEKLY_ALLOWANCE,
    Audience,
    Campaign,
    CampaignNotFound,
    Segment,
    campaign_limit,
    new_campaign,
    week_of,
)
from loyalty.domain.clock import Clock, parse_iso, to_iso
from loyalty.domain.errors import FieldError, ValidationFailed
from loyalty.domain.ids import is_id, new_id
from loyalty.domain.offers import Offer, OfferNotFound


@dataclass(frozen=True)
class CampaignDesk:
    campaigns: CampaignStore
    offers: OfferSource
    audience: CampaignAudience
    branches: BranchNames
    queue: CampaignQueue
    clock: Clock
    ttl_hours: int = 24
    new_campaign_id: Callable[[], str] = lambda: new_id("cmp")

    def _offer(self, business_id: str, offer_id: str) -> Offer:
        offer = self.offers.get(offer_id) if is_id(offer_id, "off") else None
        if offer is None or offer.business_id != business_id:
            raise OfferNotFound()
        return offer

    def create(
        self, business_id: str, offer_id: str, body: dict[str, Any], idempotency_key: str | None
    ) -> StoredAnswer:
        """202 and the campaign; under an Idempotency-Key a retry gets the first answer (and nothing more is sent),
        the key with another body is 422 IDEMPOTENCY_KEY_REUSED."""
        offer = self._offer(business_id, offer_id)
        request = (
            IdempotentRequest.of(
                f"{business_id}#campaigns", idempotency_key, "create-campaign", [offer_id, body]
            )
            if idempotency_key is not None
            else None
        )
        if request is not None:
            stored = self.campaigns.stored_answer(request)
            if stored is not None:
                self._start_again(stored)
                return stored
        now = self.clock()
        raw_audience = body.get("audience") or {}
        audience = Audience(
            Segment(raw_audience["segment"]), raw_audience.get("tierId"), raw_audience.get("branchId")
        )
        campaign = new_campaign(
            campaign_id=self.new_campaign_id(),
            offer_id=offer.offer_id,
            business_id=business_id,
            message=str(body.get("message", "")),
            message_ar=str(body.get("messageAr", "")),
            audience=audience,
            send_at=body.get("sendAt"),
            now=now,
        )
        self._check_audience(offer, audience)
        sized = replace(campaign, audience_size=self.audience.size(offer, audience, at=to_iso(now)))
        answer = StoredAnswer(202, sized.as_dict())
        week, _ = week_of(parse_iso(sized.send_at))
        try:
            kept = self.campaigns.add(
                sized,
                week=week,
                allowance=WEEKLY_ALLOWANCE,
                request=request,
                answer=answer,
                ttl_hours=self.ttl_hours,
            )
        except AllowanceSpent:
            raise campaign_limit(parse_iso(sized.send_at) if sized.send_at > to_iso(now) else now) from None
        self._start_again(kept)
        return kept

    def _start_again(self, answer: StoredAnswer) -> None:
        """Queue the campaign's plan (again, for a replay: a plan is harmless twice, each recipient is marked once,
        and a retry is how a lost queue message is recovered)."""
        body = answer.body
        if answer.status != 202 or not isinstance(body.get("campaignId"), str):
            return
        plan = PlanCampaign(str(body["offerId"]), str(body["campaignId"]))
        self.queue.send([plan], delay_seconds=plan_delay(str(body["sendAt"]), self.clock()))

    def _check_audience(self, offer: Offer, audience: Audience) -> None:
        if audience.tier_id is not None and audience.tier_id not in {t.id for t in offer.ladder.tiers}:
            raise ValidationFailed([FieldError("audience.tierId", "is not a tier of this offer's ladder")])
        if audience.branch_id is not None and audience.branch_id not in self.branches.branch_names(
            offer.business_id
        ):
            raise ValidationFailed([FieldError("audience.branchId", "is not a branch of this business")])

    def audience_size(self, business_id: str, offer_id: str, audience: Audience) -> int:
        offer = self._offer(business_id, offer_id)
        self._check_audience(offer, audience)
        return self.audience.size(offer, audience, at=to_iso(self.clock()))

    def get(self, business_id: str, offer_id: str, campaign_id: str) -> Campaign:
        self._offer(business_id, offer_id)
        found = self.campaigns.get(offer_id, campaign_id) if is_id(campaign_id, "cmp") else None
        if found is None or found.business_id != business_id:
            raise CampaignNotFound()
        return found

    def page(self, business_id: str, offer_id: str, *, limit: int, cursor: str | None) -> CampaignsRead:
        self._offer(business_id, offer_id)
        return self.campaigns.page(offer_id, limit=limit, cursor=cursor)
