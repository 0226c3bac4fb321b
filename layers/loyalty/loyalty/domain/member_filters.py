"""Which counts of rewards claimed put a member in a tier of a ladder (or in none): the tier filter of the members
list as ranges of `rewardsClaimed`, so the list's index can keep only the members it asks for."""

from __future__ import annotations

from dataclasses import dataclass

from loyalty.domain.tiers import TierLadder

NO_TIER = "none"


@dataclass(frozen=True)
class RewardsRange:
    """`low <= rewardsClaimed <= high` (no upper bound when `high` is None)."""

    low: int
    high: int | None


def tier_rewards(ladder: TierLadder, tier_id: str) -> tuple[RewardsRange, ...]:
    """The ranges of rewards claimed that rank a member in `tier_id` (`none`: in no tier); none for a tier the
    ladder does not have."""
    if tier_id != NO_TIER:
        return tuple(RewardsRange(t.min_rewards, t.max_rewards) for t in ladder.tiers if t.id == tier_id)
    ranges: list[RewardsRange] = []
    start: int | None = 0
    for tier in ladder.tiers:  # ordered by floor; the gaps between tiers are in no tier
        if start is not None and tier.min_rewards > start:
            ranges.append(RewardsRange(start, tier.min_rewards - 1))
        ceiling = None if tier.max_rewards is None else tier.max_rewards + 1
        start = None if ceiling is None or start is None else max(start, ceiling)
    if start is not None:
        ranges.append(RewardsRange(start, None))
    return tuple(ranges)
