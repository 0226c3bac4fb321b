"""The contract's pass answers (API.md: progress and tier blocks, scan, confirm-prize, pass status, enroll)."""

from __future__ import annotations

from typing import Any

from loyalty.domain.passes import Pass
from loyalty.domain.tiers import TierLadder, TierUpgrade


def _pass_core(card: Pass, ladder: TierLadder) -> dict[str, Any]:
    return {
        "customerId": card.customer_id,
        "offerId": card.offer_id,
        "passSerial": card.pass_serial,
        "status": card.status.value,
        "progress": card.progress(),
        "tier": ladder.standing(card.rewards_claimed).as_dict(),
    }


def pass_summary(card: Pass, ladder: TierLadder) -> dict[str, Any]:
    return {**_pass_core(card, ladder), "qrPayload": card.qr_payload}


def enrollment_answer(card: Pass, ladder: TierLadder, wallet: dict[str, str] | None) -> dict[str, Any]:
    answer = pass_summary(card, ladder)
    if wallet:
        answer["wallet"] = wallet
    return answer


def scan_answer(card: Pass, ladder: TierLadder) -> dict[str, Any]:
    return {
        "success": True,
        "stampAwarded": True,
        "progress": card.progress(),
        "tier": ladder.standing(card.rewards_claimed).as_dict(),
        "rewardReady": card.reward_ready,
    }


def confirm_answer(
    card: Pass,
    ladder: TierLadder,
    upgrade: TierUpgrade | None,
    issuance: dict[str, str] | None,
) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "success": True,
        "progress": card.progress(),
        "tier": ladder.standing(card.rewards_claimed).as_dict(),
        "newCycleStarted": True,
        "totalCompletions": card.rewards_claimed,
    }
    if upgrade is not None:
        answer["tierUpgrade"] = upgrade.as_dict()
    if issuance is not None:
        answer["credentialIssuance"] = issuance
    return answer


def void_answer(card: Pass, ladder: TierLadder) -> dict[str, Any]:
    """The scan answer's shape, saying a stamp was taken back rather than given."""
    answer = scan_answer(card, ladder)
    answer["stampAwarded"] = False
    answer["stampVoided"] = True
    return answer
