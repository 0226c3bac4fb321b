"""Resolving a customer's tier from rewards claimed: the defaults, the contract's blocks, and properties that hold
for every valid ladder and every count."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty.domain.tiers import (
    MAX_TIERS,
    Tier,
    TierConfig,
    TierLadder,
    TierStanding,
    effective_ladder,
    parse_tier_config,
    tier_upgrade,
)
from loyalty.entrypoints.http.render import (
    standing_block,
    tier_block,
    tier_config_block,
    tier_summary,
    upgrade_block,
)

DEFAULT = TierLadder.default()


def ids(ladder: TierLadder) -> list[str]:
    return [tier.id for tier in ladder.tiers]


# --- the default ladder -------------------------------------------------------------------------------------


def test_default_ladder_is_bronze_silver_gold_with_arabic_names() -> None:
    assert [(t.id, t.name, t.icon, t.min_rewards, t.max_rewards) for t in DEFAULT.tiers] == [
        ("bronze", "Bronze Member", "🥉", 1, 2),
        ("silver", "Silver Member", "🥈", 3, 5),
        ("gold", "Gold Member", "🥇", 6, None),
    ]
    assert all(tier.name_ar and tier.name_ar != tier.name for tier in DEFAULT.tiers)


@pytest.mark.parametrize(
    ("claimed", "current", "upcoming", "to_next", "top"),
    [
        (0, None, "bronze", 1, False),
        (1, "bronze", "silver", 2, False),
        (2, "bronze", "silver", 1, False),
        (3, "silver", "gold", 3, False),
        (5, "silver", "gold", 1, False),
        (6, "gold", None, None, True),
        (250, "gold", None, None, True),
    ],
)
def test_default_standing(
    claimed: int, current: str | None, upcoming: str | None, to_next: int | None, top: bool
) -> None:
    standing = DEFAULT.standing(claimed)
    assert (standing.current.id if standing.current else None) == current
    assert (standing.next.id if standing.next else None) == upcoming
    assert standing.rewards_to_next == to_next
    assert standing.is_top is top
    assert standing.rewards_claimed == claimed


def test_standing_block_has_the_contract_shape() -> None:
    silver, gold = DEFAULT.tiers[1], DEFAULT.tiers[2]
    assert standing_block(DEFAULT.standing(3)) == {
        "currentTier": {"id": "silver", "name": "Silver Member", "nameAr": silver.name_ar, "icon": "🥈"},
        "rewardsClaimed": 3,
        "rewardsToNextTier": 3,
        "nextTier": {"id": "gold", "name": "Gold Member", "nameAr": gold.name_ar, "icon": "🥇"},
        "isTopTier": False,
    }
    assert standing_block(DEFAULT.standing(0))["currentTier"] is None
    assert standing_block(DEFAULT.standing(9))["nextTier"] is None


def test_tier_object_has_the_contract_shape() -> None:
    assert tier_block(DEFAULT.tiers[2]) == {
        "id": "gold",
        "name": "Gold Member",
        "nameAr": DEFAULT.tiers[2].name_ar,
        "minRewards": 6,
        "maxRewards": None,
        "icon": "🥇",
        "color": DEFAULT.tiers[2].color,
    }
    assert "color" not in tier_block(Tier("a", "A", "أ", 1, None, "⭐"))


def test_negative_counts_are_a_bug() -> None:
    with pytest.raises(ValueError, match="negative"):
        DEFAULT.standing(-1)


def test_defaults_apply_without_a_config_or_when_disabled() -> None:
    custom = (Tier("member", "Member", "عضو", 1, None, "⭐"),)
    assert effective_ladder(None) == DEFAULT
    assert effective_ladder(TierConfig(enabled=False, tiers=custom)) == DEFAULT
    assert ids(effective_ladder(TierConfig(enabled=True, tiers=custom))) == ["member"]


def test_ladder_orders_tiers_by_floor() -> None:
    shuffled = TierLadder((DEFAULT.tiers[2], DEFAULT.tiers[0], DEFAULT.tiers[1]))
    assert shuffled == DEFAULT
    assert ids(shuffled) == ["bronze", "silver", "gold"]


# --- upgrades -----------------------------------------------------------------------------------------------


def test_first_tier_is_an_upgrade_from_nothing() -> None:
    upgrade = tier_upgrade(DEFAULT.standing(0), DEFAULT.standing(1))
    assert upgrade is not None
    assert upgrade_block(upgrade) == {
        "from": None,
        "to": tier_summary(DEFAULT.tiers[0]),
        "message": "Upgraded to 🥉 Bronze Member",
        "messageAr": f"تمت ترقيتك إلى 🥉 {DEFAULT.tiers[0].name_ar}",
    }


def test_crossing_into_silver() -> None:
    upgrade = tier_upgrade(DEFAULT.standing(2), DEFAULT.standing(3))
    assert upgrade is not None
    assert upgrade.message == "Upgraded to 🥈 Silver Member"
    assert upgrade_block(upgrade)["from"] == tier_summary(DEFAULT.tiers[0])


@pytest.mark.parametrize(("before", "after"), [(0, 0), (3, 4), (6, 7), (4, 2)])
def test_no_upgrade_without_climbing(before: int, after: int) -> None:
    assert tier_upgrade(DEFAULT.standing(before), DEFAULT.standing(after)) is None


def test_the_same_count_ranks_by_the_ladder_in_force() -> None:
    coffee = TierLadder(
        (
            Tier("lover", "Coffee Lover", "محب القهوة", 1, 3, "☕"),
            Tier("master", "Coffee Master", "سيد القهوة", 4, None, "👑"),
        )
    )
    assert coffee.standing(5).current == coffee.tiers[1]
    assert DEFAULT.standing(5).current == DEFAULT.tiers[1]


# --- properties over every valid ladder ---------------------------------------------------------------------


@st.composite
def ladders(draw: st.DrawFn) -> TierLadder:
    """A valid ladder, built as a dashboard would send it (in any order) and accepted by the validator."""
    count = draw(st.integers(min_value=1, max_value=MAX_TIERS))
    floor = draw(st.integers(min_value=1, max_value=20))
    widths = draw(st.lists(st.integers(min_value=1, max_value=15), min_size=count - 1, max_size=count - 1))
    raw: list[dict[str, Any]] = []
    for position in range(count):
        top = floor + widths[position] - 1 if position < count - 1 else None
        raw.append(
            {
                "id": f"tier-{position}",
                "name": f"Tier {position}",
                "nameAr": f"المستوى {position}",
                "minRewards": floor,
                "maxRewards": top,
                "icon": "⭐",
            }
        )
        if top is not None:
            floor = top + 1
    random.Random(draw(st.integers())).shuffle(raw)
    return effective_ladder(parse_tier_config({"enabled": True, "tiers": raw}))


counts = st.integers(min_value=0, max_value=200)


def rank(ladder: TierLadder, standing: TierStanding) -> int:
    return -1 if standing.current is None else ladder.tiers.index(standing.current)


@given(ladders(), counts)
def test_at_most_one_tier_holds_any_count(ladder: TierLadder, claimed: int) -> None:
    holding = [tier for tier in ladder.tiers if tier.contains(claimed)]
    assert len(holding) <= 1
    assert ladder.standing(claimed).current == (holding[0] if holding else None)


@given(ladders(), counts)
def test_every_count_from_the_first_floor_up_has_a_tier(ladder: TierLadder, claimed: int) -> None:
    has_tier = ladder.standing(claimed).current is not None
    assert has_tier == (claimed >= ladder.tiers[0].min_rewards)


@given(ladders(), counts, counts)
def test_tiers_never_go_down_as_the_count_grows(ladder: TierLadder, first: int, second: int) -> None:
    low, high = sorted((first, second))
    assert rank(ladder, ladder.standing(low)) <= rank(ladder, ladder.standing(high))


@given(ladders(), counts)
def test_rewards_to_next_tier_reaches_it_exactly(ladder: TierLadder, claimed: int) -> None:
    standing = ladder.standing(claimed)
    if standing.next is None:
        assert standing.rewards_to_next is None
        assert standing.is_top
        assert standing.current == ladder.tiers[-1]
        return
    assert standing.rewards_to_next is not None
    assert standing.rewards_to_next >= 1
    assert not standing.is_top
    assert ladder.standing(claimed + standing.rewards_to_next).current == standing.next
    assert ladder.standing(claimed + standing.rewards_to_next - 1).current == standing.current


@given(ladders(), counts)
def test_an_upgrade_is_reported_exactly_when_one_more_reward_climbs_a_tier(
    ladder: TierLadder, claimed: int
) -> None:
    before, after = ladder.standing(claimed), ladder.standing(claimed + 1)
    upgrade = tier_upgrade(before, after)
    climbed = rank(ladder, after) > rank(ladder, before)
    assert (upgrade is not None) == climbed
    if upgrade is not None:
        assert upgrade.to_tier == after.current
        assert upgrade.from_tier == before.current


@given(ladders())
def test_a_valid_ladder_round_trips_through_its_config(ladder: TierLadder) -> None:
    config = TierConfig(enabled=True, tiers=ladder.tiers)
    assert parse_tier_config(tier_config_block(config)) == config
