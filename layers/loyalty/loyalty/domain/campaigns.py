"""Campaigns: a bilingual message an owner sends to the wallets of an audience of an offer's members.

Rules the domain owns:
- a message is 1..160 characters of plain text in each language (what a lock-screen notification shows whole);
  markup (`<tag>`, `&entity;`) and control characters, bidirectional overrides included, are refused rather than
  cleaned: a wallet shows text as it is, so what the owner typed must be what the customer reads;
- `sendAt`, when given, is in the future (at most MAX_SCHEDULE_DAYS ahead);
- a business sends at most WEEKLY_ALLOWANCE campaigns a calendar week (Monday 00:00 UTC), scheduled or not
  (decision 0025a says why three);
- only members who said yes to offers and news (`marketingConsent`) receive one, each at most once."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from loyalty.domain.clock import parse_iso, to_iso
from loyalty.domain.errors import FieldError, NotFound, TooSoon, ValidationFailed

MAX_MESSAGE = 160
WEEKLY_ALLOWANCE = 3
MAX_SCHEDULE_DAYS = 90
# Visits within this many days after a campaign's send count it as having won the member back.
WON_BACK_DAYS = 14

# A moment with its time zone (what `sendAt` must be; the contract's pattern is this one).
MOMENT_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$"
MOMENT = re.compile(MOMENT_PATTERN)
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?]|&(#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")
# Bidirectional embeddings, overrides and isolates: they reorder what a reader sees (a spoofing tool); the
# marks Arabic text uses (U+200E, U+200F, U+061C) stay allowed.
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


class Segment(StrEnum):
    ALL = "ALL"
    TIER = "TIER"
    BRANCH = "BRANCH"
    REWARD_READY = "REWARD_READY"
    EXPIRING_SOON = "EXPIRING_SOON"
    AT_RISK = "AT_RISK"


class CampaignStatus(StrEnum):
    SCHEDULED = "SCHEDULED"
    SENDING = "SENDING"
    SENT = "SENT"
    CANCELLED = "CANCELLED"


COUNTS = ("sent", "delivered", "fetched", "deferred", "failed", "wonBack")


@dataclass(frozen=True)
class Audience:
    segment: Segment
    tier_id: str | None = None
    branch_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        answer: dict[str, Any] = {"segment": self.segment.value}
        if self.tier_id is not None:
            answer["tierId"] = self.tier_id
        if self.branch_id is not None:
            answer["branchId"] = self.branch_id
        return answer


@dataclass(frozen=True)
class Campaign:
    campaign_id: str
    offer_id: str
    business_id: str
    message: str
    message_ar: str
    audience: Audience
    audience_size: int
    status: CampaignStatus
    send_at: str
    created_at: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))

    def message_in(self, language: str) -> str:
        return self.message_ar if language == "ar" else self.message

    def with_counts(self, counts: dict[str, int]) -> Campaign:
        return replace(self, counts={name: int(counts.get(name, 0)) for name in COUNTS})

    def as_dict(self) -> dict[str, Any]:
        return {
            "campaignId": self.campaign_id,
            "offerId": self.offer_id,
            "message": self.message,
            "messageAr": self.message_ar,
            "audience": self.audience.as_dict(),
            "audienceSize": self.audience_size,
            "status": self.status.value,
            "sendAt": self.send_at,
            "counts": {name: int(self.counts.get(name, 0)) for name in COUNTS},
            "createdAt": self.created_at,
        }


class CampaignNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such campaign.", code="CAMPAIGN_NOT_FOUND")


class CampaignLimit(TooSoon):
    def __init__(self, retry_after_seconds: int, next_week: str) -> None:
        super().__init__(
            f"This business has sent its {WEEKLY_ALLOWANCE} campaigns of the week; the next may go from {next_week}.",
            code="CAMPAIGN_LIMIT",
            retry_after_seconds=retry_after_seconds,
            details=[FieldError("sendAt", f"the weekly allowance of {WEEKLY_ALLOWANCE} campaigns is spent")],
        )


def message_problem(text: str) -> str | None:
    """Why `text` cannot be a campaign message, or None when it can."""
    if not text.strip():
        return "must not be empty"
    if len(text) > MAX_MESSAGE:
        return f"must be at most {MAX_MESSAGE} characters"
    if any(unicodedata.category(c) == "Cc" or c in _BIDI_CONTROLS for c in text):
        return "must not contain control characters (line breaks, tabs, direction overrides)"
    if _MARKUP.search(text):
        return "must be plain text, without HTML tags or entities"
    return None


def week_of(moment: datetime) -> tuple[str, datetime]:
    """The calendar week (UTC) holding `moment`: its Monday as YYYY-MM-DD, and the next Monday 00:00."""
    monday = (moment - timedelta(days=moment.weekday())).date()
    following = datetime(monday.year, monday.month, monday.day, tzinfo=moment.tzinfo) + timedelta(days=7)
    return monday.isoformat(), following


def campaign_limit(now: datetime) -> CampaignLimit:
    _, following = week_of(now)
    return CampaignLimit(max(1, int((following - now).total_seconds())), to_iso(following))


def new_campaign(
    *,
    campaign_id: str,
    offer_id: str,
    business_id: str,
    message: str,
    message_ar: str,
    audience: Audience,
    send_at: str | None,
    now: datetime,
) -> Campaign:
    """A campaign as the owner asked for it, or ValidationFailed naming every field at fault."""
    problems: list[FieldError] = []
    for name, text in (("message", message), ("messageAr", message_ar)):
        problem = message_problem(text)
        if problem is not None:
            problems.append(FieldError(name, problem))
    if audience.segment is Segment.TIER and not audience.tier_id:
        problems.append(FieldError("audience.tierId", "is required for the TIER segment"))
    if audience.segment is Segment.BRANCH and not audience.branch_id:
        problems.append(FieldError("audience.branchId", "is required for the BRANCH segment"))
    if audience.segment is not Segment.TIER and audience.tier_id is not None:
        problems.append(FieldError("audience.tierId", "is only for the TIER segment"))
    if audience.segment is not Segment.BRANCH and audience.branch_id is not None:
        problems.append(FieldError("audience.branchId", "is only for the BRANCH segment"))
    when = now
    if send_at is not None:
        try:
            if not MOMENT.fullmatch(send_at):
                raise ValueError(send_at)
            when = parse_iso(send_at)
        except ValueError:
            problems.append(FieldError("sendAt", "must be an ISO-8601 moment with its time zone"))
        else:
            if when <= now:
                problems.append(FieldError("sendAt", "must be in the future"))
            elif when > now + timedelta(days=MAX_SCHEDULE_DAYS):
                problems.append(FieldError("sendAt", f"must be within {MAX_SCHEDULE_DAYS} days"))
    if problems:
        raise ValidationFailed(problems)
    return Campaign(
        campaign_id=campaign_id,
        offer_id=offer_id,
        business_id=business_id,
        message=message.strip(),
        message_ar=message_ar.strip(),
        audience=audience,
        audience_size=0,
        status=CampaignStatus.SCHEDULED if send_at is not None else CampaignStatus.SENDING,
        send_at=to_iso(when),
        created_at=to_iso(now),
    )
