"""Ports of campaigns: where they are kept, who their audience is, and how a recipient's wallets hear of one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from loyalty.app.idempotency import IdempotentRequest, StoredAnswer
from loyalty.app.ports.wallets import PassAddress
from loyalty.domain.campaigns import Audience, Campaign, CampaignStatus
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass

if TYPE_CHECKING:
    from loyalty.app.campaigns.fanout import CampaignMessage


class AllowanceSpent(Exception):
    """The business's campaigns of the week are all sent (the store's condition refused one more)."""


@dataclass(frozen=True)
class CampaignsRead:
    campaigns: list[Campaign]
    next_cursor: str | None


class CampaignStore(Protocol):
    def stored_answer(self, request: IdempotentRequest) -> StoredAnswer | None:
        """The first answer under this key (IdempotencyKeyReused when it came with another body)."""
        ...

    def add(
        self,
        campaign: Campaign,
        *,
        week: str,
        allowance: int,
        request: IdempotentRequest | None,
        answer: StoredAnswer,
        ttl_hours: int,
    ) -> StoredAnswer:
        """Keep the campaign, take one of the week's allowance and remember the answer, all or nothing;
        AllowanceSpent when the week's allowance is gone; the stored answer when the key was taken meanwhile."""
        ...

    def get(self, offer_id: str, campaign_id: str) -> Campaign | None: ...

    def page(self, offer_id: str, *, limit: int, cursor: str | None) -> CampaignsRead: ...

    def add_counts(self, campaign: Campaign, counts: dict[str, int]) -> None:
        """Add to the campaign's counts (atomic increments: concurrent chunks lose none)."""
        ...

    def move(self, campaign: Campaign, to: CampaignStatus, *, audience_size: int | None = None) -> bool:
        """Move the campaign to `to` from the status it has in `campaign`; False when it moved meanwhile."""
        ...


@dataclass(frozen=True)
class RecipientPage:
    customer_ids: list[str]
    # Where the next page starts (opaque), None at the audience's end.
    after: str | None
    items_read: int


class CampaignAudience(Protocol):
    def page(
        self, offer: Offer, audience: Audience, *, at: str, after: str | None, limit: int
    ) -> RecipientPage:
        """One page of the audience's active members (consent is judged by `mark`)."""
        ...

    def size(self, offer: Offer, audience: Audience, *, at: str) -> int:
        """How many active members with marketing consent the audience holds now."""
        ...

    def mark(self, customer_id: str, campaign: Campaign, at: str) -> Pass | None:
        """Give the pass the campaign's message if it is active, its holder consents, and it has not had this
        campaign yet (one conditional write, answering the pass as written); None when it was not."""
        ...


class CampaignWallets(Protocol):
    def apple(self, pass_: Pass) -> int:
        """Push to the pass's Apple devices; how many APNs accepted (PushFailed when one refused)."""
        ...

    def google(self, customer_id: str, campaign: Campaign, language: str) -> None:
        """Add the campaign's message to the pass's Google object, notifying (TEXT_AND_NOTIFY)."""
        ...


class NotificationWindow(Protocol):
    """Google's 3 notifying updates a pass in 24 hours, kept on our side so Google never refuses one."""

    def take(self, customer_id: str, offer_id: str, at: datetime) -> datetime | None:
        """Take one of the pass's notifications at `at`: None when taken, else when the next one frees."""
        ...

    def hold(self, customer_id: str, offer_id: str, until: datetime, at: datetime) -> bool:
        """Note that one of the pass's own notices waits until `until`; False when one already waits (it will
        send the pass's news as they stand then, so a second would only repeat it)."""
        ...


class CampaignQueue(Protocol):
    def send(self, messages: Sequence[CampaignMessage], delay_seconds: int = 0) -> None: ...


class CampaignOutcomes(Protocol):
    """What became of a campaign after it reached a pass, each counted once (adapters/dynamodb/campaign_outcomes)."""

    def fetched(self, address: PassAddress, campaign_id: str, reached_at: str) -> bool:
        """One Apple device fetched the pass after the campaign's push; False when not counted."""
        ...

    def won_back(self, address: PassAddress, campaign_id: str, at: str) -> bool:
        """The recipient visited within 14 days after the campaign; False when counted already."""
        ...


class PassNotices(Protocol):
    """A pass's own notifying Google message, sent after it waited for the pass's notification window."""

    def notify(self, customer_id: str, offer_id: str, kind: str) -> bool:
        """Send the pass's `kind` notice ("tier", "expired", "reminder") if the pass still shows it; False when
        it no longer does (a later change made it stale) or the pass is gone."""
        ...


class CampaignTexts(Protocol):
    """A campaign as the pass's back shows it (its texts live on the campaign item, read off the scan path)."""

    def get(self, offer_id: str, campaign_id: str) -> Campaign | None: ...
