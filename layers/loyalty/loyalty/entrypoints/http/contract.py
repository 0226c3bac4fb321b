"""The typed HTTP contract (docs/API.md) shared by every route: the one error body, the answers' common blocks,
path and header parameters, and `responses()`, which declares every status a route gives.

Why models here when the domain builds the answers as dicts: the OpenAPI document, the generated TypeScript client
and the fuzzer that checks the running stack all read these models, so they must say exactly what goes over the
wire (camelCase names, which fields may be null, which may be absent). Answer models forbid unknown fields: a field
the domain adds without saying so here is caught by the contract tests, not by a dashboard in production.

Path ids carry their shape (`loyalty.domain.ids`) and a length bound in the document, but a malformed id is still
answered as the unknown resource it is (404 with the route's code, as before), not as a 422: to a client an id is
opaque, and "no such pass" is the truth either way.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    StrictBool,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from loyalty.app.passes.commands import Enroll
from loyalty.domain.customers import bmp_class, email_pattern, name_pattern, parse_email, parse_name
from loyalty.domain.offers import OfferTerms, parse_offer_terms
from loyalty.domain.tiers import TierConfig, parse_tier_config
from loyalty.entrypoints.http.blocks import BrandAnswer as BrandAnswer
from loyalty.entrypoints.http.blocks import Progress as Progress
from loyalty.entrypoints.http.blocks import TierStandingAnswer as TierStandingAnswer
from loyalty.entrypoints.http.blocks import TierSummary as TierSummary
from loyalty.entrypoints.http.credential_contract import IssuanceStarted as IssuanceStarted
from loyalty.entrypoints.http.params import IdempotencyKey as IdempotencyKey
from loyalty.entrypoints.http.params import OfferId as OfferId
from loyalty.entrypoints.http.params import PassCustomerId as PassCustomerId
from loyalty.entrypoints.http.params import PassOfferId as PassOfferId
from loyalty.entrypoints.http.pass_contract import PassConflictBody as PassConflictBody
from loyalty.entrypoints.http.pass_contract import ScanAnswer as ScanAnswer
from loyalty.entrypoints.http.render import tier_config_block
from loyalty.entrypoints.http.wire import ContractModel as ContractModel
from loyalty.entrypoints.http.wire import document_pattern as document_pattern
from loyalty.entrypoints.http.wire import document_zones as document_zones

# A text the domain trims (`str.strip`) must keep a character that is not a space as Python counts spaces (which
# includes U+001C..U+001F, unlike every regular-expression engine's `\S`).
NOT_ONLY_SPACES = f"[^{bmp_class(str.isspace)}]"


# --------------------------------------------------------------------------------------------- common blocks


class TierAnswer(ContractModel, title="Tier"):
    """One rung of a ladder. The bounds here are those the domain checks (API.md: Tiers)."""

    id: str = Field(pattern=r"^[a-z0-9-]{1,32}$")
    name: str = Field(min_length=1, max_length=40, pattern=NOT_ONLY_SPACES)
    name_ar: str = Field(min_length=1, max_length=40, pattern=NOT_ONLY_SPACES)
    min_rewards: int = Field(ge=1, le=1_000_000)
    max_rewards: Annotated[int, Field(ge=1, le=1_000_000)] | None = Field(
        description="Required; null for the highest tier only"
    )
    icon: str = Field(min_length=1, max_length=16, pattern=NOT_ONLY_SPACES)
    color: Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")] | SkipJsonSchema[None] = None


class TierConfigAnswer(ContractModel, title="TierConfig"):
    """A business's own ladder, as saved."""

    enabled: bool
    tiers: list[TierAnswer] = Field(
        max_length=10, description="Lowest first; may be empty only when disabled"
    )


class TierConfigDraft(ContractModel):
    """A ladder as a request carries it (PUT /loyalty-tiers, or inside a new offer). The domain's rules run first and
    report every problem at once, each at its place in the request (`tiers[1].minRewards`), so the constraints
    below only document what they enforce."""

    # Enabled (the default), a ladder has at least one tier; only a disabled one may leave them out.
    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": ["enabled"], "properties": {"enabled": {"const": False}}},
                {"required": ["tiers"], "properties": {"tiers": {"minItems": 1}}},
            ]
        }
    )

    enabled: bool = True
    tiers: list[TierAnswer] = Field(default_factory=list, max_length=10, description="In any order")
    _config: TierConfig = PrivateAttr()

    @model_validator(mode="wrap")
    @classmethod
    def _domain_rules(cls, raw: Any, handler: ModelWrapValidatorHandler[TierConfigDraft]) -> TierConfigDraft:
        if isinstance(raw, cls) or raw is None:
            return raw if raw is not None else handler(raw)
        # Parsed once: a ladder an enclosing body's parser already made is taken as it is.
        config = raw if isinstance(raw, TierConfig) else parse_tier_config(raw)
        model = handler(tier_config_block(config))
        model._config = config
        return model

    @property
    def config(self) -> TierConfig:
        """The ladder as the domain parsed it."""
        return self._config


class TierUpgradeAnswer(ContractModel, title="TierUpgrade"):
    from_: TierSummary | None = Field(alias="from")
    to: TierSummary
    message: str
    message_ar: str


class WalletLinks(ContractModel):
    """A wallet the stage does not use has no link."""

    apple_wallet_url: str | None = None
    google_wallet_save_url: str | None = None


PassStatusName = Literal["ACTIVE", "EXPIRED"]


class PassAnswer(ContractModel):
    """A pass as its customer sees it (enroll)."""

    customer_id: str
    offer_id: str
    pass_serial: str
    status: PassStatusName
    qr_payload: str
    progress: Progress
    tier: TierStandingAnswer
    wallet: WalletLinks | SkipJsonSchema[None] = Field(
        default=None, description="Absent when no wallet is on"
    )


# ------------------------------------------------------------------------------------------- route answers


class PassStatusAnswer(ContractModel, title="PassStatus"):
    """A pass as the scanner screen shows it."""

    customer_id: str
    offer_id: str
    pass_serial: str
    status: PassStatusName
    progress: Progress
    tier: TierStandingAnswer
    short_code: str = Field(
        pattern=r"^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$", description="Printed under the pass's barcode"
    )
    name: str = Field(description="The customer's name")
    offer_name: str
    offer_name_ar: str | None = Field(description="The offer's Arabic name, when it has one")
    reward_ready: bool
    last_activity_at: str = Field(description="ISO-8601 UTC")
    member_since: str = Field(description="ISO-8601 UTC")
    lifetime_stamps: int = Field(ge=0)


class PrizeConfirmed(ContractModel):
    success: Literal[True]
    progress: Progress
    tier: TierStandingAnswer
    new_cycle_started: Literal[True]
    total_completions: int = Field(ge=0)
    tier_upgrade: TierUpgradeAnswer | SkipJsonSchema[None] = Field(
        default=None, description="Only when this claim crossed into a higher tier"
    )
    credential_issuance: IssuanceStarted | SkipJsonSchema[None] = Field(
        default=None, description="Only when the upgrade started a credential issuance"
    )


class OfferDraft(ContractModel):
    """The body of POST /api/offers. As with TierConfigDraft, the domain validates it first (tier problems at
    `loyaltyTiers.tiers[i]...`); fields the contract does not name are ignored."""

    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1, max_length=80, pattern=NOT_ONLY_SPACES)
    name_ar: str | None = Field(default=None, max_length=80)
    stamps_required: int = Field(ge=1, le=50)
    reward_description: str | None = Field(default=None, max_length=200)
    reward_description_ar: str | None = Field(default=None, max_length=200)
    loyalty_tiers: TierConfigDraft | None = None
    _terms: OfferTerms = PrivateAttr()

    @model_validator(mode="wrap")
    @classmethod
    def _domain_rules(cls, raw: Any, handler: ModelWrapValidatorHandler[OfferDraft]) -> OfferDraft:
        if isinstance(raw, cls):
            return raw
        terms = parse_offer_terms(raw)
        model = handler(
            {
                "name": terms.name,
                "nameAr": terms.name_ar,
                "stampsRequired": terms.stamps_required,
                "rewardDescription": terms.reward_description,
                "rewardDescriptionAr": terms.reward_description_ar,
                **({"loyaltyTiers": terms.loyalty_tiers} if terms.loyalty_tiers is not None else {}),
            }
        )
        model._terms = terms
        return model

    @property
    def terms(self) -> OfferTerms:
        """The offer's terms as the domain parsed them."""
        return self._terms


class OfferAnswer(ContractModel, title="Offer"):
    offer_id: str
    business_id: str
    name: str
    name_ar: str | None
    stamps_required: int = Field(ge=1, le=50)
    reward_description: str | None
    reward_description_ar: str | None
    loyalty_tiers: TierConfigAnswer | None = Field(description="The business's own ladder as saved, if any")
    effective_tiers: list[TierAnswer] = Field(description="The ladder in force, lowest first")
    min_minutes_between_stamps: int = Field(ge=0, le=1440, description="Cooldown between stamps; 0 = off")
    expiry_reminder_days: int = Field(
        ge=0, le=60, description="Days before the inactivity limit that a quiet pass is reminded; 0 = off"
    )
    timezone: str = Field(description="IANA time zone: the days of the offer's stats")
    status: Literal["ACTIVE", "ARCHIVED"] = Field(description="ARCHIVED: no new enrollments")
    created_at: str = Field(description="ISO-8601 UTC")
    updated_at: str = Field(description="ISO-8601 UTC")
    brand: BrandAnswer | None = Field(
        default=None, description="The offer's own brand; null wears the business's"
    )


class OfferPage(ContractModel):
    items: list[OfferAnswer] = Field(description="The business's offers, newest first")
    next_cursor: str | None = Field(description="Pass it as `cursor` for the next page; null on the last")


class TiersInForce(ContractModel):
    enabled: bool = Field(description="Whether the business's own ladder is on")
    tiers: list[TierAnswer] = Field(description="The ladder in force, lowest first")
    source: Literal["custom", "default"]
    custom_tiers: list[TierAnswer] | SkipJsonSchema[None] = Field(
        default=None, description="A saved but disabled ladder, so the dashboard can switch it back on"
    )


# ----------------------------------------------------------------------------------------------- parameters


# ----------------------------------------------------------------------------------------------- responses

# ------------------------------------------------------------------------------------- the public door (issue 12)


# The enroll form: the email and name checked by the domain's rules (`parse_email`, `parse_name`). (A comment, not a
# docstring: the schema's description is what the published document has always said.)
class EnrollmentRequest(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    # The patterns document parse_email's and parse_name's rules (the validators below are what checks them).
    email: str = Field(min_length=6, max_length=254, json_schema_extra=document_pattern(email_pattern))
    name: str = Field(min_length=1, max_length=80, json_schema_extra=document_pattern(name_pattern))
    preferredLanguage: Literal["en", "ar"] = "en"
    # Offers and news on the card (campaigns): unticked unless the customer ticks it; its time is kept.
    marketingConsent: StrictBool = False

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return parse_email(value)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return parse_name(value)

    def command(self, offer_id: str, idempotency_key: str | None) -> Enroll:
        return Enroll(
            offer_id,
            self.email,
            self.name,
            self.preferredLanguage,
            idempotency_key,
            marketing_consent=self.marketingConsent,
        )


class VerificationSent(ContractModel):
    """Enroll's answer to an email that already holds a pass of the offer: nothing of the pass, which is mailed."""

    success: Literal[True]
    status: Literal["VERIFICATION_SENT"]
