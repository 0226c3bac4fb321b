"""How much of an offer's members a filter keeps, from the members counts the stats keep (`active`, `expired`, and
the active members by rewards claimed), and so how many index items a filtered members page should ask for: enough
that the page fills in one Query almost always, not the whole 1 MB a Query reads without a limit
(docs/decisions/0021h-a-filtered-page-reads-what-its-share-needs.md)."""

from __future__ import annotations

import math
from collections.abc import Mapping

from loyalty.domain.member_filters import RewardsRange
from loyalty.domain.passes import PassStatus
from loyalty.domain.stats import REWARDS_PREFIX

# Matches among the index items read are binomial; asking for the expected number plus this many standard
# deviations fills the page in one Query about 99.9% of the time when the members of a tier are spread evenly.
SPREAD_DEVIATIONS = 3.0


def filter_share(
    counts: Mapping[str, int], status: PassStatus | None, ranges: tuple[RewardsRange, ...] | None
) -> float | None:
    """The expected share of the listed (not erased) members the filter keeps, or None when the counts know no
    members (not counted yet). The rewards counts are of active members; expired members are taken to be spread
    over the tiers like the active ones."""
    active, expired = max(counts.get("active", 0), 0), max(counts.get("expired", 0), 0)
    listed = active + expired
    if listed == 0:
        return None
    by_status = {None: 1.0, PassStatus.ACTIVE: active / listed, PassStatus.EXPIRED: expired / listed}
    share = by_status.get(status, 0.0)
    if ranges is not None:
        ranked = {
            int(name.removeprefix(REWARDS_PREFIX)): n
            for name, n in counts.items()
            if name.startswith(REWARDS_PREFIX) and name.removeprefix(REWARDS_PREFIX).isdigit() and n > 0
        }
        counted = sum(ranked.values())
        inside = sum(n for rewards, n in ranked.items() if any(_within(rewards, span) for span in ranges))
        share *= inside / counted if counted else 1.0
    return share


def items_to_read(wanted: int, share: float | None, listed: int) -> int | None:
    """The `Limit` of a Query that should find `wanted` matches where a `share` of the items match: the expected
    count plus SPREAD_DEVIATIONS standard deviations, at least `wanted`. None (read to the Query's 1 MB) when the
    share is unknown. A share of 0 (the counts lag a change) reads as if one member in `listed` matched."""
    if share is None:
        return None
    share = max(share, 1 / max(listed, 1))
    if share >= 1.0:
        return wanted
    expected = wanted / share
    spread = math.sqrt(wanted * (1 - share)) / share
    return max(wanted, math.ceil(expected + SPREAD_DEVIATIONS * spread))


def next_items_to_read(wanted: int, matched: int, scanned: int) -> int | None:
    """The `Limit` of a follow-up Query, from the share the page's Queries saw so far (None: they saw no match,
    so read to the 1 MB)."""
    if matched == 0 or scanned == 0:
        return None
    return items_to_read(wanted, matched / scanned, scanned)


def _within(rewards: int, span: RewardsRange) -> bool:
    return rewards >= span.low and (span.high is None or rewards <= span.high)
