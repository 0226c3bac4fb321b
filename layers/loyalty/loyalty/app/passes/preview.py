"""What a wallet pass of an offer would show, for a ladder being drafted: built by the code that builds the real
passes (adapters/apple/content.py, adapters/google/objects.py), so the dashboard's preview cannot drift from
what customers get. A draft ladder is validated exactly as PUT /loyalty-tiers validates it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from loyalty.app.brand.brand_preview import BrandDrafts
from loyalty.app.offers.catalog import find_offer
from loyalty.app.offers.commands import PreviewPass
from loyalty.app.ports.offers import OfferSource
from loyalty.app.ports.wallets import WalletPreviews
from loyalty.domain.clock import Clock, to_iso
from loyalty.domain.errors import FieldError, ValidationFailed
from loyalty.domain.numbers import whole_number
from loyalty.domain.offers import MAX_STAMPS_REQUIRED
from loyalty.domain.pass_results import PreviewDrawn
from loyalty.domain.passes import Pass, PassStatus
from loyalty.domain.tiers import TierConfig, parse_tier_config

PREVIEW_FIELDS = {"loyaltyTiers", "currentStamps", "rewardsClaimed", "language", "brand"}
MAX_PREVIEW_REWARDS = 10_000


def _count(raw: Mapping[str, Any], key: str, low: int, high: int, problems: list[FieldError]) -> int:
    value = whole_number(raw.get(key, 0))
    if value is None or not low <= value <= high:
        problems.append(FieldError(key, f"must be a whole number from {low} to {high}"))
        return 0
    return value


def parse_preview_request(
    raw: object, *, stamps_required: int | None
) -> tuple[TierConfig | None, int, int, str]:
    """A preview body, every problem at once: the draft ladder as PUT validates it, the counts (currentStamps at
    most the offer's stampsRequired, when known), the language, no unknown field."""
    if not isinstance(raw, Mapping):
        raise ValidationFailed([FieldError("body", "must be a JSON object")])
    problems = [
        FieldError(str(key), "is not a field of a preview") for key in raw if key not in PREVIEW_FIELDS
    ]
    draft: TierConfig | None = None
    if raw.get("loyaltyTiers") is not None:
        try:
            draft = parse_tier_config(raw["loyaltyTiers"], field_prefix="loyaltyTiers")
        except ValidationFailed as failure:
            problems.extend(failure.details)
    stamps = _count(raw, "currentStamps", 0, stamps_required or MAX_STAMPS_REQUIRED, problems)
    rewards = _count(raw, "rewardsClaimed", 0, MAX_PREVIEW_REWARDS, problems)
    language = raw.get("language", "en")
    if language not in ("en", "ar"):
        problems.append(FieldError("language", "must be en or ar"))
    if raw.get("brand") is not None and not isinstance(raw["brand"], Mapping):
        problems.append(FieldError("brand", "must be a brand (an object) or null"))
    if problems:
        raise ValidationFailed(problems, message="The preview request is not valid.")
    return draft, stamps, rewards, str(language)


def preview_pass(
    offers: OfferSource,
    previews: WalletPreviews,
    command: PreviewPass,
    *,
    clock: Clock,
    brands: BrandDrafts | None = None,
) -> PreviewDrawn:
    """The request's fields were checked at the edge (`parse_preview_request`); what needs the offer is checked
    here: at most its stampsRequired stamps. Given `brands`, a draft brand (`command.brand`, as PATCH takes it) is
    worn instead of the saved one; nothing is saved."""
    offer = find_offer(offers, command.business_id, command.offer_id)
    if command.current_stamps > offer.stamps_required:
        raise ValidationFailed(
            [FieldError("currentStamps", f"must be a whole number from 0 to {offer.stamps_required}")],
            message="The preview request is not valid.",
        )
    drafted = replace(offer, loyalty_tiers=command.draft) if command.draft is not None else offer
    if command.brand is not None:
        if brands is None:
            raise ValidationFailed([FieldError("brand", "must be a brand (an object) or null")])
        # Checked as PATCH checks it (422 VALIDATION_ERROR, LOW_CONTRAST, IMAGE_INVALID), worn by this preview only.
        drafted = replace(drafted, brand=brands.draft(offer, command.brand))
    standing = drafted.ladder.standing(command.rewards_claimed)
    pass_ = _sample_pass(
        drafted.offer_id,
        command.business_id,
        drafted.stamps_required,
        command.current_stamps,
        command.rewards_claimed,
        command.language,
        to_iso(clock()),
    )
    return PreviewDrawn(
        apple=previews.apple(pass_, drafted, standing, command.language),
        google=previews.google(pass_, standing, drafted),
        standing=standing,
    )


def _sample_pass(
    offer_id: str, business_id: str, required: int, stamps: int, rewards: int, language: str, moment: str
) -> Pass:
    """A pass as a customer joining now would hold it at these counts (ids and secrets are placeholders)."""
    return Pass(
        customer_id="cus_" + "0" * 26,
        offer_id=offer_id,
        business_id=business_id,
        pass_serial="preview",
        auth_token="preview-preview-preview",
        status=PassStatus.ACTIVE,
        current_stamps=stamps,
        stamps_required=required,
        rewards_claimed=rewards,
        lifetime_stamps=stamps + rewards * required,
        member_since=moment,
        last_activity_at=moment,
        created_at=moment,
        updated_at=moment,
        version=1,
        email="",
        customer_name="Customer" if language == "en" else "العميل",
        preferred_language=language,
    )
