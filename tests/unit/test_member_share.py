"""How many index items a filtered members page asks for (domain/member_share.py): sized by the share the members
counts give the filter, so a page of a common filter reads next to its page and a rare one enough to fill it."""

from __future__ import annotations

import random

import pytest

from loyalty.domain.member_filters import tier_rewards
from loyalty.domain.member_share import filter_share, items_to_read, next_items_to_read
from loyalty.domain.passes import PassStatus
from loyalty.domain.tiers import TierLadder

# 1,000 members: 800 active (780 with no reward, 20 with 6: gold in the default ladder), 200 expired.
COUNTS = {"active": 800, "expired": 200, "rewards=0": 780, "rewards=6": 20, "rewardReady": 3}
GOLD = tier_rewards(TierLadder.default(), "gold")


def test_the_share_of_a_status_and_of_a_tier_come_from_the_counts() -> None:
    assert filter_share(COUNTS, PassStatus.ACTIVE, None) == pytest.approx(0.8)
    assert filter_share(COUNTS, PassStatus.EXPIRED, None) == pytest.approx(0.2)
    assert filter_share(COUNTS, None, GOLD) == pytest.approx(20 / 800)
    assert filter_share(COUNTS, PassStatus.ACTIVE, GOLD) == pytest.approx(20 / 1000)


def test_no_counts_yet_means_no_share_and_a_query_to_its_1_mb() -> None:
    assert filter_share({}, None, GOLD) is None
    assert items_to_read(51, None, 0) is None


def test_a_common_filter_reads_about_its_page_and_a_rare_one_enough_to_fill_it() -> None:
    assert items_to_read(51, 1.0, 1000) == 51
    common = items_to_read(51, 0.8, 1000)
    assert common is not None and 51 < common < 80
    rare = items_to_read(51, 0.02, 100_000)
    assert rare is not None and 2_550 < rare < 4_000


def test_a_share_the_counts_put_at_nothing_still_reads_a_bounded_query() -> None:
    limit = items_to_read(51, 0.0, 1000)
    assert limit is not None and limit >= 1000


def test_the_limit_fills_the_page_almost_always_when_the_tier_is_spread_evenly() -> None:
    rng = random.Random(7)
    limit = items_to_read(51, 0.02, 100_000)
    assert limit is not None
    short = sum(1 for _ in range(500) if sum(rng.random() < 0.02 for _ in range(limit)) < 51)
    assert short <= 3


def test_a_follow_up_is_sized_by_what_the_first_query_saw() -> None:
    assert next_items_to_read(10, 0, 500) is None
    follow = next_items_to_read(10, 5, 500)  # 1% seen: ten more matches need about 1,000 items
    assert follow is not None and 1_000 <= follow < 2_500
