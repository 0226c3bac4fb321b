"""What Google Wallet shows: the LoyaltyClass of an offer and the LoyaltyObject of a pass, as API resources.

Plain functions (no I/O) of the domain's offer, pass and tier standing; the tier is derived, never stored.

A phone is notified the way Google documents it ("trigger push notifications"): a message of type
`TEXT_AND_NOTIFY` added to the object. A field update notifies only for fields on Google's allow-list, and the
published list names none we could hang a new tier or an expiry on, so the object's PATCH stays quiet and the
notice is a message (`notice_message`). Google sends at most three notifications a pass in 24 hours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass, PassStatus
from loyalty.domain.tiers import Tier, TierStanding

Language = Literal["en", "ar"]
Resource = dict[str, Any]

# `notifyPreference` is ephemeral: it holds for the one PATCH that carries it, so a quiet update leaves it out.
NOTIFY_ON_UPDATE = "NOTIFY_ON_UPDATE"
TEXT_AND_NOTIFY = "TEXT_AND_NOTIFY"
# walletobjects v1 discovery document, LoyaltyClass.reviewStatus: an update of an approved class keeps sending it.
UNDER_REVIEW = "underReview"

_NOT_IN_RESOURCE_ID = re.compile(r"[^A-Za-z0-9._-]")


def resource_suffix(*parts: str) -> str:
    """Google accepts only `[A-Za-z0-9._-]` after the issuer id; our ids already fit, this keeps it so."""
    return _NOT_IN_RESOURCE_ID.sub("_", "-".join(parts))


def class_id(issuer_id: str, offer_id: str) -> str:
    return f"{issuer_id}.{resource_suffix(offer_id)}"


def object_id(issuer_id: str, customer_id: str, offer_id: str) -> str:
    return f"{issuer_id}.{resource_suffix(customer_id, offer_id)}"


def _localized(english: str, arabic: str | None) -> Resource:
    localized: Resource = {"defaultValue": {"language": "en-US", "value": english}}
    if arabic:
        localized["translatedValues"] = [{"language": "ar", "value": arabic}]
    return localized


@dataclass(frozen=True)
class ClassLook:
    """The business's brand as its Google class wears it: the issuer's name, the logo and hero images at public
    HTTPS addresses Google fetches (LoyaltyClass `programLogo`, `heroImage`, `hexBackgroundColor`:
    https://developers.google.com/wallet/reference/rest/v1/loyaltyclass)."""

    issuer_name: str
    issuer_name_ar: str | None
    background_color: str
    logo_url: str | None
    hero_url: str | None


def loyalty_class(
    issuer_id: str,
    issuer_name: str,
    program_logo_url: str,
    offer: Offer,
    look: ClassLook | None = None,
    callback_url: str | None = None,
) -> Resource:
    resource: Resource = {
        "id": class_id(issuer_id, offer.offer_id),
        "issuerName": (look.issuer_name if look else "") or issuer_name,
        "programName": offer.name,
        "localizedProgramName": _localized(offer.name, offer.name_ar),
        "programLogo": {
            "sourceUri": {"uri": (look.logo_url if look else None) or program_logo_url},
            "contentDescription": _localized(offer.name, offer.name_ar),
        },
        "reviewStatus": UNDER_REVIEW,
    }
    if callback_url:
        # Google then posts each object's save and delete, signed (adapters/google/callbacks.py).
        resource["callbackOptions"] = {"url": callback_url}
    if look is not None:
        if look.issuer_name:
            resource["localizedIssuerName"] = _localized(look.issuer_name, look.issuer_name_ar)
        resource["hexBackgroundColor"] = look.background_color
        if look.hero_url:
            resource["heroImage"] = {
                "sourceUri": {"uri": look.hero_url},
                "contentDescription": _localized(look.issuer_name or offer.name, look.issuer_name_ar),
            }
    return resource


# What an edit or a brand change PATCHes on the class (those the class carries).
CLASS_LOOK_FIELDS = (
    "issuerName",
    "localizedIssuerName",
    "programName",
    "localizedProgramName",
    "programLogo",
    "heroImage",
    "hexBackgroundColor",
    "callbackOptions",
)


_TEXTS: dict[Language, dict[str, str]] = {
    "en": {
        "points": "Rewards",
        "standing": "Tier",
        "expired": "Expired",
        "expired_notice": "Your stamp card expired: enroll again to reactivate it",
        "tier_notice": "You are now {tier}",
        "status": "Member Status",
        "next": "Next Tier",
        "progress": "Progress",
        "no_tier": "Member",
        "top": "Top tier reached",
        "to_next": "{count} more for {tier}",
        "of": "{stamps} of {required}",
    },
    "ar": {
        "points": "المكافآت",
        "standing": "المستوى",
        "expired": "منتهية",
        "expired_notice": "انتهت بطاقة الطوابع: سجّل من جديد لإعادة تفعيلها",
        "tier_notice": "أصبحت الآن {tier}",
        "status": "حالة العضوية",
        "next": "المستوى التالي",
        "progress": "التقدم",
        "no_tier": "عضو",
        "top": "وصلت إلى أعلى مستوى",
        "to_next": "باقي {count} للوصول إلى {tier}",
        "of": "{stamps} من {required}",
    },
}


def _language(pass_: Pass) -> Language:
    return "ar" if pass_.preferred_language == "ar" else "en"


def _tier_label(tier: Tier, language: Language) -> str:
    return f"{tier.icon} {tier.name_ar if language == 'ar' and tier.name_ar else tier.name}"


def _text_modules(pass_: Pass, standing: TierStanding) -> list[Resource]:
    language = _language(pass_)
    texts = _TEXTS[language]
    member_status = _tier_label(standing.current, language) if standing.current else texts["no_tier"]
    if standing.next is not None and standing.rewards_to_next is not None:
        next_tier = texts["to_next"].format(
            count=standing.rewards_to_next, tier=_tier_label(standing.next, language)
        )
    else:
        next_tier = texts["top"]
    progress = texts["of"].format(stamps=pass_.current_stamps, required=pass_.stamps_required)
    # Module ids must not contain dots (Google rejects them); they stay stable so updates replace in place.
    return [
        {"id": "member_status", "header": texts["status"], "body": member_status},
        {"id": "next_tier", "header": texts["next"], "body": next_tier},
        {"id": "progress", "header": texts["progress"], "body": progress},
    ]


def object_state(status: PassStatus) -> str:
    """An erased customer's object is INACTIVE: Google keeps it out of the wallet's active passes for good."""
    return {PassStatus.EXPIRED: "EXPIRED", PassStatus.ERASED: "INACTIVE"}.get(status, "ACTIVE")


def _standing_balance(pass_: Pass, standing: TierStanding) -> str:
    language = _language(pass_)
    if pass_.status is PassStatus.EXPIRED:
        return _TEXTS[language]["expired"]
    return _tier_label(standing.current, language) if standing.current else _TEXTS[language]["no_tier"]


def _changing_fields(pass_: Pass, standing: TierStanding) -> Resource:
    texts = _TEXTS[_language(pass_)]
    return {
        "state": object_state(pass_.status),
        "accountName": pass_.customer_name,
        "loyaltyPoints": {"label": texts["points"], "balance": {"int": pass_.rewards_claimed}},
        # Notified on: a new tier or an expiry changes this balance (see the module docstring).
        "secondaryLoyaltyPoints": {
            "label": texts["standing"],
            "balance": {"string": _standing_balance(pass_, standing)},
        },
        "textModulesData": _text_modules(pass_, standing),
    }


def loyalty_object(issuer_id: str, pass_: Pass, standing: TierStanding) -> Resource:
    return {
        "id": object_id(issuer_id, pass_.customer_id, pass_.offer_id),
        "classId": class_id(issuer_id, pass_.offer_id),
        "accountId": pass_.customer_id,
        **_changing_fields(pass_, standing),
        "barcode": {"type": "QR_CODE", "value": pass_.qr_payload, "alternateText": pass_.short_code},
    }


def loyalty_object_patch(
    pass_: Pass, standing: TierStanding, *, notify: bool, notice: str | None = None
) -> Resource:
    """Everything an update can change (lists are replaced whole by a PATCH, so all modules are sent); `notice`
    is the card's own notice (the expiry reminder), shown as one more text module while it stands."""
    changes = _changing_fields(pass_, standing)
    if notice is not None:
        header = "تنبيه البطاقة" if _language(pass_) == "ar" else "Card notice"
        changes["textModulesData"] = [
            *changes["textModulesData"],
            {"id": "notice", "header": header, "body": notice},
        ]
    if notify:
        changes["notifyPreference"] = NOTIFY_ON_UPDATE
    return changes


def notice_kind(pass_: Pass, reminder: str | None = None) -> str:
    """What `notice_message` announces for this pass: "reminder", "expired" or "tier"."""
    if reminder is not None:
        return "reminder"
    return "expired" if pass_.status is PassStatus.EXPIRED else "tier"


def notice_message(pass_: Pass, standing: TierStanding, reminder: str | None = None) -> Resource:
    """The AddMessageRequest that tells the customer's phone of a new tier, an expiry or, with `reminder`, the
    expiry reminder's text (it notifies)."""
    language = _language(pass_)
    texts = _TEXTS[language]
    if reminder is not None:
        kind, body = "reminder", reminder
    elif pass_.status is PassStatus.EXPIRED:
        kind, body = "expired", texts["expired_notice"]
    else:
        tier = _tier_label(standing.current, language) if standing.current else texts["no_tier"]
        kind, body = "tier", texts["tier_notice"].format(tier=tier)
    # One id per event, so a repeated stream record does not look like a second notice of another event.
    return {
        "message": {
            "id": resource_suffix(kind, str(pass_.rewards_claimed), pass_.updated_at),
            "header": pass_.customer_name or texts["status"],
            "body": body,
            "messageType": TEXT_AND_NOTIFY,
        }
    }
