"""The portable loyalty credential: its subject, its issuance record and the record's life cycle.

An issuance moves PENDING → WAIT_ONCHAIN → ONCHAIN, or ends FAILED / TIMED_OUT; a final status never changes.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from loyalty.domain.clock import to_iso
from loyalty.domain.errors import Conflict, NotFound

PENDING: Final = "PENDING"
WAIT_ONCHAIN: Final = "WAIT_ONCHAIN"
ONCHAIN: Final = "ONCHAIN"
FAILED: Final = "FAILED"
TIMED_OUT: Final = "TIMED_OUT"

FINAL_STATUSES: Final = frozenset({ONCHAIN, FAILED, TIMED_OUT})

# The statuses each status may be reached from. ONCHAIN straight from PENDING covers an answer recorded late.
REACHABLE_FROM: Final[dict[str, frozenset[str]]] = {
    WAIT_ONCHAIN: frozenset({PENDING}),
    ONCHAIN: frozenset({PENDING, WAIT_ONCHAIN}),
    FAILED: frozenset({PENDING, WAIT_ONCHAIN}),
    TIMED_OUT: frozenset({PENDING, WAIT_ONCHAIN}),
}

ERROR_MAX_LENGTH: Final = 500


def _issuance_id(seed: str) -> str:
    digest = hashlib.sha256(seed.encode()).digest()
    return "iss_" + base64.b32encode(digest[:16]).decode().rstrip("=").lower()


def upgrade_issuance_id(customer_id: str, offer_id: str, rewards_claimed: int) -> str:
    """The one issuance id of the upgrade reached at this claim count: a retried claim never yields two issuances."""
    return _issuance_id(f"upgrade#{customer_id}#{offer_id}#{rewards_claimed}")


def reissue_issuance_id(customer_id: str, offer_id: str, tier_id: str, earlier_of_tier: int) -> str:
    """The id of an owner's re-issue, fixed by what it follows: two owners clicking at once start one issuance."""
    return _issuance_id(f"reissue#{customer_id}#{offer_id}#{tier_id}#{earlier_of_tier}")


def credential_subject(
    tier_name: str, lifetime_points: int, member_since: datetime, upgraded_at: datetime
) -> dict[str, object]:
    """The subject AIR Kit stores: only what a partner may verify, never a purchase."""
    return {
        "tier": tier_name,
        "lifetimePoints": int(lifetime_points),
        "memberSince": member_since.date().isoformat(),
        "upgradedAt": to_iso(upgraded_at),
    }


def truncate_reason(reason: str) -> str:
    reason = " ".join(reason.split())
    return reason if len(reason) <= ERROR_MAX_LENGTH else reason[: ERROR_MAX_LENGTH - 1] + "…"


@dataclass(frozen=True)
class Issuance:
    issuance_id: str
    customer_id: str
    offer_id: str
    business_id: str
    tier_id: str
    tier_name: str
    subject: dict[str, object]
    status: str = PENDING
    attempts: int = 0
    # An attempt left for AIR Kit and no clear refusal came back: AIR Kit may hold this credential already.
    maybe_accepted: bool = False
    core_claim_hash: str | None = None
    created_at: str = ""
    updated_at: str = ""
    error: str | None = None


@dataclass(frozen=True)
class SubmissionTurn:
    """Whether an issuance may go to AIR Kit now. A pass's credentials are submitted in the order of their
    upgrades, because `onDuplicate: "revoke"` keeps only the last one submitted: an issuance waits while an older
    one is still PENDING, and never goes at all once a newer one has been accepted."""

    waiting_for: Issuance | None = None
    superseded_by: Issuance | None = None


def submission_turn(issuance: Issuance, of_pass: list[Issuance]) -> SubmissionTurn:
    own = (issuance.created_at, issuance.issuance_id)
    ordered = sorted(of_pass, key=lambda i: (i.created_at, i.issuance_id))
    newer = [
        i for i in ordered if (i.created_at, i.issuance_id) > own and i.status in (WAIT_ONCHAIN, ONCHAIN)
    ]
    if newer:
        return SubmissionTurn(superseded_by=newer[-1])
    older = [i for i in ordered if (i.created_at, i.issuance_id) < own and i.status == PENDING]
    return SubmissionTurn(waiting_for=older[0] if older else None)


class IssuanceNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No credential issuance with this id.", code="ISSUANCE_NOT_FOUND")


class NoTier(Conflict):
    def __init__(self) -> None:
        super().__init__("The customer has not reached a loyalty tier yet.", code="NO_TIER")


class IssuanceAlreadyFinal(Conflict):
    def __init__(self, issuance_id: str, status: str) -> None:
        super().__init__(f"Issuance {issuance_id} is already {status}.", code="ISSUANCE_FINAL")
