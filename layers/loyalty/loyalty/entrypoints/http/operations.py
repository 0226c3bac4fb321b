"""The typed contract of running the business (API.md: offer editing, void, members, history, stats, erasure,
customer credentials, pass preview): request and answer models on the base and blocks of `contract.py`.

As there, requests are validated by the domain first (every problem at once, at its place in the request), and
answer models forbid fields they do not declare, so the OpenAPI document says exactly what goes over the wire."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from loyalty.app.offers.commands import PreviewPass
from loyalty.app.passes.preview import parse_preview_request
from loyalty.domain.offers import OfferChanges, parse_offer_edit
from loyalty.domain.tiers import TierConfig
from loyalty.entrypoints.http.brand_contract import BrandDraft
from loyalty.entrypoints.http.contract import (
    NOT_ONLY_SPACES,
    ContractModel,
    TierConfigDraft,
    TierStandingAnswer,
    document_zones,
)


# ------------------------------------------------------------------------------------------------ requests
class OfferEdit(ContractModel):
    """The body of PATCH /api/offers/{offerId}: any of these fields, at least one; unknown fields are refused
    (422)."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1})

    name: (
        Annotated[str, Field(min_length=1, max_length=80, pattern=NOT_ONLY_SPACES)] | SkipJsonSchema[None]
    ) = None
    name_ar: str | None = Field(default=None, max_length=80, description="Empty or null removes it")
    reward_description: str | None = Field(default=None, max_length=200)
    reward_description_ar: str | None = Field(default=None, max_length=200)
    stamps_required: Annotated[int, Field(ge=1, le=50)] | SkipJsonSchema[None] = Field(
        default=None, description="Applies to each pass from its next cycle"
    )
    min_minutes_between_stamps: Annotated[int, Field(ge=0, le=1440)] | SkipJsonSchema[None] = None
    expiry_reminder_days: Annotated[int, Field(ge=0, le=60)] | SkipJsonSchema[None] = None
    timezone: Annotated[str, Field(json_schema_extra=document_zones)] | SkipJsonSchema[None] = Field(
        default=None, description="IANA time zone name"
    )
    status: Literal["ACTIVE", "ARCHIVED"] | SkipJsonSchema[None] = None
    brand: BrandDraft | None = Field(
        default=None,
        description="The offer's own brand (fields left out: what the offer wears now); null wears the business's",
    )

    _edit: OfferChanges = PrivateAttr()

    @model_validator(mode="wrap")
    @classmethod
    def _domain_rules(cls, raw: Any, handler: ModelWrapValidatorHandler[OfferEdit]) -> OfferEdit:
        if isinstance(raw, cls):
            return raw
        edit = parse_offer_edit(raw)
        model = handler({key: getattr(value, "value", value) for key, value in edit.changes.items()})
        model._edit = edit
        return model

    @property
    def edit(self) -> OfferChanges:
        """The fields the request named, as the domain parsed them (a text sent empty names a removal)."""
        return self._edit


class PassPreviewRequest(ContractModel):
    loyalty_tiers: TierConfigDraft | SkipJsonSchema[None] = Field(
        default=None,
        description="A draft ladder, validated as PUT /loyalty-tiers validates it; absent: the saved one",
    )
    current_stamps: int = Field(default=0, ge=0, le=50, description="At most the offer's stampsRequired")
    rewards_claimed: int = Field(default=0, ge=0, le=10_000)
    language: Literal["en", "ar"] = "en"
    brand: BrandDraft | SkipJsonSchema[None] = Field(
        default=None,
        description="A draft brand worn instead of the saved one, checked as PATCH checks it (422 LOW_CONTRAST, "
        "IMAGE_INVALID); fields left out: what the offer wears now; absent: the saved brand. Nothing is saved",
    )
    _parsed: tuple[TierConfig | None, int, int, str] = PrivateAttr()
    _brand: Mapping[str, Any] | None = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _domain_rules(
        cls, raw: Any, handler: ModelWrapValidatorHandler[PassPreviewRequest]
    ) -> PassPreviewRequest:
        if isinstance(raw, cls):
            return raw
        # Every problem at once, the draft ladder's at `loyaltyTiers.tiers[i]...`; the offer's own bound on
        # currentStamps is checked once the offer is read.
        draft, stamps, rewards, language = parse_preview_request(raw, stamps_required=None)
        drafted = {"loyaltyTiers": draft} if draft is not None else {}
        brand = raw.get("brand") if isinstance(raw, Mapping) else None
        drafted |= {"brand": brand} if brand is not None else {}
        model = handler({**drafted, "currentStamps": stamps, "rewardsClaimed": rewards, "language": language})
        model._parsed = (draft, stamps, rewards, language)
        model._brand = brand
        return model

    def command(self, business_id: str, offer_id: str) -> PreviewPass:
        draft, stamps, rewards, language = self._parsed
        return PreviewPass(business_id, offer_id, draft, stamps, rewards, language, brand=self._brand)


# ------------------------------------------------------------------------------------------------ answers


class AppleField(ContractModel):
    """One field of the pass, its texts in the asked language."""

    key: str
    label: str
    value: str | int
    change_message: str | SkipJsonSchema[None] = None
    date_style: str | SkipJsonSchema[None] = None
    time_style: str | SkipJsonSchema[None] = None


class ApplePreview(ContractModel):
    background_color: str
    foreground_color: str
    label_color: str
    organization_name: str | SkipJsonSchema[None] = Field(
        default=None, description="pass.json's organizationName"
    )
    logo_text: str | SkipJsonSchema[None] = Field(default=None, description="pass.json's logoText")
    logo_url: str | None = Field(default=None, description="The logo the pass wears, where it is served")
    strip_url: str | None = Field(
        default=None, description="The strip image the pass wears, where it is served"
    )
    header_fields: list[AppleField]
    primary_fields: list[AppleField]
    secondary_fields: list[AppleField]
    auxiliary_fields: list[AppleField]
    back_fields: list[AppleField]


class GooglePreview(ContractModel):
    loyalty_points: dict[str, Any]
    text_modules_data: list[dict[str, Any]]
    issuer_name: str | SkipJsonSchema[None] = Field(default=None, description="The class's issuerName")
    hex_background_color: str | None = Field(default=None, description="The class's hexBackgroundColor")
    program_logo_url: str | None = Field(default=None, description="The class's programLogo address")
    hero_image_url: str | None = Field(default=None, description="The class's heroImage address")


class PassPreview(ContractModel):
    apple: ApplePreview
    google: GooglePreview
    tier: TierStandingAnswer


# ---------------------------------------------------------------------------------------------- parameters
