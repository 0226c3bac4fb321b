"""At-risk members: customers drifting away, judged against their own rhythm.

Rule. A member's visits are their pass's stamps (`lifetimeStamps`); their usual gap between visits is the time from
joining (`memberSince`, their first visit) to their last activity, divided by the gaps it holds (visits − 1), and
never less than a day (someone who came twice in one morning does not become at risk an hour later). An ACTIVE pass
with at least two visits is at risk once the time since its last activity exceeds twice that usual gap; from then
until its next visit (or its expiry). A pass with fewer than two visits has no rhythm yet and is never at risk.

The moment a pass becomes at risk (`at_risk_from`) follows from the pass alone and changes only when the pass
does, so the member directory keeps it as an entry and the "at risk" segment is a range of it (no scan)."""

from __future__ import annotations

from datetime import timedelta

from loyalty.domain.clock import parse_iso, to_iso
from loyalty.domain.passes import Pass, PassStatus

RISK_FACTOR = 2
MIN_VISITS = 2
MIN_USUAL_GAP = timedelta(days=1)


def usual_gap(pass_: Pass) -> timedelta | None:
    """The member's mean time between visits, from their own history (None: fewer than two visits)."""
    visits = pass_.lifetime_stamps
    if visits < MIN_VISITS:
        return None
    span = parse_iso(pass_.last_activity_at) - parse_iso(pass_.member_since)
    return max(span / (visits - 1), MIN_USUAL_GAP)


def at_risk_from(pass_: Pass) -> str | None:
    """When the pass becomes at risk if nobody visits (None: never, as it stands)."""
    gap = usual_gap(pass_)
    if pass_.status is not PassStatus.ACTIVE or gap is None:
        return None
    return to_iso(parse_iso(pass_.last_activity_at) + RISK_FACTOR * gap)


def is_at_risk(pass_: Pass, at: str) -> bool:
    since = at_risk_from(pass_)
    return since is not None and since < at
