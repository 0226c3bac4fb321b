"""The tier filter as ranges of rewards claimed agrees with the ladder's own standing, for every count."""

from __future__ import annotations

import pytest

from loyalty.domain.member_filters import NO_TIER, tier_rewards
from loyalty.domain.tiers import Tier, TierLadder


def _in(ranges: tuple, rewards: int) -> bool:  # type: ignore[type-arg]
    return any(r.low <= rewards and (r.high is None or rewards <= r.high) for r in ranges)


BOUNDED_TOP = TierLadder(
    (
        Tier("a", "A", "أ", 2, 3, "*", "#000000"),
        Tier("b", "B", "ب", 4, 7, "*", "#000000"),
    )
)


@pytest.mark.parametrize("ladder", [TierLadder.default(), BOUNDED_TOP])
def test_every_count_falls_in_the_ranges_of_its_own_tier_only(ladder: TierLadder) -> None:
    names = [t.id for t in ladder.tiers] + [NO_TIER]
    ranges = {name: tier_rewards(ladder, name) for name in names}
    for rewards in range(0, 40):
        current = ladder.standing(rewards).current
        expected = current.id if current is not None else NO_TIER
        assert [name for name in names if _in(ranges[name], rewards)] == [expected], rewards


def test_a_tier_the_ladder_lacks_has_no_range() -> None:
    assert tier_rewards(TierLadder.default(), "platinum") == ()
