"""The one renderer: domain results and domain errors become the contract's answers (docs/API.md) here and
nowhere else: the status of each kind of refusal, the error body, `Retry-After`, and the pass actions' bodies.

Use cases that keep an answer under an Idempotency-Key are handed `render_pass` (the app layer's
`AnswerRenderer` port), so what a key keeps is exactly what the first request was sent; `respond` sends a result
or a kept answer as it is."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import Response

from loyalty.app.idempotency import Replayed, StoredAnswer
from loyalty.domain.errors import DomainError
from loyalty.domain.offers import Offer
from loyalty.domain.pass_results import (
    AlreadyEnrolled,
    ConsentShown,
    Enrolled,
    HistoryPage,
    MemberList,
    MemberShown,
    PassRead,
    PassResult,
    PreviewDrawn,
    PrizeClaimed,
    StampAwarded,
    StampVoided,
)
from loyalty.domain.passes import Pass
from loyalty.domain.tiers import Tier, TierConfig, TierStanding, TierUpgrade

# The refusals' rules live in `refusals` (the HTTP edge answers any refusal without this renderer); named here too.
from loyalty.entrypoints.http.refusals import (
    error_body as error_body,
)
from loyalty.entrypoints.http.refusals import (
    json_response as json_response,
)
from loyalty.entrypoints.http.refusals import (
    progress_block as progress_block,
)
from loyalty.entrypoints.http.refusals import (
    retry_after,
)
from loyalty.entrypoints.http.refusals import (
    status_of as status_of,
)

if TYPE_CHECKING:  # only named in signatures: a route that renders none of these does not load them
    from loyalty.app.ports.customers import IssuancesRead
    from loyalty.domain.business import Branch, Business, Person
    from loyalty.domain.credentials import Issuance
    from loyalty.domain.stats import OfferActivity
    from loyalty.domain.wallet_delivery import WalletDelivery

if TYPE_CHECKING:  # the results' types only: a handler imports the use cases it runs, no more
    from loyalty.app.wallets.apple_web_service import DeviceRegistered, PkpassAnswer, UpdatedPasses
    from loyalty.domain.exports import Export, ExportProgress


def render_error(error: DomainError) -> StoredAnswer:
    return StoredAnswer(status_of(error), error_body(error), retry_after(error))


# ------------------------------------------------------------------------------------------------ pass blocks
def tier_block(tier: Tier) -> dict[str, Any]:
    block: dict[str, Any] = {
        "id": tier.id,
        "name": tier.name,
        "nameAr": tier.name_ar,
        "minRewards": tier.min_rewards,
        "maxRewards": tier.max_rewards,
        "icon": tier.icon,
    }
    if tier.color is not None:
        block["color"] = tier.color
    return block


def tier_config_block(config: TierConfig) -> dict[str, Any]:
    return {"enabled": config.enabled, "tiers": [tier_block(tier) for tier in config.tiers]}


def tier_summary(tier: Tier) -> dict[str, str]:
    return {"id": tier.id, "name": tier.name, "nameAr": tier.name_ar, "icon": tier.icon}


def standing_block(standing: TierStanding) -> dict[str, Any]:
    return {
        "currentTier": tier_summary(standing.current) if standing.current else None,
        "rewardsClaimed": standing.rewards_claimed,
        "rewardsToNextTier": standing.rewards_to_next,
        "nextTier": tier_summary(standing.next) if standing.next else None,
        "isTopTier": standing.is_top,
    }


def upgrade_block(upgrade: TierUpgrade) -> dict[str, Any]:
    return {
        "from": tier_summary(upgrade.from_tier) if upgrade.from_tier else None,
        "to": tier_summary(upgrade.to_tier),
        "message": upgrade.message,
        "messageAr": upgrade.message_ar,
    }


def enrollment_answer(enrolled: Enrolled) -> dict[str, Any]:
    """A pass as enroll (and a recovery link) answers it: what the customer's phone shows, and its wallet links."""
    pass_ = enrolled.pass_
    answer: dict[str, Any] = {
        "customerId": pass_.customer_id,
        "offerId": pass_.offer_id,
        "passSerial": pass_.pass_serial,
        "status": pass_.status.value,
        "progress": progress_block(pass_),
        "tier": standing_block(enrolled.standing),
        "qrPayload": pass_.qr_payload,
    }
    if enrolled.wallet:
        answer["wallet"] = enrolled.wallet
    return answer


VERIFICATION_SENT: dict[str, Any] = {"success": True, "status": "VERIFICATION_SENT"}


def pass_status_answer(read: PassRead) -> dict[str, Any]:
    pass_, offer = read.pass_, read.offer
    return {
        "customerId": pass_.customer_id,
        "offerId": pass_.offer_id,
        "passSerial": pass_.pass_serial,
        "status": pass_.status.value,
        "progress": progress_block(pass_),
        "tier": standing_block(read.standing),
        "shortCode": pass_.short_code,
        "name": pass_.customer_name,
        "offerName": offer.name if offer is not None else "",
        "offerNameAr": offer.name_ar if offer is not None else None,
        "rewardReady": pass_.reward_ready,
        "lastActivityAt": pass_.last_activity_at,
        "memberSince": pass_.member_since,
        "lifetimeStamps": pass_.lifetime_stamps,
    }


def stamp_answer(pass_: Pass, standing: TierStanding, *, voided: bool) -> dict[str, Any]:
    """A scan's answer; a void's is the same shape, saying a stamp was taken back rather than given."""
    answer: dict[str, Any] = {
        "success": True,
        "stampAwarded": not voided,
        "progress": progress_block(pass_),
        "tier": standing_block(standing),
        "rewardReady": pass_.reward_ready,
    }
    if voided:
        answer["stampVoided"] = True
    return answer


def prize_answer(claimed: PrizeClaimed) -> dict[str, Any]:
    pass_ = claimed.pass_
    answer: dict[str, Any] = {
        "success": True,
        "progress": progress_block(pass_),
        "tier": standing_block(claimed.standing),
        "newCycleStarted": True,
        "totalCompletions": pass_.rewards_claimed,
    }
    if claimed.upgrade is not None:
        answer["tierUpgrade"] = upgrade_block(claimed.upgrade)
    if claimed.issuance is not None:
        answer["credentialIssuance"] = {
            "issuanceId": claimed.issuance.issuance_id,
            "status": claimed.issuance.status,
        }
    return answer


def render_pass(outcome: PassResult | DomainError) -> StoredAnswer:
    """A pass action's answer (the `AnswerRenderer` the actions keep under an Idempotency-Key)."""
    if isinstance(outcome, DomainError):
        return render_error(outcome)
    if isinstance(outcome, PassRead):
        return StoredAnswer(200, pass_status_answer(outcome))
    if isinstance(outcome, StampAwarded):
        return StoredAnswer(200, stamp_answer(outcome.pass_, outcome.standing, voided=False))
    if isinstance(outcome, StampVoided):
        return StoredAnswer(200, stamp_answer(outcome.pass_, outcome.standing, voided=True))
    if isinstance(outcome, Enrolled):
        return StoredAnswer(201 if outcome.created else 200, enrollment_answer(outcome))
    if isinstance(outcome, AlreadyEnrolled):
        return StoredAnswer(202, VERIFICATION_SENT)
    return StoredAnswer(200, prize_answer(outcome))


def member_answer(member: MemberShown, wallet: WalletDelivery | None = None) -> dict[str, Any]:
    """A member as the contract shows it; `wallet`, when read, is where its pass is delivered."""
    pass_ = member.pass_
    answer = {
        "customerId": pass_.customer_id,
        "name": pass_.customer_name,
        "email": member.email,
        "preferredLanguage": pass_.preferred_language,
        "status": pass_.status.value,
        "progress": progress_block(pass_),
        "tier": standing_block(member.standing),
        "rewardReady": pass_.reward_ready,
        "lastActivityAt": pass_.last_activity_at,
        "memberSince": pass_.member_since,
        "shortCode": pass_.short_code,
        "offerName": member.offer.name,
        "marketingConsent": pass_.marketing_consent,
        "marketingConsentAt": pass_.marketing_consent_at,
        "atRisk": member.at_risk,
    }
    if wallet is not None:
        answer["wallet"] = wallet.as_dict()
    return answer


def members_answer(page: MemberList, wallets: Mapping[str, WalletDelivery] | None = None) -> dict[str, Any]:
    """A members page; `wallets` (by customer id) gives each member read its `wallet` block."""
    found = wallets or {}
    return {
        "items": [member_answer(member, found.get(member.pass_.customer_id)) for member in page.members],
        "nextCursor": page.next_cursor,
    }


def preview_answer(preview: PreviewDrawn) -> dict[str, Any]:
    return {"apple": preview.apple, "google": preview.google, "tier": standing_block(preview.standing)}


# ------------------------------------------------------------------------------------------------ offers
def offer_answer(offer: Offer, logo_url: str | None = None) -> dict[str, Any]:
    """The offer as the contract shows it; `logo_url` is where its own brand's logo is served (the edge knows)."""
    return {
        "offerId": offer.offer_id,
        "businessId": offer.business_id,
        "name": offer.name,
        "nameAr": offer.name_ar,
        "stampsRequired": offer.stamps_required,
        "rewardDescription": offer.reward_description,
        "rewardDescriptionAr": offer.reward_description_ar,
        "loyaltyTiers": tier_config_block(offer.loyalty_tiers) if offer.loyalty_tiers else None,
        "effectiveTiers": [tier_block(tier) for tier in offer.ladder.tiers],
        "minMinutesBetweenStamps": offer.min_minutes_between_stamps,
        "expiryReminderDays": offer.expiry_reminder_days,
        "timezone": offer.timezone,
        "status": offer.status.value,
        "createdAt": offer.created_at,
        "updatedAt": offer.updated_at or offer.created_at,
        "brand": {**offer.brand.as_fields(), "logoUrl": logo_url} if offer.brand is not None else None,
    }


def offer_created(offer: Offer) -> StoredAnswer:
    """A new offer's 201 (what an Idempotency-Key on the create keeps)."""
    return StoredAnswer(201, offer_answer(offer))


def tiers_in_force_answer(offer: Offer) -> dict[str, Any]:
    """The answer of the /loyalty-tiers routes. `enabled` says whether the business's own ladder is on; a saved but
    disabled ladder is echoed as `customTiers` so the dashboard can show it and switch it back on."""
    answer: dict[str, Any] = {
        "enabled": offer.has_custom_tiers,
        "tiers": [tier_block(tier) for tier in offer.ladder.tiers],
        "source": "custom" if offer.has_custom_tiers else "default",
    }
    if not offer.has_custom_tiers and offer.loyalty_tiers is not None and offer.loyalty_tiers.tiers:
        answer["customTiers"] = [tier_block(tier) for tier in offer.loyalty_tiers.tiers]
    return answer


def issuance_page_answer(page: IssuancesRead) -> dict[str, Any]:
    return {
        "items": [issuance_record(issuance) for issuance in page.issuances],
        "nextCursor": page.next_cursor,
    }


def issuance_record(issuance: Issuance) -> dict[str, Any]:
    """A credential issuance as the owner reads it. The recipient's email is never part of it."""
    return {
        "issuanceId": issuance.issuance_id,
        "customerId": issuance.customer_id,
        "offerId": issuance.offer_id,
        "tier": {"id": issuance.tier_id, "name": issuance.tier_name},
        "status": issuance.status,
        "coreClaimHash": issuance.core_claim_hash,
        "attempts": issuance.attempts,
        "createdAt": issuance.created_at,
        "updatedAt": issuance.updated_at,
        "error": issuance.error,
    }


# ------------------------------------------------------------------------------------------------ sending
def send(answer: StoredAnswer) -> Response[Any]:
    return json_response(answer.status, answer.body, answer.headers or None)


def respond(outcome: PassResult | Replayed) -> Response[Any]:
    """A pass action's result as rendered, or a retry's kept first answer as it was kept."""
    if isinstance(outcome, Replayed):
        return send(outcome.answer)
    return send(render_pass(outcome))


# ------------------------------------------------------------------------------------ business, branches, staff
def business_answer(business: Business, logo_url: str | None = None) -> dict[str, Any]:
    """The business as the contract shows it; `logo_url` is where its logo is served (the edge knows)."""
    brand = business.brand
    return {
        "businessId": business.business_id,
        "name": business.name,
        "nameAr": business.name_ar,
        "timezone": business.timezone,
        "defaultLanguage": business.default_language,
        "brand": {
            "logoImageId": brand.logo_image_id,
            "iconImageId": brand.icon_image_id,
            "stripImageId": brand.strip_image_id,
            "backgroundColor": brand.background_color,
            "foregroundColor": brand.foreground_color,
            "labelColor": brand.label_color,
            "logoUrl": logo_url,
        },
        "createdAt": business.created_at,
    }


def branch_answer(branch: Branch) -> dict[str, Any]:
    return {
        "branchId": branch.branch_id,
        "name": branch.name,
        "nameAr": branch.name_ar,
        "address": branch.address,
        "latitude": branch.latitude,
        "longitude": branch.longitude,
        "status": branch.status.value,
    }


def person_answer(person: Person) -> dict[str, Any]:
    return {
        "userId": person.user_id,
        "email": person.email,
        "role": person.role.value,
        "branchId": person.branch_id,
        "status": person.status.value,
        "invitedAt": person.invited_at,
        "lastSeenAt": person.last_seen_at,
    }


def branches_answer(branches: list[Branch]) -> dict[str, Any]:
    return {"items": [branch_answer(branch) for branch in branches], "nextCursor": None}


def staff_answer(people: list[Person]) -> dict[str, Any]:
    return {"items": [person_answer(person) for person in people], "nextCursor": None}


# ------------------------------------------------------------------------------------------------ stats
def stats_answer(activity: OfferActivity, branch_names: Mapping[str, str]) -> dict[str, Any]:
    """The stats answer: every day of the range, zeros included; each branch with its name (null for a branch the
    business no longer has)."""
    totals, members = activity.totals, activity.members
    return {
        "offerId": activity.offer_id,
        "from": activity.span.start.isoformat(),
        "to": activity.span.end.isoformat(),
        "timezone": activity.timezone,
        "totals": {
            name: totals[name]
            for name in (
                "enrollments",
                "stamps",
                "voids",
                "prizes",
                "tierUpgrades",
                "expired",
                "reactivated",
                "wonBack",
            )
        }
        | (
            {"atRisk": activity.at_risk, "expiringSoon": activity.expiring_soon}
            if activity.at_risk is not None and activity.expiring_soon is not None
            else {}
        ),
        "daily": [
            {
                "date": day.day,
                **{name: day.counts[name] for name in ("enrollments", "stamps", "voids", "prizes")},
            }
            for day in activity.daily
        ],
        "byBranch": [
            {
                "branchId": branch,
                "stamps": counts["stamps"],
                "voids": counts["voids"],
                "prizes": counts["prizes"],
                "branchName": branch_names.get(branch),
            }
            for branch, counts in activity.by_branch
        ],
        "members": {
            "active": members["active"],
            "expired": members["expired"],
            "rewardReady": members["rewardReady"],
            "byTier": [
                {
                    "tierId": tier.id,
                    "name": tier.name,
                    "nameAr": tier.name_ar,
                    "icon": tier.icon,
                    "count": count,
                }
                for tier, count in activity.by_tier
            ],
            "noTier": activity.no_tier,
        },
    } | ({"wallets": activity.wallets} if activity.wallets is not None else {})


# ------------------------------------------------------------------------------------------------ preferences
def consent_answer(shown: ConsentShown) -> dict[str, Any]:
    pass_, offer = shown.pass_, shown.offer
    return {
        "marketingConsent": pass_.marketing_consent,
        "marketingConsentAt": pass_.marketing_consent_at,
        "offerName": offer.name,
        "offerNameAr": offer.name_ar,
        "preferredLanguage": pass_.preferred_language,
    }


# ------------------------------------------------------------------------------------------------ history
def history_answer(page: HistoryPage, branch_names: Mapping[str, str]) -> dict[str, Any]:
    """A page of a pass's audit trail; each event names its branch (null for one the business no longer has)."""
    return {
        "items": [
            {
                "eventId": event.event_id,
                "kind": event.kind,
                "at": event.at,
                "actor": event.actor,
                "branchId": event.branch_id,
                "reason": event.reason,
                "currentStamps": event.current_stamps,
                "rewardsClaimed": event.rewards_claimed,
                "lifetimeStamps": event.lifetime_stamps,
                "branchName": branch_names.get(event.branch_id) if event.branch_id else None,
            }
            for event in page.events
        ],
        "nextCursor": page.next_cursor,
    }


# ------------------------------------------------------------------------------------------------ members exports
def export_started_answer(export: Export) -> dict[str, Any]:
    """The export a POST started (or, for a retried Idempotency-Key, the one it started, as it stands now)."""
    return {"exportId": export.export_id, "status": export.status.value}


def export_state_answer(progress: ExportProgress) -> dict[str, Any]:
    export = progress.export
    return {
        "exportId": export.export_id,
        "status": export.status.value,
        "rows": export.rows,
        "downloadUrl": progress.download_url,
        "expiresAt": progress.expires_at,
    }


# ------------------------------------------------------------------------------ Apple's PassKit web service
# Apple's web service answers with statuses and empty bodies, and a pass as a signed package
# (developer.apple.com/documentation/walletpasses/adding-a-web-service-to-update-passes).
def empty_answer(status: int) -> Response[Any]:
    return Response(status_code=status, body="")


def registration_answer(registered: DeviceRegistered) -> Response[Any]:
    """201 when the device newly follows the pass, 200 when it already did."""
    return empty_answer(201 if registered.created else 200)


def updated_serials_answer(updated: UpdatedPasses | None) -> Response[Any]:
    """The changed serials and the next tag, or 204 when nothing changed since the tag."""
    if updated is None:
        return empty_answer(204)
    return json_response(200, {"serialNumbers": updated.serial_numbers, "lastUpdated": updated.last_updated})


def pkpass_answer(answer: PkpassAnswer) -> Response[Any]:
    """The signed pass with its `Last-Modified`, or 304 when the phone's copy is current."""
    from loyalty.app.wallets.apple_web_service import PKPASS_CONTENT_TYPE  # only the Apple function sends one

    headers = {"Last-Modified": answer.last_modified, "Cache-Control": "no-cache"}
    if answer.body is None:
        return Response(status_code=304, headers=headers, body="")
    headers["Content-Disposition"] = 'attachment; filename="loyalty-card.pkpass"'
    # Encoded here rather than by Powertools: its response validation would read raw bytes as UTF-8 text.
    response: Response[Any] = Response(
        status_code=200,
        content_type=PKPASS_CONTENT_TYPE,
        headers=headers,
        body=base64.b64encode(answer.body).decode(),
    )
    response.base64_encoded = True
    return response
