"""What the pass shows: `pass.json` and its English and Arabic `pass.strings`, from plain values.

`pass.json` is written in English; every English text it holds is a key that `ar.lproj/pass.strings` translates
(and `en.lproj/pass.strings` keeps, so a phone preferring English over Arabic picks English). Each pass has its
own strings files, so values such as "4 of 5" are translated whole, with Arabic-Indic digits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, NamedTuple

from loyalty.domain.brand import MIN_TEXT_CONTRAST, contrast_ratio
from loyalty.domain.clock import parse_iso
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass, PassStatus
from loyalty.domain.reminders import reminder_text
from loyalty.domain.tiers import Tier, TierStanding

LANGUAGES = ("en", "ar")
# Dots read at a glance up to this many stamps; longer cards show "12 / 25".
MAX_DOTS = 12
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


class Text(NamedTuple):
    en: str
    ar: str


@dataclass(frozen=True)
class TierLabel:
    name: str
    name_ar: str
    icon: str
    color: str | None = None

    @classmethod
    def of(cls, tier: Tier) -> TierLabel:
        return cls(tier.name, tier.name_ar, tier.icon, tier.color)


@dataclass(frozen=True)
class PassFace:
    """Everything the pass shows, as plain values (no tables, no Apple)."""

    serial: str
    auth_token: str
    qr_payload: str
    customer_id: str
    short_code: str
    customer_name: str
    offer_name: str
    offer_name_ar: str | None
    reward: str | None
    reward_ar: str | None
    current_stamps: int
    stamps_required: int
    rewards_claimed: int
    tier: TierLabel | None
    next_tier: TierLabel | None
    rewards_to_next: int | None
    member_since: str
    expired_at: str | None
    inactivity_days: int
    # The customer was erased: the phone shows the pass as void and it is never updated again.
    voided: bool = False
    # Whether the customer wants offers and news on the card, and the page where they change it (None: no web).
    marketing_consent: bool = False
    preferences_url: str | None = None
    # The expiry reminder while it stands (English, Arabic), else None.
    reminder: tuple[str, str] | None = None
    # The last campaign's message the pass was given (English, Arabic), else None.
    news: tuple[str, str] | None = None

    @property
    def expired(self) -> bool:
        return self.expired_at is not None

    @property
    def reward_ready(self) -> bool:
        return self.current_stamps >= self.stamps_required


def pass_face(
    pass_: Pass,
    offer: Offer,
    standing: TierStanding,
    inactivity_days: int,
    preferences_url: str | None = None,
) -> PassFace:
    return PassFace(
        serial=pass_.pass_serial,
        auth_token=pass_.auth_token,
        qr_payload=pass_.qr_payload,
        customer_id=pass_.customer_id,
        short_code=pass_.short_code,
        customer_name=pass_.customer_name,
        offer_name=offer.name,
        offer_name_ar=offer.name_ar,
        reward=offer.reward_description,
        reward_ar=offer.reward_description_ar,
        current_stamps=pass_.current_stamps,
        stamps_required=pass_.stamps_required,
        rewards_claimed=pass_.rewards_claimed,
        tier=TierLabel.of(standing.current) if standing.current else None,
        next_tier=TierLabel.of(standing.next) if standing.next else None,
        rewards_to_next=standing.rewards_to_next,
        member_since=pass_.member_since,
        expired_at=(pass_.expired_at or pass_.updated_at) if pass_.status is PassStatus.EXPIRED else None,
        inactivity_days=inactivity_days,
        voided=pass_.status is PassStatus.ERASED,
        marketing_consent=pass_.marketing_consent,
        preferences_url=preferences_url,
        reminder=reminder_text(pass_, inactivity_days) if pass_.reminder_shown else None,
        news=(pass_.campaign_message, pass_.campaign_message_ar or pass_.campaign_message)
        if pass_.campaign_message
        else None,
    )


@dataclass(frozen=True)
class PassIssuer:
    """Who issues the pass and where the phone asks for updates."""

    pass_type_id: str
    team_id: str
    organization_name: str
    web_service_url: str


def wallet_date(iso: str) -> str:
    """`2026-12-07T14:41:32Z`: a W3C timestamp to the second, as Wallet parses dates (no fractional seconds)."""
    return parse_iso(iso).strftime("%Y-%m-%dT%H:%M:%SZ")


def _ar_digits(value: int) -> str:
    return str(value).translate(_ARABIC_DIGITS)


def _tier_text(tier: TierLabel) -> Text:
    return Text(f"{tier.icon} {tier.name}", f"{tier.icon} {tier.name_ar}")


def progress_text(face: PassFace) -> Text:
    return Text(
        f"{face.current_stamps} of {face.stamps_required}",
        f"{_ar_digits(face.current_stamps)} من {_ar_digits(face.stamps_required)}",
    )


def completed_text(face: PassFace) -> Text:
    return Text(f"{face.rewards_claimed}x", f"×{_ar_digits(face.rewards_claimed)}")


def tier_text(face: PassFace) -> Text:
    return _tier_text(face.tier) if face.tier else Text("New member", "عضو جديد")


def next_tier_text(face: PassFace) -> Text:
    if face.next_tier is None or face.rewards_to_next is None:
        return Text("You are at the top tier", "أنت في أعلى مستوى")
    tier = face.next_tier
    return Text(
        f"{face.rewards_to_next} more for {tier.icon} {tier.name}",
        f"{_ar_digits(face.rewards_to_next)} مكافآت أخرى للوصول إلى {tier.icon} {tier.name_ar}",
    )


def status_text(face: PassFace) -> Text:
    if face.expired:
        return Text("Expired: enroll again to reactivate", "منتهية: سجّل من جديد لإعادة تفعيلها")
    if face.reward_ready:
        return Text("Reward ready 🎁", "المكافأة جاهزة 🎁")
    return Text("Collecting stamps", "جمع الطوابع")


def stamps_text(face: PassFace) -> Text:
    if face.stamps_required <= MAX_DOTS:
        filled = min(face.current_stamps, face.stamps_required)
        dots = "●" * filled + "○" * (face.stamps_required - filled)
        return Text(dots, dots)
    return Text(
        f"{face.current_stamps} / {face.stamps_required}",
        f"{_ar_digits(face.current_stamps)} / {_ar_digits(face.stamps_required)}",
    )


def reward_text(face: PassFace) -> Text:
    fallback = Text(
        f"A reward after {face.stamps_required} stamps",
        f"مكافأة بعد {_ar_digits(face.stamps_required)} طوابع",
    )
    if face.reward is None:
        return fallback
    return Text(face.reward, face.reward_ar or face.reward)


def terms_text(face: PassFace) -> Text:
    days = face.inactivity_days
    return Text(
        "One stamp per visit. When the card is full, show this pass to claim your reward; the card then starts "
        "again. Every reward claimed counts toward your member tier. A pass with no visit for "
        f"{days} days expires; enrolling again brings it back with your tier kept.",
        "طابع واحد لكل زيارة. عند اكتمال البطاقة اعرض هذه البطاقة لاستلام مكافأتك، ثم تبدأ البطاقة من جديد. "
        "كل مكافأة تستلمها تُحتسب في مستوى عضويتك. تنتهي البطاقة إذا لم تُستخدم لمدة "
        f"{_ar_digits(days)} يومًا، ويعيدها التسجيل من جديد مع الاحتفاظ بمستواك.",
    )


def notice_text(face: PassFace) -> Text:
    """The card's own notice: the expiry reminder while it stands. The field is always there, so that the
    reminder is a change of its value, which Wallet announces with the field's `changeMessage` on the lock screen."""
    if face.reminder is not None:
        return Text(*face.reminder)
    return Text("Your card is active: every visit keeps it going.", "بطاقتك فعّالة: كل زيارة تُبقيها.")


def news_text(face: PassFace) -> Text:
    """The business's latest message to its members (a campaign). Always there, like the notice, so that a new
    message is a change of the field's value, which Wallet announces on the lock screen with its `changeMessage`
    (developer.apple.com/documentation/walletpasses/passfieldcontent: changeMessage)."""
    if face.news is not None:
        return Text(*face.news)
    return Text("No news yet.", "لا أخبار بعد.")


def preferences_text(face: PassFace, url: str) -> Text:
    if face.marketing_consent:
        return Text(
            f"You receive offers and news on this card. Change: {url}",
            f"تصلك العروض والأخبار على هذه البطاقة. للتغيير: {url}",
        )
    return Text(
        f"You receive no offers or news on this card. Change: {url}",
        f"لا تصلك عروض ولا أخبار على هذه البطاقة. للتغيير: {url}",
    )


# Invisible and zero-width, it tells apart two texts that read the same in English but not in Arabic.
_KEY_SEPARATOR = "\u2060"


class _Localized:
    """Collects every text the pass shows: the English goes into pass.json, both languages into pass.strings.

    Wallet translates any pass.json text that is a key of pass.strings, so one English text must mean one thing:
    a customer named "Reward" would otherwise share the key of the label "Reward" and either take its Arabic
    or give the label theirs. A second text with the same English but another meaning gets its own key, the
    English plus word joiners (U+2060, which draw nothing), mapped back to the same English in en.lproj."""

    def __init__(self) -> None:
        self.entries: dict[str, Text] = {}

    def __call__(self, text: Text) -> str:
        key = text.en
        while key in self.entries and self.entries[key] != text:
            key += _KEY_SEPARATOR
        self.entries[key] = text
        return key

    def strings(self, language: str) -> dict[str, str]:
        return {en: getattr(text, language) for en, text in self.entries.items()}


def _field(
    t: _Localized, key: str, label: Text, value: Text, change: Text | None = None, **extra: Any
) -> dict[str, Any]:
    field: dict[str, Any] = {"key": key, "label": t(label), "value": t(value), **extra}
    if change is not None:
        field["changeMessage"] = t(change)
    return field


def _rgb(hex_color: str) -> str:
    red, green, blue = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


@dataclass(frozen=True)
class PassDocument:
    pass_json: dict[str, Any]
    strings: dict[str, dict[str, str]]  # language → English text → text in that language


@dataclass(frozen=True)
class PassLook:
    """The business's brand as a pass wears it: its name on the front and as the issuer, and its colours."""

    business_name: str
    business_name_ar: str | None
    background_color: str
    foreground_color: str
    label_color: str


def _label_color(face: PassFace, look: PassLook | None) -> str:
    """The tier's colour for the labels; on a brand's background only when it is readable there (else the
    brand's own label colour)."""
    tier_color = face.tier.color if face.tier else None
    if look is None:
        return _rgb(tier_color) if tier_color else "rgb(196, 196, 210)"
    if tier_color and contrast_ratio(tier_color, look.background_color) >= MIN_TEXT_CONTRAST:
        return _rgb(tier_color)
    return _rgb(look.label_color)


def pass_document(face: PassFace, issuer: PassIssuer, look: PassLook | None = None) -> PassDocument:
    t = _Localized()
    offer_name = Text(face.offer_name, face.offer_name_ar or face.offer_name)
    # A business not named yet shows the offer's name on the front and the platform as the issuer.
    named = look is not None and bool(look.business_name)
    front_name = (
        Text(look.business_name, look.business_name_ar or look.business_name)
        if look and named
        else offer_name
    )
    document: dict[str, Any] = {
        "formatVersion": 1,
        "passTypeIdentifier": issuer.pass_type_id,
        "serialNumber": face.serial,
        "teamIdentifier": issuer.team_id,
        "organizationName": (look.business_name if look else "") or issuer.organization_name,
        "description": t(Text(f"{face.offer_name} stamp card", f"بطاقة طوابع {offer_name.ar}")),
        "logoText": t(front_name),
        "webServiceURL": issuer.web_service_url,
        "authenticationToken": face.auth_token,
        "sharingProhibited": True,
        "backgroundColor": _rgb(look.background_color) if look else "rgb(28, 28, 36)",
        "foregroundColor": _rgb(look.foreground_color) if look else "rgb(255, 255, 255)",
        "labelColor": _label_color(face, look),
        "barcodes": [
            {
                "format": "PKBarcodeFormatQR",
                "message": face.qr_payload,
                "messageEncoding": "iso-8859-1",
                # What a manager types at the counter when the camera cannot read the code.
                "altText": face.short_code,
            }
        ],
        "storeCard": {
            "headerFields": [
                _field(t, "status", Text("Status", "الحالة"), status_text(face), Text("%@", "%@")),
            ],
            "primaryFields": [
                _field(t, "stamps", Text("Stamps", "الطوابع"), stamps_text(face)),
            ],
            "secondaryFields": [
                _field(
                    t,
                    "progress",
                    Text("Progress", "التقدم"),
                    progress_text(face),
                    Text("Progress: %@", "التقدم: %@"),
                ),
                _field(
                    t,
                    "completed",
                    Text("Completed", "المكتملة"),
                    completed_text(face),
                    Text("Rewards completed: %@", "المكافآت المكتملة: %@"),
                ),
                _field(
                    t,
                    "tier",
                    Text("Tier", "المستوى"),
                    tier_text(face),
                    Text("You are now %@", "أصبحت الآن %@"),
                ),
            ],
            # A store card shows at most four secondary and auxiliary fields combined: the date goes on the back.
            "auxiliaryFields": [
                _field(t, "member", Text("Member", "العضو"), Text(face.customer_name, face.customer_name)),
            ],
            "backFields": [
                {
                    "key": "memberSince",
                    "label": t(Text("Member since", "عضو منذ")),
                    "value": wallet_date(face.member_since),
                    "dateStyle": "PKDateStyleMedium",
                    "timeStyle": "PKDateStyleNone",
                },
                _field(t, "reward", Text("Reward", "المكافأة"), reward_text(face)),
                _field(
                    t,
                    "nextTier",
                    Text("Next tier", "المستوى التالي"),
                    next_tier_text(face),
                    Text("%@", "%@"),
                ),
                _field(
                    t,
                    "rewardsClaimed",
                    Text("Rewards claimed", "المكافآت المستلمة"),
                    Text(str(face.rewards_claimed), _ar_digits(face.rewards_claimed)),
                ),
                _field(t, "terms", Text("Terms", "الشروط"), terms_text(face)),
                _field(
                    t, "notice", Text("Card notice", "تنبيه البطاقة"), notice_text(face), Text("%@", "%@")
                ),
                _field(t, "news", Text("News", "الأخبار"), news_text(face), Text("%@", "%@")),
            ],
        },
    }
    if face.preferences_url is not None:
        # Wallet shows a back field's web address as a link (the customer's own preferences page).
        document["storeCard"]["backFields"].append(
            _field(
                t,
                "preferences",
                Text("Offers and news", "العروض والأخبار"),
                preferences_text(face, face.preferences_url),
            )
        )
    if face.expired_at is not None:
        # A date in the past shows the pass as expired; re-enrollment sends a pass without it.
        document["expirationDate"] = wallet_date(face.expired_at)
    if face.voided:
        document["voided"] = True
    return PassDocument(document, {language: t.strings(language) for language in LANGUAGES})


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def strings_file(entries: dict[str, str]) -> bytes:
    """A `.strings` file (UTF-8, which Wallet reads): `"key" = "value";` per line."""
    lines = [f'"{_escape(key)}" = "{_escape(value)}";' for key, value in entries.items()]
    return ("\n".join(lines) + "\n").encode("utf-8")


def json_bytes(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")
