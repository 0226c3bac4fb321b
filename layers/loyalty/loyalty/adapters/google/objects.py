"""What Google Wallet shows: the LoyaltyClass of an offer and the LoyaltyObject of a pass, as API resources.

Plain functions (no I/O) of the domain's offer, pass and tier standing; the tier is derived, never stored.

Google notifies a phone only when an allow-listed field changes (`loyaltyPoints.balance`,
`secondaryLoyaltyPoints.balance`, …), whatever `notifyPreference` says; text modules and `state` are not on the
list. So the pass's standing lives in `secondaryLoyaltyPoints` (a string balance): a new tier changes it, and so
does expiry (it reads "Expired"), and both changes reach the customer's lock screen.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass, PassStatus
from loyalty.domain.tiers import Tier, TierStanding

Language = Literal["en", "ar"]
Resource = dict[str, Any]

# `notifyPreference` is ephemeral: it holds for the one PATCH that carries it, so a quiet update leaves it out.
NOTIFY_ON_UPDATE = "NOTIFY_ON_UPDATE"

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


def loyalty_class(issuer_id: str, issuer_name: str, program_logo_url: str, offer: Offer) -> Resource:
    return {
        "id": class_id(issuer_id, offer.offer_id),
        "issuerName": issuer_name,
        "programName": offer.name,
        "localizedProgramName": _localized(offer.name, offer.name_ar),
        "programLogo": {
            "sourceUri": {"uri": program_logo_url},
            "contentDescription": _localized(offer.name, offer.name_ar),
        },
        "reviewStatus": "underReview",
    }


_TEXTS: dict[Language, dict[str, str]] = {
    "en": {
        "points": "Rewards",
        "standing": "Tier",
        "expired": "Expired",
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
        "status": "حالة العضوية",
        "next": "المستوى التالي",
        "progress": "التقدم",
        "no_tier": "عضو",
        "top": "وصلت إلى أعلى مستوى",
        "to_next": "باقي {count} للوصول إلى {tier}",
        "of": "{stamps} من {required}",
    },
}


def _language(card: Pass) -> Language:
    return "ar" if card.preferred_language == "ar" else "en"


def _tier_label(tier: Tier, language: Language) -> str:
    return f"{tier.icon} {tier.name_ar if language == 'ar' and tier.name_ar else tier.name}"


def _text_modules(card: Pass, standing: TierStanding) -> list[Resource]:
    language = _language(card)
    texts = _TEXTS[language]
    member_status = _tier_label(standing.current, language) if standing.current else texts["no_tier"]
    if standing.next is not None and standing.rewards_to_next is not None:
        next_tier = texts["to_next"].format(
            count=standing.rewards_to_next, tier=_tier_label(standing.next, language)
        )
    else:
        next_tier = texts["top"]
    progress = texts["of"].format(stamps=card.current_stamps, required=card.stamps_required)
    # Module ids must not contain dots (Google rejects them); they stay stable so updates replace in place.
    return [
        {"id": "member_status", "header": texts["status"], "body": member_status},
        {"id": "next_tier", "header": texts["next"], "body": next_tier},
        {"id": "progress", "header": texts["progress"], "body": progress},
    ]


def object_state(status: PassStatus) -> str:
    """An erased customer's object is INACTIVE: Google keeps it out of the wallet's active passes for good."""
    return {PassStatus.EXPIRED: "EXPIRED", PassStatus.ERASED: "INACTIVE"}.get(status, "ACTIVE")


def _standing_balance(card: Pass, standing: TierStanding) -> str:
    language = _language(card)
    if card.status is PassStatus.EXPIRED:
        return _TEXTS[language]["expired"]
    return _tier_label(standing.current, language) if standing.current else _TEXTS[language]["no_tier"]


def _changing_fields(card: Pass, standing: TierStanding) -> Resource:
    texts = _TEXTS[_language(card)]
    return {
        "state": object_state(card.status),
        "accountName": card.customer_name,
        "loyaltyPoints": {"label": texts["points"], "balance": {"int": card.rewards_claimed}},
        # Notified on: a new tier or an expiry changes this balance (see the module docstring).
        "secondaryLoyaltyPoints": {
            "label": texts["standing"],
            "balance": {"string": _standing_balance(card, standing)},
        },
        "textModulesData": _text_modules(card, standing),
    }


def loyalty_object(issuer_id: str, card: Pass, standing: TierStanding) -> Resource:
    return {
        "id": object_id(issuer_id, card.customer_id, card.offer_id),
        "classId": class_id(issuer_id, card.offer_id),
        "accountId": card.customer_id,
        **_changing_fields(card, standing),
        "barcode": {"type": "QR_CODE", "value": card.qr_payload, "alternateText": card.customer_id},
    }


def loyalty_object_patch(
    card: Pass, standing: TierStanding, *, notify: bool, notice: str | None = None
) -> Resource:
    """Everything an update can change (lists are replaced whole by a PATCH, so all modules are sent); `notice`
    is the card's own notice (the expiry reminder), shown as one more text module while it stands."""
    changes = _changing_fields(card, standing)
    if notice is not None:
        header = "تنبيه البطاقة" if _language(card) == "ar" else "Card notice"
        changes["textModulesData"] = [
            *changes["textModulesData"],
            {"id": "notice", "header": header, "body": notice},
        ]
    if notify:
        changes["notifyPreference"] = NOTIFY_ON_UPDATE
    return changes
