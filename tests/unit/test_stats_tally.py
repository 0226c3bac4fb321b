"""What one change of a pass adds to the stats: the day's counters and the member counts."""

from __future__ import annotations

from dataclasses import replace

from loyalty.domain.passes import PassStatus, award_stamp, claim_reward, expire, new_pass, reactivate
from loyalty.domain.stats import local_day, tally

AT = "2026-11-23T22:30:00.000Z"


def pass_():
    return new_pass(
        customer_id="cus_aaaaaaaaaaaaaaaaaaaaaaaaaa",
        offer_id="off_bbbbbbbbbbbbbbbbbbbbbbbbbb",
        business_id="biz_cccccccccc",
        stamps_required=1,
        email="jane@example.com",
        customer_name="Jane",
        preferred_language="en",
        pass_serial="serial",
        auth_token="t" * 32,
        at=AT,
    )


def test_each_kind_of_change_moves_its_counters() -> None:
    joined = pass_()
    assert tally("ENROLL", None, joined).members == {"active": 1, "rewards=0": 1}
    full = award_stamp(joined, AT)
    assert tally("STAMP", joined, full).day == {"stamps": 1}
    assert tally("STAMP", joined, full).members == {"rewardReady": 1}
    claimed = claim_reward(full, AT)
    prize = tally("PRIZE", full, claimed, tier_upgrade=True)
    assert prize.day == {"prizes": 1, "tierUpgrades": 1}
    assert prize.members == {"rewards=0": -1, "rewards=1": 1, "rewardReady": -1}
    gone = expire(claimed, AT)
    assert tally("EXPIRE", claimed, gone).members == {"active": -1, "rewards=1": -1, "expired": 1}
    back = reactivate(gone, AT)
    assert tally("REACTIVATE", gone, back).day == {"reactivated": 1}
    erased = replace(back, status=PassStatus.ERASED)
    assert tally("ERASE", back, erased).members == {"active": -1, "rewards=1": -1}
    assert tally("ERASE", back, erased).day == {}


def test_the_day_is_the_offer_time_zone_day() -> None:
    assert local_day(AT, "UTC") == "2026-11-23"
    assert local_day(AT, "Asia/Riyadh") == "2026-11-24"
    assert local_day(AT, "America/Los_Angeles") == "2026-11-23"
