"""The blocks several answers share (docs/API.md): where a card stands, its tier standing, a brand. Apart from
`contract` so that a read (members, history) declares its answer without loading every route's models."""

from __future__ import annotations

from pydantic import Field

from loyalty.entrypoints.http.wire import ContractModel


class Progress(ContractModel):
    current_stamps: int = Field(ge=0)
    max_stamps: int = Field(ge=1)
    rewards_claimed: int = Field(ge=0)
    stamps_earned: int = Field(ge=0, description="Same as currentStamps (the seed answer's name)")
    stamps_required: int = Field(ge=1, description="Same as maxStamps (the seed answer's name)")


class TierSummary(ContractModel):
    id: str
    name: str
    name_ar: str
    icon: str


class TierStandingAnswer(ContractModel, title="TierStanding"):
    current_tier: TierSummary | None
    rewards_claimed: int = Field(ge=0)
    rewards_to_next_tier: int | None
    next_tier: TierSummary | None
    is_top_tier: bool


HEX_COLOR = r"^#[0-9A-Fa-f]{6}$"


class BrandAnswer(ContractModel, title="Brand"):
    """docs/API.md "Brand" (edited through entrypoints/http/brand_contract.py's models)."""

    logo_image_id: str | None
    icon_image_id: str | None
    strip_image_id: str | None
    background_color: str = Field(pattern=HEX_COLOR)
    foreground_color: str = Field(pattern=HEX_COLOR)
    label_color: str = Field(pattern=HEX_COLOR)
    logo_url: str | None = Field(description="Read-only: where the logo is served (the web origin)")
