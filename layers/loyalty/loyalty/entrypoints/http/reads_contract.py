"""The answers of the business's reads (docs/API.md): a pass's history, the members list, an offer's stats.
Apart from `operations` (the offer edit, the preview, the void) so that a read loads only its own models."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from loyalty.entrypoints.http.blocks import Progress, TierStandingAnswer
from loyalty.entrypoints.http.wallet_contract import MemberWallet, WalletCountsAnswer
from loyalty.entrypoints.http.wire import ContractModel


class HistoryEventAnswer(ContractModel, title="HistoryEvent"):
    event_id: str
    kind: Literal["ENROLL", "REACTIVATE", "STAMP", "VOID", "PRIZE", "EXPIRE", "ERASE"]
    at: str = Field(description="ISO-8601 UTC")
    actor: str | None = Field(description="Who: the user's sub, `customer`, or `system:expiry`")
    branch_id: str | None
    branch_name: str | None = Field(
        description="The branch's name, null for none or one the business no longer has"
    )
    reason: str | None = Field(description="Why a stamp was voided")
    current_stamps: int = Field(ge=0)
    rewards_claimed: int = Field(ge=0)
    lifetime_stamps: int = Field(ge=0)


class HistoryPageAnswer(ContractModel, title="HistoryPage"):
    items: list[HistoryEventAnswer]
    next_cursor: str | None


class Member(ContractModel):
    customer_id: str
    name: str
    email: str = Field(description="Masked (`j***@e***.com`) for managers")
    preferred_language: Literal["en", "ar"]
    status: Literal["ACTIVE", "EXPIRED"]
    progress: Progress
    tier: TierStandingAnswer
    reward_ready: bool
    last_activity_at: str
    member_since: str
    short_code: str = Field(description="Printed under the pass's barcode")
    offer_name: str
    marketing_consent: bool = Field(description="Offers and news on the card (campaigns reach only these)")
    marketing_consent_at: str | None = Field(description="When the customer last gave their answer")
    at_risk: bool = Field(
        description="Past twice their usual gap between visits (ACTIVE, two visits or more)"
    )
    wallet: MemberWallet = Field(description="What became of the pass's wallet updates")


class MembersPage(ContractModel):
    items: list[Member]
    next_cursor: str | None


class StatsTotals(ContractModel):
    enrollments: int
    stamps: int
    voids: int
    prizes: int
    tier_upgrades: int
    expired: int
    reactivated: int
    won_back: int = Field(
        description="Visits that were the first within 14 days after the pass's expiry reminder or a campaign"
    )
    at_risk: int = Field(
        description="Active members at risk now (to the UTC day; the members' AT_RISK segment)"
    )
    expiring_soon: int = Field(
        description="Active members within 14 days of the inactivity limit now (to the UTC day)"
    )


class StatsDay(ContractModel):
    date: str = Field(description="YYYY-MM-DD in the offer's time zone")
    enrollments: int
    stamps: int
    voids: int
    prizes: int


class StatsBranch(ContractModel):
    branch_id: str
    branch_name: str | None = Field(description="The branch's name, null for one the business no longer has")
    stamps: int
    voids: int
    prizes: int


class TierCount(ContractModel):
    tier_id: str
    name: str
    name_ar: str
    icon: str
    count: int


class StatsMembers(ContractModel):
    active: int
    expired: int
    reward_ready: int
    by_tier: list[TierCount]
    no_tier: int


class OfferStats(ContractModel):
    offer_id: str
    from_: str = Field(alias="from")
    to: str
    timezone: str
    totals: StatsTotals
    daily: list[StatsDay]
    by_branch: list[StatsBranch]
    members: StatsMembers
    wallets: WalletCountsAnswer = Field(description="The offer's passes in the wallets now")
