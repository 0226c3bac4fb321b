"""The perpetual stamp card's rules, as a customer and a manager live them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty.domain.passes import (
    NotEnoughStamps,
    Pass,
    PassExpired,
    PassStatus,
    RewardReady,
    award_stamp,
    claim_reward,
    reactivate,
)
from loyalty.entrypoints.http.render import progress_block, render_error, status_of
from tests.support.passes import AT, fresh_pass


def pass_(stamps_required: int = 5) -> Pass:
    return fresh_pass(stamps_required)


def test_five_visits_fill_the_pass_and_the_sixth_is_refused_with_progress() -> None:
    c = pass_()
    for _ in range(5):
        c = award_stamp(c, AT)
    assert c.reward_ready
    with pytest.raises(RewardReady) as refused:
        award_stamp(c, AT)
    assert render_error(refused.value).body["progress"]["currentStamps"] == 5


def test_confirming_a_full_pass_starts_again_and_counts_the_completion() -> None:
    c = pass_()
    for _ in range(5):
        c = award_stamp(c, AT)
    c = claim_reward(c, "2026-11-24T10:00:00.000Z")
    assert (c.current_stamps, c.rewards_claimed, c.lifetime_stamps) == (0, 1, 5)
    assert c.last_activity_at == "2026-11-24T10:00:00.000Z"


def test_no_prize_before_the_pass_is_full() -> None:
    c = award_stamp(pass_(), AT)
    with pytest.raises(NotEnoughStamps) as refused:
        claim_reward(c, AT)
    assert status_of(refused.value) == 409
    assert refused.value.code == "NOT_ENOUGH_STAMPS"


def test_an_expired_pass_takes_no_stamp_and_no_prize() -> None:
    from dataclasses import replace

    expired = replace(pass_(), status=PassStatus.EXPIRED)
    with pytest.raises(PassExpired):
        award_stamp(expired, AT)
    with pytest.raises(PassExpired):
        claim_reward(expired, AT)


def test_reactivation_keeps_completions_and_clears_stamps() -> None:
    from dataclasses import replace

    expired = replace(pass_(), status=PassStatus.EXPIRED, current_stamps=3, rewards_claimed=7, expired_at=AT)
    back = reactivate(expired, "2027-03-01T00:00:00.000Z")
    assert (back.status, back.current_stamps, back.rewards_claimed, back.expired_at) == (
        PassStatus.ACTIVE,
        0,
        7,
        None,
    )


def test_progress_block_mirrors_the_seed_names() -> None:
    progress = progress_block(award_stamp(pass_(), AT))
    assert progress == {
        "currentStamps": 1,
        "maxStamps": 5,
        "rewardsClaimed": 0,
        "stampsEarned": 1,
        "stampsRequired": 5,
    }


@given(st.integers(min_value=1, max_value=50), st.lists(st.sampled_from(["scan", "confirm"]), max_size=300))
def test_any_sequence_of_visits_keeps_the_pass_consistent(required: int, actions: list[str]) -> None:
    c = pass_(required)
    stamps_awarded = prizes = 0
    for action in actions:
        version = c.version
        try:
            c = award_stamp(c, AT) if action == "scan" else claim_reward(c, AT)
        except (RewardReady, NotEnoughStamps):
            continue
        assert c.version == version + 1
        if action == "scan":
            stamps_awarded += 1
        else:
            prizes += 1
        assert 0 <= c.current_stamps <= required
    assert c.lifetime_stamps == stamps_awarded
    assert c.rewards_claimed == prizes
    assert c.lifetime_stamps == prizes * required + c.current_stamps
