"""The perpetual stamp card: one pass per customer and offer, stamped each visit, claimed when full, forever.

Pure rules; the storage layer makes each transition one conditional write against the version read here."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from loyalty.domain.errors import Conflict, Gone, NotFound


class PassStatus(StrEnum):
    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"


class PassNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No pass for this customer and offer.", code="PASS_NOT_FOUND")


class PassExpired(Gone):
    def __init__(self) -> None:
        super().__init__(
            "This pass expired after a long time without visits; enroll again to reactivate it.",
            "PASS_EXPIRED",
        )


class RewardReady(Conflict):
    def __init__(self, progress: dict[str, int]) -> None:
        super().__init__(
            "The card is full: hand over the prize and confirm it before stamping again.",
            code="REWARD_READY",
            extra={"progress": progress},
        )


class NotEnoughStamps(Conflict):
    def __init__(self, progress: dict[str, int]) -> None:
        super().__init__(
            f"The card has {progress['currentStamps']} of {progress['maxStamps']} stamps: no prize yet.",
            code="NOT_ENOUGH_STAMPS",
            extra={"progress": progress},
        )


class PassBusy(Conflict):
    def __init__(self) -> None:
        super().__init__("The pass is being updated by others right now; try again.", code="PASS_BUSY")


@dataclass(frozen=True)
class Pass:
    customer_id: str
    offer_id: str
    business_id: str
    pass_serial: str
    auth_token: str
    status: PassStatus
    current_stamps: int
    stamps_required: int
    rewards_claimed: int
    lifetime_stamps: int
    member_since: str
    last_activity_at: str
    created_at: str
    updated_at: str
    version: int
    email: str
    customer_name: str
    preferred_language: str = "en"
    expired_at: str | None = None

    @property
    def reward_ready(self) -> bool:
        return self.current_stamps >= self.stamps_required

    @property
    def qr_payload(self) -> str:
        """What the scanner reads: enough to address the pass, nothing personal."""
        return f"loyalty:v1:{self.customer_id}:{self.offer_id}"

    def progress(self) -> dict[str, int]:
        return {
            "currentStamps": self.current_stamps,
            "maxStamps": self.stamps_required,
            "rewardsClaimed": self.rewards_claimed,
            "stampsEarned": self.current_stamps,
            "stampsRequired": self.stamps_required,
        }

    def _touched(self, at: str, **changes: Any) -> Pass:
        return replace(self, last_activity_at=at, updated_at=at, version=self.version + 1, **changes)


def new_pass(
    *,
    customer_id: str,
    offer_id: str,
    business_id: str,
    stamps_required: int,
    email: str,
    customer_name: str,
    preferred_language: str,
    pass_serial: str,
    auth_token: str,
    at: str,
) -> Pass:
    return Pass(
        customer_id=customer_id,
        offer_id=offer_id,
        business_id=business_id,
        pass_serial=pass_serial,
        auth_token=auth_token,
        status=PassStatus.ACTIVE,
        current_stamps=0,
        stamps_required=stamps_required,
        rewards_claimed=0,
        lifetime_stamps=0,
        member_since=at,
        last_activity_at=at,
        created_at=at,
        updated_at=at,
        version=1,
        email=email,
        customer_name=customer_name,
        preferred_language=preferred_language,
    )


def _ensure_active(card: Pass) -> None:
    if card.status is PassStatus.EXPIRED:
        raise PassExpired()


def award_stamp(card: Pass, at: str) -> Pass:
    """One visit, one stamp; a full card takes no more until its prize is confirmed."""
    _ensure_active(card)
    if card.reward_ready:
        raise RewardReady(card.progress())
    return card._touched(at, current_stamps=card.current_stamps + 1, lifetime_stamps=card.lifetime_stamps + 1)


def claim_reward(card: Pass, at: str) -> Pass:
    """The prize was handed over: the completion counts and the same card starts again at 0."""
    _ensure_active(card)
    if not card.reward_ready:
        raise NotEnoughStamps(card.progress())
    return card._touched(at, current_stamps=0, rewards_claimed=card.rewards_claimed + 1)


def reactivate(card: Pass, at: str) -> Pass:
    """An expired pass comes back on re-enrollment: stamps start at 0, completions (and so the tier) are kept."""
    return card._touched(at, status=PassStatus.ACTIVE, current_stamps=0, expired_at=None)
