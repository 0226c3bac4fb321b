"""What a pass action did, in the domain's words: the pass as it now stands and its tier standing (and, for a
prize, the upgrade it made and the credential issuance it started). The HTTP edge renders these; nothing here is
shaped for the wire."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from loyalty.domain.credentials import Issuance
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass
from loyalty.domain.tiers import TierStanding, TierUpgrade


@dataclass(frozen=True)
class PassRead:
    """The pass as the scanner shows it after reading its QR code (or bringing it back), with the offer it
    belongs to, so one answer names everything the screen shows."""

    pass_: Pass
    standing: TierStanding
    offer: Offer | None = None


@dataclass(frozen=True)
class StampAwarded:
    pass_: Pass
    standing: TierStanding


@dataclass(frozen=True)
class StampVoided:
    pass_: Pass
    standing: TierStanding


@dataclass(frozen=True)
class PrizeClaimed:
    """A prize handed over: a new cycle started, maybe a tier climbed and its credential's issuance started."""

    pass_: Pass
    standing: TierStanding
    upgrade: TierUpgrade | None = None
    issuance: Issuance | None = None


@dataclass(frozen=True)
class Enrolled:
    """A new pass (or, from a recovery link, the customer's own pass again), with its wallet links if any."""

    pass_: Pass
    standing: TierStanding
    wallet: dict[str, str] | None = None
    created: bool = True


@dataclass(frozen=True)
class AlreadyEnrolled:
    """The email already holds a pass of the offer: the pass went to that address, and nothing of it is told."""


@dataclass(frozen=True)
class MemberShown:
    """A member as the offer's member list shows them: the email masked unless the reader may see it."""

    pass_: Pass
    standing: TierStanding
    email: str
    offer: Offer
    # Past twice their usual gap between visits (domain/at_risk.py), as of the request.
    at_risk: bool = False


@dataclass(frozen=True)
class MemberList:
    members: list[MemberShown]
    next_cursor: str | None


@dataclass(frozen=True)
class PreviewDrawn:
    """What each wallet would show of a pass at the counts asked, and the tier standing it would have."""

    apple: dict[str, Any]
    google: dict[str, Any]
    standing: TierStanding


PassResult = PassRead | StampAwarded | StampVoided | PrizeClaimed | Enrolled | AlreadyEnrolled


@dataclass(frozen=True)
class ConsentShown:
    """A pass's marketing consent as it stands, and the offer it belongs to (the customer's preferences page)."""

    pass_: Pass
    offer: Offer


@dataclass(frozen=True)
class HistoryEvent:
    """One change of a pass as its audit trail shows it: who, which branch, when, why, and the counts after."""

    event_id: str
    kind: str
    at: str
    actor: str | None
    branch_id: str | None
    reason: str | None
    current_stamps: int
    rewards_claimed: int
    lifetime_stamps: int


@dataclass(frozen=True)
class HistoryPage:
    events: list[HistoryEvent]
    next_cursor: str | None
