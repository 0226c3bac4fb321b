"""The one renderer: domain results and domain errors become the contract's answers (docs/API.md) here and
nowhere else: the status of each kind of refusal, the error body, `Retry-After`, and the pass actions' bodies.

Use cases that keep an answer under an Idempotency-Key are handed `render_pass` (the app layer's
`AnswerRenderer` port), so what a key keeps is exactly what the first request was sent; `respond` sends a result
or a kept answer as it is."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import Response

from loyalty.app.idempotency import IdempotencyKeyReused, Replayed, StoredAnswer
from loyalty.domain.errors import (
    Conflict,
    DomainError,
    FieldError,
    Forbidden,
    Gone,
    InvalidCursor,
    MalformedRequest,
    NotFound,
    TooSoon,
    Unauthorized,
    ValidationFailed,
)
from loyalty.domain.pass_results import PassRead, PassResult, PrizeClaimed, StampAwarded, StampVoided
from loyalty.domain.passes import Pass
from loyalty.domain.tiers import Tier, TierStanding, TierUpgrade

JSON = "application/json"

# Each kind of refusal and its status; a subclass takes the status of its nearest kind listed here.
STATUS_OF_KIND: dict[type[DomainError], int] = {
    MalformedRequest: 400,
    InvalidCursor: 400,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    Gone: 410,
    IdempotencyKeyReused: 422,
    ValidationFailed: 422,
    TooSoon: 429,
}
# A domain error of no listed kind: the client's request was wrong in some other way.
DEFAULT_REFUSAL_STATUS = 400


def status_of(error: DomainError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS_OF_KIND:
            return STATUS_OF_KIND[kind]
    return DEFAULT_REFUSAL_STATUS


def field_error(detail: FieldError) -> dict[str, str]:
    return {"field": detail.field, "message": detail.message}


def error_body(error: DomainError) -> dict[str, Any]:
    """The contract's error answer: `{"success": false, "error": {"code", "message", "details"}}` + extra."""
    return {
        "success": False,
        "error": {
            "code": error.code,
            "message": error.message,
            "details": [field_error(detail) for detail in error.details],
        },
        **error.extra,
    }


def render_error(error: DomainError) -> StoredAnswer:
    headers = {"Retry-After": str(error.retry_after_seconds)} if error.retry_after_seconds is not None else {}
    return StoredAnswer(status_of(error), error_body(error), headers)


# ------------------------------------------------------------------------------------------------ pass blocks
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


def progress_block(card: Pass) -> dict[str, int]:
    return {
        "currentStamps": card.current_stamps,
        "maxStamps": card.stamps_required,
        "rewardsClaimed": card.rewards_claimed,
        "stampsEarned": card.current_stamps,
        "stampsRequired": card.stamps_required,
    }


def pass_status_answer(read: PassRead) -> dict[str, Any]:
    card, offer = read.card, read.offer
    return {
        "customerId": card.customer_id,
        "offerId": card.offer_id,
        "passSerial": card.pass_serial,
        "status": card.status.value,
        "progress": progress_block(card),
        "tier": standing_block(read.standing),
        "shortCode": card.short_code,
        "name": card.customer_name,
        "offerName": offer.name if offer is not None else "",
        "offerNameAr": offer.name_ar if offer is not None else None,
        "rewardReady": card.reward_ready,
        "lastActivityAt": card.last_activity_at,
        "memberSince": card.member_since,
        "lifetimeStamps": card.lifetime_stamps,
    }


def stamp_answer(card: Pass, standing: TierStanding, *, voided: bool) -> dict[str, Any]:
    """A scan's answer; a void's is the same shape, saying a stamp was taken back rather than given."""
    answer: dict[str, Any] = {
        "success": True,
        "stampAwarded": not voided,
        "progress": progress_block(card),
        "tier": standing_block(standing),
        "rewardReady": card.reward_ready,
    }
    if voided:
        answer["stampVoided"] = True
    return answer


def prize_answer(claimed: PrizeClaimed) -> dict[str, Any]:
    card = claimed.card
    answer: dict[str, Any] = {
        "success": True,
        "progress": progress_block(card),
        "tier": standing_block(claimed.standing),
        "newCycleStarted": True,
        "totalCompletions": card.rewards_claimed,
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
        return StoredAnswer(200, stamp_answer(outcome.card, outcome.standing, voided=False))
    if isinstance(outcome, StampVoided):
        return StoredAnswer(200, stamp_answer(outcome.card, outcome.standing, voided=True))
    return StoredAnswer(200, prize_answer(outcome))


# ------------------------------------------------------------------------------------------------ sending
def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response(
        status_code=status,
        content_type=JSON,
        body=json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
        headers=headers,
    )


def send(answer: StoredAnswer) -> Response[Any]:
    return json_response(answer.status, answer.body, answer.headers or None)


def respond(outcome: PassResult | Replayed) -> Response[Any]:
    """A pass action's result as rendered, or a retry's kept first answer as it was kept."""
    if isinstance(outcome, Replayed):
        return send(outcome.answer)
    return send(render_pass(outcome))
