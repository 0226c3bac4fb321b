"""What a wallet pass of an offer would show, for a ladder being drafted: built by the code that builds the real
passes (adapters/apple/content.py, adapters/google/objects.py), so the dashboard's preview cannot drift from
what customers get. A draft ladder is validated exactly as PUT /loyalty-tiers validates it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from loyalty.app.brand.brand_preview import BrandDrafts
from loyalty.app.offers.catalog import find_offer
from loyalty.app.ports.offers import OfferSource
from loyalty.app.ports.wallets import WalletPreviews
from loyalty.domain.clock import Clock, to_iso
from loyalty.domain.errors import FieldError, ValidationFailed
from loyalty.domain.numbers import whole_number
from loyalty.domain.offers import MAX_STAMPS_REQUIRED
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
    business_id: str,
    offer_id: str,
    body: object,
    *,
    clock: Clock,
    brands: BrandDrafts | None = None,
) -> dict[str, Any]:
    """The preview of a pass of the offer, for a draft ladder and, given `brands`, a draft brand (`brand`, as PATCH
    takes it) worn instead of the saved one; nothing is saved."""
    offer = find_offer(offers, business_id, offer_id)
    if not isinstance(body, Mapping):
        raise ValidationFailed([FieldError("body", "must be a JSON object")])
    problems = [
        FieldError(str(key), "is not a field of a preview") for key in body if key not in PREVIEW_FIELDS
    ]
    config: TierConfig | None = offer.loyalty_tiers
    if body.get("loyaltyTiers") is not None:
        try:
            config = parse_tier_config(body["loyaltyTiers"], field_prefix="loyaltyTiers")
        except ValidationFailed as failure:
            problems.extend(failure.details)
    stamps = _count(body, "currentStamps", 0, offer.stamps_required, problems)
    rewards = _count(body, "rewardsClaimed", 0, MAX_PREVIEW_REWARDS, problems)
    language = body.get("language", "en")
    if language not in ("en", "ar"):
        problems.append(FieldError("language", "must be en or ar"))
    fields = body.get("brand")
    if fields is not None and (brands is None or not isinstance(fields, Mapping)):
        problems.append(FieldError("brand", "must be a brand (an object) or null"))
    if problems:
        raise ValidationFailed(problems, message="The preview request is not valid.")
    drafted = replace(offer, loyalty_tiers=config)
    if brands is not None and isinstance(fields, Mapping):
        # Checked as PATCH checks it (422 VALIDATION_ERROR, LOW_CONTRAST, IMAGE_INVALID), worn by this preview only.
        drafted = replace(drafted, brand=brands.draft(offer, fields))
    standing = drafted.ladder.standing(rewards)
    card = _sample_pass(
        drafted.offer_id,
        business_id,
        drafted.stamps_required,
        stamps,
        rewards,
        str(language),
        to_iso(clock()),
    )

    return {
        "apple": previews.apple(card, drafted, standing, str(language)),
        "google": previews.google(card, standing, drafted),
        "tier": standing.as_dict(),
    }


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
