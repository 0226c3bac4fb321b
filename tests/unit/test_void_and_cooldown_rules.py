"""Taking a stamp back and the cooldown between stamps, as rules (the e2e suite drives them through HTTP)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty.domain.passes import (
    NothingToVoid,
    Pass,
    StampTooSoon,
    Voider,
    VoidNotAllowed,
    award_stamp,
    claim_reward,
    void_stamp,
)
from loyalty.entrypoints.http.render import render_error
from tests.support.passes import fresh_pass

OWNER = Voider(is_owner=True, branch_id=None)
NORTH = Voider(is_owner=False, branch_id="north")


def pass_(stamps_required: int = 5) -> Pass:
    return fresh_pass(stamps_required)


def at(minute: int, second: int = 0) -> str:
    return f"2026-11-23T10:{minute:02d}:{second:02d}.000Z"


def test_a_manager_voids_their_branch_stamp_within_fifteen_minutes_only() -> None:
    stamped = award_stamp(pass_(), at(0), "north")
    assert void_stamp(stamped, at(15), NORTH).current_stamps == 0
    with pytest.raises(VoidNotAllowed):
        void_stamp(stamped, at(15, 1), NORTH)
    with pytest.raises(VoidNotAllowed):
        void_stamp(stamped, at(1), Voider(is_owner=False, branch_id="south"))
    # The owner may, any time in the cycle.
    assert void_stamp(stamped, at(59), OWNER).lifetime_stamps == 0


def test_a_void_takes_back_the_latest_stamp_and_the_cooldown_counts_from_the_one_before() -> None:
    two = award_stamp(award_stamp(pass_(), at(0), "south"), at(1), "north")
    back = void_stamp(two, at(2), NORTH)
    assert (back.current_stamps, back.lifetime_stamps, back.last_stamp_at) == (1, 1, at(0))
    # The stamp left is south's: north may not take it back.
    with pytest.raises(VoidNotAllowed):
        void_stamp(back, at(3), NORTH)


def test_nothing_to_void_at_zero_even_right_after_a_prize() -> None:
    full = award_stamp(pass_(stamps_required=1), at(0), "north")
    with pytest.raises(NothingToVoid):
        void_stamp(claim_reward(full, at(1)), at(2), OWNER)


@given(st.integers(min_value=1, max_value=1440), st.integers(min_value=0, max_value=3000))
def test_a_stamp_is_refused_exactly_within_the_cooldown(cooldown: int, seconds_later: int) -> None:
    first = award_stamp(pass_(stamps_required=50), "2026-11-23T00:00:00.000Z", "north")
    later = f"2026-11-23T{seconds_later // 3600:02d}:{seconds_later % 3600 // 60:02d}:{seconds_later % 60:02d}.000Z"
    if seconds_later < cooldown * 60:
        with pytest.raises(StampTooSoon) as refused:
            award_stamp(first, later, "north", min_minutes_between_stamps=cooldown)
        answer = render_error(refused.value)
        assert 1 <= int(answer.headers["Retry-After"]) <= cooldown * 60 - seconds_later
        assert answer.status == 429
    else:
        assert award_stamp(first, later, "north", min_minutes_between_stamps=cooldown).current_stamps == 2


def test_a_new_requirement_reaches_a_pass_at_its_next_cycle() -> None:
    started = award_stamp(pass_(stamps_required=5), at(0), offer_stamps_required=5)
    assert award_stamp(started, at(1), offer_stamps_required=8).stamps_required == 5
    full = started
    for minute in range(1, 5):
        full = award_stamp(full, at(minute), offer_stamps_required=8)
    assert claim_reward(full, at(6), offer_stamps_required=8).stamps_required == 8


def test_a_long_pass_keeps_marks_of_its_latest_stamps_only() -> None:
    stamped = pass_(stamps_required=20)
    for minute in range(8):
        stamped = award_stamp(stamped, at(minute), "north")
    assert [mark.at for mark in stamped.cycle_stamps] == [at(m) for m in range(3, 8)]
    for _ in range(5):
        stamped = void_stamp(stamped, at(8), NORTH)
    assert stamped.current_stamps == 3 and stamped.cycle_stamps == ()
    with pytest.raises(VoidNotAllowed):
        void_stamp(stamped, at(8), NORTH)
    assert void_stamp(stamped, at(8), OWNER).current_stamps == 2
