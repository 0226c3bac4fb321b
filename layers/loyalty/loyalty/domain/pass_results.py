"""What a pass action did, in the domain's words: the pass as it now stands and its tier standing (and, for a
prize, the upgrade it made and the credential issuance it started). The HTTP edge renders these; nothing here is
shaped for the wire."""

from __future__ import annotations

from dataclasses import dataclass

from loyalty.domain.credentials import Issuance
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass
from loyalty.domain.tiers import TierStanding, TierUpgrade


@dataclass(frozen=True)
class PassRead:
    """The pass as the scanner shows it after reading its QR code (or bringing it back), with the offer it
    belongs to, so one answer names everything the screen shows."""

    card: Pass
    standing: TierStanding
    offer: Offer | None = None


@dataclass(frozen=True)
class StampAwarded:
    card: Pass
    standing: TierStanding


@dataclass(frozen=True)
class StampVoided:
    card: Pass
    standing: TierStanding


@dataclass(frozen=True)
class PrizeClaimed:
    """A prize handed over: a new cycle started, maybe a tier climbed and its credential's issuance started."""

    card: Pass
    standing: TierStanding
    upgrade: TierUpgrade | None = None
    issuance: Issuance | None = None


PassResult = PassRead | StampAwarded | StampVoided | PrizeClaimed
