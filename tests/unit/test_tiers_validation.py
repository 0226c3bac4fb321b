"""Every rule of a custom tier ladder (API.md "Tiers"): one broken config per rule, each one 422 detail naming
the field, and a config breaking several rules gets all of them."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from loyalty.domain.errors import ValidationFailed
from loyalty.domain.tiers import MAX_TIERS, Tier, TierConfig, parse_tier_config
from loyalty.entrypoints.http.render import status_of, tier_config_block
from tests.support.ladders import COFFEE_SHOP


def tier(tier_id: str, low: int, high: int | None, **extra: Any) -> dict[str, Any]:
    return {
        "id": tier_id,
        "name": tier_id.title(),
        "nameAr": "مستوى",
        "minRewards": low,
        "maxRewards": high,
        "icon": "⭐",
        **extra,
    }


def problems(raw: object) -> list[tuple[str, str]]:
    with pytest.raises(ValidationFailed) as caught:
        parse_tier_config(raw)
    assert status_of(caught.value) == 422
    assert caught.value.code == "VALIDATION_ERROR"
    return [(detail.field, detail.message) for detail in caught.value.details]


def fields(raw: object) -> list[str]:
    return [field for field, _ in problems(raw)]


def coffee_with(position: int, **changes: Any) -> dict[str, Any]:
    config = copy.deepcopy(COFFEE_SHOP)
    config["tiers"][position].update(changes)
    return config


def test_coffee_shop_config_round_trips_exactly() -> None:
    config = parse_tier_config(COFFEE_SHOP)
    assert tier_config_block(config) == COFFEE_SHOP
    assert config.tiers[2] == Tier("coffee-master", "Coffee Master", "سيد القهوة", 10, None, "👑", "#FFD700")


def test_order_in_the_request_does_not_matter() -> None:
    shuffled = copy.deepcopy(COFFEE_SHOP)
    shuffled["tiers"] = [shuffled["tiers"][2], shuffled["tiers"][0], shuffled["tiers"][1]]
    assert parse_tier_config(shuffled) == parse_tier_config(COFFEE_SHOP)


def test_a_single_open_ended_tier_is_a_ladder() -> None:
    assert (
        parse_tier_config({"enabled": True, "tiers": [tier("member", 1, None)]}).tiers[0].max_rewards is None
    )


def test_ladder_may_start_above_one() -> None:
    config = parse_tier_config({"enabled": True, "tiers": [tier("regular", 3, 5), tier("vip", 6, None)]})
    assert [t.min_rewards for t in config.tiers] == [3, 6]


def test_colour_is_optional_and_either_case() -> None:
    config = parse_tier_config(
        {"enabled": True, "tiers": [tier("a", 1, 1, color="#abcdef"), tier("b", 2, None)]}
    )
    assert config.tiers[0].color == "#abcdef"
    assert config.tiers[1].color is None
    assert "color" not in tier_config_block(config)["tiers"][1]


def test_unknown_fields_are_ignored_so_a_read_config_can_be_sent_back() -> None:
    echoed = {**COFFEE_SHOP, "source": "custom"}
    assert tier_config_block(parse_tier_config(echoed)) == COFFEE_SHOP


def test_enabled_defaults_to_true() -> None:
    assert parse_tier_config({"tiers": COFFEE_SHOP["tiers"]}).enabled is True


def test_disabled_config_may_carry_no_tiers() -> None:
    assert parse_tier_config({"enabled": False, "tiers": []}) == TierConfig(enabled=False, tiers=())
    assert parse_tier_config({"enabled": False}) == TierConfig(enabled=False, tiers=())


def test_disabled_config_tiers_are_still_validated() -> None:
    assert fields({"enabled": False, "tiers": [tier("a", 1, 3)]}) == ["tiers[0].maxRewards"]


# --- one broken config per rule -----------------------------------------------------------------------------


def test_no_tiers() -> None:
    assert fields({"enabled": True, "tiers": []}) == ["tiers"]
    assert fields({"enabled": True}) == ["tiers"]


def test_more_than_ten_tiers() -> None:
    ladder = [tier(f"t{n}", n + 1, n + 1) for n in range(MAX_TIERS)] + [tier("top", MAX_TIERS + 1, None)]
    assert fields({"enabled": True, "tiers": ladder}) == ["tiers"]


def test_ten_tiers_are_allowed() -> None:
    ladder = [tier(f"t{n}", n + 1, n + 1) for n in range(MAX_TIERS - 1)] + [tier("top", MAX_TIERS, None)]
    assert len(parse_tier_config({"enabled": True, "tiers": ladder}).tiers) == MAX_TIERS


def test_duplicated_id() -> None:
    config = coffee_with(2, id="coffee-lover")
    assert problems(config) == [("tiers[2].id", "'coffee-lover' is already used by “Coffee Lover”")]


@pytest.mark.parametrize("bad_id", ["Gold", "gold tier", "", "x" * 33, "gold_1", "ذهب", "gold\n"])
def test_id_not_matching_the_pattern(bad_id: str) -> None:
    assert fields(coffee_with(1, id=bad_id)) == ["tiers[1].id"]


@pytest.mark.parametrize("good_id", ["gold", "tier-10", "x" * 32, "0"])
def test_id_matching_the_pattern(good_id: str) -> None:
    assert parse_tier_config(coffee_with(1, id=good_id)).tiers[1].id == good_id


@pytest.mark.parametrize("key", ["name", "nameAr"])
@pytest.mark.parametrize("value", ["", "   ", "x" * 41])
def test_name_empty_or_too_long(key: str, value: str) -> None:
    assert fields(coffee_with(0, **{key: value})) == [f"tiers[0].{key}"]


@pytest.mark.parametrize("key", ["name", "nameAr"])
def test_name_of_forty_characters_is_fine(key: str) -> None:
    assert len(getattr(parse_tier_config(coffee_with(0, **{key: "ق" * 40})).tiers[0], _attr(key))) == 40


def _attr(key: str) -> str:
    return {"name": "name", "nameAr": "name_ar"}[key]


@pytest.mark.parametrize("low", [0, -1])
def test_min_rewards_below_one(low: int) -> None:
    assert fields(coffee_with(0, minRewards=low)) == ["tiers[0].minRewards"]


def test_max_below_min() -> None:
    assert problems(coffee_with(1, maxRewards=3)) == [
        ("tiers[1].maxRewards", "must not be less than minRewards (4)")
    ]


def test_overlapping_ranges() -> None:
    assert fields(coffee_with(1, minRewards=3)) == ["tiers[1].minRewards"]


def test_overlap_with_a_tier_that_is_not_the_neighbour() -> None:
    ladder = [tier("wide", 1, 10), tier("inner", 3, 4), tier("top", 11, None)]
    assert fields({"enabled": True, "tiers": ladder}) == ["tiers[1].minRewards"]


def test_gap_between_tiers() -> None:
    assert problems(coffee_with(1, minRewards=5)) == [
        ("tiers[1].minRewards", "leaves a gap after tier “Coffee Lover”: no tier covers 4 rewards")
    ]


def test_open_ended_tier_below_the_highest() -> None:
    assert problems(coffee_with(1, maxRewards=None)) == [
        ("tiers[1].maxRewards", "only the highest tier may be open-ended (maxRewards null)")
    ]


def test_a_tier_without_max_rewards_is_refused_as_the_contract_requires_it() -> None:
    config = copy.deepcopy(COFFEE_SHOP)
    del config["tiers"][2]["maxRewards"]
    assert problems(config) == [
        ("tiers[2].maxRewards", "is required: a whole number, or null for no upper bound")
    ]
    config["tiers"][2]["maxRewards"] = None
    assert parse_tier_config(config).tiers[2].max_rewards is None


def test_bounded_highest_tier() -> None:
    assert problems(coffee_with(2, maxRewards=20)) == [
        ("tiers[2].maxRewards", "the highest tier must be open-ended (maxRewards null)")
    ]


@pytest.mark.parametrize("colour", ["gold", "#FFF", "#GGGGGG", "FFD700", "#FFD7000", "", 16766720])
def test_colour_not_rrggbb(colour: object) -> None:
    assert fields(coffee_with(2, color=colour)) == ["tiers[2].color"]


def test_icon_is_required() -> None:
    assert fields(coffee_with(0, icon="")) == ["tiers[0].icon"]
    assert fields(coffee_with(0, icon="☕" * 17)) == ["tiers[0].icon"]


# --- wrong JSON types are 422 details, never crashes --------------------------------------------------------


@pytest.mark.parametrize("raw", [None, [], "tiers", 3, True])
def test_config_must_be_an_object(raw: object) -> None:
    assert fields(raw) == ["body"]


def test_tiers_must_be_a_list() -> None:
    assert fields({"enabled": True, "tiers": {"gold": {}}}) == ["tiers"]


def test_each_tier_must_be_an_object() -> None:
    config = copy.deepcopy(COFFEE_SHOP)
    config["tiers"].append("platinum")
    assert fields(config) == ["tiers[3]"]


@pytest.mark.parametrize("enabled", ["true", 1, None])
def test_enabled_must_be_a_boolean(enabled: object) -> None:
    assert fields({**COFFEE_SHOP, "enabled": enabled}) == ["enabled"]


@pytest.mark.parametrize("count", ["1", 1.5, True, None, [1]])
def test_min_rewards_must_be_a_whole_number(count: object) -> None:
    assert fields(coffee_with(0, minRewards=count)) == ["tiers[0].minRewards"]


@pytest.mark.parametrize("count", ["9", 9.5, False, {"n": 9}])
def test_max_rewards_must_be_a_whole_number_or_null(count: object) -> None:
    assert fields(coffee_with(1, maxRewards=count)) == ["tiers[1].maxRewards"]


def test_a_count_with_a_zero_fraction_is_that_count() -> None:
    ladder = parse_tier_config(coffee_with(1, minRewards=4.0, maxRewards=9.0))
    assert (ladder.tiers[1].min_rewards, ladder.tiers[1].max_rewards) == (4, 9)


def test_counts_too_large_for_storage_are_rejected() -> None:
    assert fields(coffee_with(2, minRewards=10**40)) == ["tiers[2].minRewards"]


@pytest.mark.parametrize("key", ["id", "name", "nameAr", "icon"])
def test_text_fields_must_be_strings(key: str) -> None:
    assert fields(coffee_with(1, **{key: 12})) == [f"tiers[1].{key}"]


# --- several problems at once -------------------------------------------------------------------------------


def test_a_config_breaking_several_rules_reports_every_one() -> None:
    config = {
        "enabled": "yes",
        "tiers": [
            tier("Bronze", 0, 2, color="brown"),
            tier("silver", 4, 3),
            tier("gold", 3, 6, name=""),
            tier("gold", 7, None, nameAr="x" * 41),
        ],
    }
    assert sorted(fields(config)) == sorted(
        [
            "enabled",
            "tiers[0].id",
            "tiers[0].minRewards",
            "tiers[0].color",
            "tiers[1].maxRewards",
            "tiers[2].name",
            "tiers[3].nameAr",
            "tiers[3].id",
        ]
    )


def test_range_problems_are_reported_together() -> None:
    ladder = [tier("a", 1, None), tier("b", 2, 4), tier("c", 7, 8), tier("d", 8, 12)]
    assert sorted(fields({"enabled": True, "tiers": ladder})) == sorted(
        [
            "tiers[0].maxRewards",  # open-ended below the highest
            "tiers[2].minRewards",  # gap 5-6
            "tiers[3].minRewards",  # overlaps c at 8
            "tiers[3].maxRewards",  # highest is bounded
        ]
    )


def test_field_prefix_names_the_config_inside_a_larger_body() -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_tier_config(coffee_with(1, minRewards=0), field_prefix="loyaltyTiers")
    assert [d.field for d in caught.value.details] == ["loyaltyTiers.tiers[1].minRewards"]


def test_a_disabled_ladder_may_leave_its_tiers_out_but_not_send_them_as_null() -> None:
    # The contract fuzzer found `{"enabled": false, "tiers": null}` taken although the document says `tiers` is a list.
    assert parse_tier_config({"enabled": False}).tiers == ()
    assert problems({"enabled": False, "tiers": None}) == [("tiers", "must be a list of tiers")]
