"""A stamp-card offer: the reward a business promises after so many stamps, and its customers' tier ladder."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from loyalty.domain.brand import Brand
from loyalty.domain.errors import FieldError, Gone, NotFound, ValidationFailed
from loyalty.domain.numbers import whole_number
from loyalty.domain.reminders import DEFAULT_REMINDER_DAYS, MAX_REMINDER_DAYS
from loyalty.domain.tiers import TierConfig, TierLadder, effective_ladder, parse_tier_config

MAX_OFFER_NAME_LENGTH = 80
MAX_REWARD_DESCRIPTION_LENGTH = 200
MIN_STAMPS_REQUIRED = 1
MAX_STAMPS_REQUIRED = 50
MAX_MINUTES_BETWEEN_STAMPS = 1440
DEFAULT_TIMEZONE = "UTC"


class OfferStatus(StrEnum):
    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"


class OfferNotFound(NotFound):
    """Also the answer for another business's offer: the caller learns nothing about it."""

    def __init__(self) -> None:
        super().__init__("No such offer.", code="OFFER_NOT_FOUND")


class OfferArchived(Gone):
    """An archived offer takes no new members; its existing passes keep collecting and redeeming."""

    def __init__(self) -> None:
        super().__init__("This offer no longer takes new members.", "OFFER_ARCHIVED")


@dataclass(frozen=True)
class OfferTerms:
    """What a business asks for when it creates an offer, once validated."""

    name: str
    name_ar: str | None
    stamps_required: int
    reward_description: str | None
    reward_description_ar: str | None
    loyalty_tiers: TierConfig | None


@dataclass(frozen=True)
class Offer:
    offer_id: str
    business_id: str
    name: str
    name_ar: str | None
    stamps_required: int
    reward_description: str | None
    reward_description_ar: str | None
    loyalty_tiers: TierConfig | None
    created_at: str
    min_minutes_between_stamps: int = 0
    timezone: str = DEFAULT_TIMEZONE
    status: OfferStatus = OfferStatus.ACTIVE
    updated_at: str | None = None
    # Days before a quiet pass's inactivity limit that it is reminded (0: never); see domain/reminders.py.
    expiry_reminder_days: int = DEFAULT_REMINDER_DAYS
    # The offer's own brand; None wears the business's (docs/API.md "Brand").
    brand: Brand | None = None

    @property
    def archived(self) -> bool:
        return self.status is OfferStatus.ARCHIVED

    def wallet_texts(self) -> tuple[str | None, ...]:
        """What a wallet pass shows of the offer itself: a change to any of these redraws every pass."""
        return (self.name, self.name_ar, self.reward_description, self.reward_description_ar)

    def wallet_face(self) -> tuple[object, ...]:
        """What the offer itself puts on a wallet pass: its texts and its own brand (a change redraws its passes)."""
        return (*self.wallet_texts(), self.brand)

    @property
    def ladder(self) -> TierLadder:
        """The ladder in force: the custom one when enabled, otherwise the defaults."""
        return effective_ladder(self.loyalty_tiers)

    @property
    def has_custom_tiers(self) -> bool:
        return (
            self.loyalty_tiers is not None and self.loyalty_tiers.enabled and bool(self.loyalty_tiers.tiers)
        )


def parse_offer_terms(raw: object) -> OfferTerms:
    """Validate a create-offer body, reporting every problem (tier problems included) at once."""
    if not isinstance(raw, Mapping):
        raise ValidationFailed([FieldError("body", "must be a JSON object")])
    problems: list[FieldError] = []

    name = _text(raw, "name", MAX_OFFER_NAME_LENGTH, problems, required=True)
    name_ar = _text(raw, "nameAr", MAX_OFFER_NAME_LENGTH, problems)
    reward = _text(raw, "rewardDescription", MAX_REWARD_DESCRIPTION_LENGTH, problems)
    reward_ar = _text(raw, "rewardDescriptionAr", MAX_REWARD_DESCRIPTION_LENGTH, problems)

    stamps = _stamps_required(raw.get("stampsRequired"), problems)

    tiers: TierConfig | None = None
    if raw.get("loyaltyTiers") is not None:
        try:
            tiers = parse_tier_config(raw["loyaltyTiers"], field_prefix="loyaltyTiers")
        except ValidationFailed as failure:
            problems.extend(failure.details)

    if problems or name is None or stamps is None:
        raise ValidationFailed(problems, message="The offer is not valid.")
    return OfferTerms(name, name_ar, stamps, reward, reward_ar, tiers)


EDITABLE_FIELDS = frozenset(
    {
        "name",
        "nameAr",
        "rewardDescription",
        "rewardDescriptionAr",
        "stampsRequired",
        "minMinutesBetweenStamps",
        "expiryReminderDays",
        "timezone",
        "status",
        "brand",
    }
)


@dataclass(frozen=True)
class OfferChanges:
    """The fields a PATCH names, validated; only these change (an optional text sent empty is removed)."""

    changes: dict[str, Any]


@cache
def known_timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_timezone(name: object) -> bool:
    return isinstance(name, str) and name in known_timezones()


def parse_offer_edit(raw: object) -> OfferChanges:
    """Validate a PATCH body: every problem at once, unknown fields refused (a typo must not pass silently)."""
    if not isinstance(raw, Mapping):
        raise ValidationFailed([FieldError("body", "must be a JSON object")])
    problems = [
        FieldError(str(key), "is not a field of an offer") for key in raw if key not in EDITABLE_FIELDS
    ]
    changes: dict[str, Any] = {}
    if "name" in raw:
        changes["name"] = _text(raw, "name", MAX_OFFER_NAME_LENGTH, problems, required=True)
    for key, limit in (
        ("nameAr", MAX_OFFER_NAME_LENGTH),
        ("rewardDescription", MAX_REWARD_DESCRIPTION_LENGTH),
        ("rewardDescriptionAr", MAX_REWARD_DESCRIPTION_LENGTH),
    ):
        if key in raw:
            changes[key] = _text(raw, key, limit, problems)
    if "stampsRequired" in raw:
        changes["stampsRequired"] = _stamps_required(raw["stampsRequired"], problems)
    if "minMinutesBetweenStamps" in raw:
        minutes = whole_number(raw["minMinutesBetweenStamps"])
        if minutes is None or not 0 <= minutes <= MAX_MINUTES_BETWEEN_STAMPS:
            problems.append(
                FieldError(
                    "minMinutesBetweenStamps",
                    f"must be a whole number from 0 to {MAX_MINUTES_BETWEEN_STAMPS}",
                )
            )
        changes["minMinutesBetweenStamps"] = minutes
    if "expiryReminderDays" in raw:
        days = whole_number(raw["expiryReminderDays"])
        if days is None or not 0 <= days <= MAX_REMINDER_DAYS:
            problems.append(
                FieldError(
                    "expiryReminderDays", f"must be a whole number from 0 (off) to {MAX_REMINDER_DAYS}"
                )
            )
        changes["expiryReminderDays"] = days
    if "timezone" in raw:
        if not is_timezone(raw["timezone"]):
            problems.append(FieldError("timezone", "must be an IANA time zone name, such as Asia/Riyadh"))
        changes["timezone"] = raw["timezone"]
    if "status" in raw:
        try:
            changes["status"] = OfferStatus(raw["status"])
        except ValueError:
            problems.append(FieldError("status", "must be ACTIVE or ARCHIVED"))
    if "brand" in raw:
        # Null goes back to the business's brand; a brand's own fields are checked by its use case
        # (app/brand/offer_brand.py), which knows what the missing ones fall back to and whose images are whose.
        if raw["brand"] is not None and not isinstance(raw["brand"], Mapping):
            problems.append(FieldError("brand", "must be a brand, or null for the business's"))
        changes["brand"] = raw["brand"]
    if problems:
        raise ValidationFailed(problems, message="The offer edit is not valid.")
    if not changes:
        raise ValidationFailed([FieldError("body", "names no field to change")], message="Nothing to change.")
    return OfferChanges(changes)


def _stamps_required(raw: object, problems: list[FieldError]) -> int | None:
    value = whole_number(raw)
    if value is None:
        problems.append(FieldError("stampsRequired", "is required and must be a whole number"))
        return None
    if not MIN_STAMPS_REQUIRED <= value <= MAX_STAMPS_REQUIRED:
        problems.append(
            FieldError("stampsRequired", f"must be between {MIN_STAMPS_REQUIRED} and {MAX_STAMPS_REQUIRED}")
        )
        return None
    return value


def _text(
    raw: Mapping[str, Any], key: str, limit: int, problems: list[FieldError], *, required: bool = False
) -> str | None:
    """An optional text is absent, null or blank alike (a dashboard sends an empty input as "")."""
    value = raw.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.append(FieldError(key, "is required and must not be empty"))
        return None
    if not isinstance(value, str):
        problems.append(FieldError(key, "must be a string"))
        return None
    text = value.strip()
    if len(text) > limit:
        problems.append(FieldError(key, f"must be at most {limit} characters"))
        return None
    return text
