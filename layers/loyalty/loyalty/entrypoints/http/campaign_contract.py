"""The campaign routes' bodies and answers (docs/API.md "Consent and campaigns")."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field
from pydantic.json_schema import SkipJsonSchema

from loyalty.domain.campaigns import MAX_MESSAGE, MOMENT_PATTERN, CampaignNotFound
from loyalty.entrypoints.http.wire import ContractModel, id_path, known_id

# A campaign id that cannot be one is the route's 404, as an unknown one is (never a 422).
CampaignId = Annotated[str, id_path("cmp", "Campaign"), BeforeValidator(known_id("cmp", CampaignNotFound))]

SegmentName = Literal["ALL", "TIER", "BRANCH", "REWARD_READY", "EXPIRING_SOON", "AT_RISK"]


class CampaignAudienceAnswer(ContractModel, title="CampaignAudience"):
    segment: SegmentName = Field(
        description="All active members, a tier, a branch's regulars (most stamps of their cycle there), full "
        "cards, members near the inactivity limit, or members at risk"
    )
    tier_id: str | SkipJsonSchema[None] = Field(default=None, max_length=64, description="For TIER")
    branch_id: str | SkipJsonSchema[None] = Field(default=None, max_length=64, description="For BRANCH")


# The document states these rules; loyalty.domain.campaigns checks them, with readable messages.
# What loyalty.domain.campaigns.message_problem refuses as control characters: Unicode's Cc (C0, DEL, C1) and the
# bidirectional embeddings, overrides and isolates. (Its markup rule needs a look-ahead, which the generators of
# this document's readers do not all take: it is stated in the description.)
_NO_CONTROLS = r"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"


class CampaignDraft(ContractModel):
    message: str = Field(
        min_length=1,
        max_length=MAX_MESSAGE,
        json_schema_extra={"pattern": _NO_CONTROLS},
        description="Plain text: no HTML tags or entities, no control characters",
    )
    message_ar: str = Field(
        min_length=1,
        max_length=MAX_MESSAGE,
        json_schema_extra={"pattern": _NO_CONTROLS},
        description="The message in Arabic",
    )
    audience: CampaignAudienceAnswer
    send_at: str | SkipJsonSchema[None] = Field(
        default=None,
        max_length=40,
        json_schema_extra={"pattern": MOMENT_PATTERN},
        description="ISO-8601 with its time zone, in the future and within 90 days; absent: now",
    )


class CampaignCounts(ContractModel):
    sent: int = Field(description="Recipients (members of the audience who said yes to offers and news)")
    delivered: int = Field(description="Recipients whose wallet took it (APNs 200 or Google 200)")
    fetched: int = Field(description="Apple devices that then downloaded the new pass")
    deferred: int = Field(description="Google messages held back by its 3-a-day notification limit")
    failed: int
    won_back: int = Field(description="Recipients who visited within 14 days")


class CampaignAnswer(ContractModel, title="Campaign"):
    campaign_id: str
    offer_id: str
    message: str
    message_ar: str
    audience: CampaignAudienceAnswer
    audience_size: int = Field(description="Active members of the audience when it was created")
    status: Literal["SCHEDULED", "SENDING", "SENT", "CANCELLED"]
    send_at: str
    counts: CampaignCounts
    created_at: str


class CampaignPage(ContractModel):
    items: list[CampaignAnswer] = Field(description="The offer's campaigns, newest first")
    next_cursor: str | None = Field(description="Pass it as `cursor` for the next page; null on the last")


class AudienceSize(ContractModel):
    audience_size: int = Field(description="Active members of the audience now")
